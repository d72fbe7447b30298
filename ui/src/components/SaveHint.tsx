import type { SaveState } from "../hooks/useDraft";

const TEXT: Record<SaveState, string> = {
  idle: "",
  saving: "Saving draft…",
  saved: "Draft saved",
  failed: "The draft could not be saved",
};

export function SaveHint({ state }: { state: SaveState }) {
  return (
    <span className={`save-hint save-${state}`} role="status" aria-live="polite">
      {TEXT[state]}
    </span>
  );
}

import { useCallback, useEffect, useState } from "react";
import { errorMessage, unwrap } from "../api";
import type { Draft } from "../bindings";
import type { ScreenshotCommands, Shot } from "./api";
import { screenshotCommands } from "./api";
import { ScreenshotEditor } from "./ScreenshotEditor";

interface Props {
  draftKey: string;
  /** A capture is waiting (the global shortcut took it): open it in the editor. */
  ready: boolean;
  /** Changes identity on every "new ticket" request, so a second shortcut press reopens. */
  request: object;
  onAttached: (draft: Draft) => void;
  commands?: ScreenshotCommands | null;
}

type State =
  | { step: "idle" }
  | { step: "capturing" }
  // `taken` tells captures apart, so a new one opens a fresh editor (no stale windows).
  | { step: "editing"; shots: Shot[]; taken: number }
  | { step: "failed"; message: string };

/** The New ticket form's screenshot area: take or open a capture, edit it, attach it. */
export function ScreenshotSection({ draftKey, ready, request, onAttached, commands = screenshotCommands }: Props) {
  const [state, setState] = useState<State>({ step: "idle" });

  const capture = useCallback(() => {
    if (!commands) return;
    setState({ step: "capturing" });
    unwrap(commands.captureScreen()).then(
      (shots) => {
        setState(
          shots.length > 0
            ? { step: "editing", shots, taken: Date.now() }
            : { step: "failed", message: "No screen could be captured." },
        );
      },
      (e: unknown) => {
        setState({ step: "failed", message: errorMessage(e) });
      },
    );
  }, [commands]);

  useEffect(() => {
    if (ready && commands) {
      unwrap(commands.captureScreen()).then(
        (shots) => {
          if (shots.length > 0) setState({ step: "editing", shots, taken: Date.now() });
        },
        (e: unknown) => {
          setState({ step: "failed", message: errorMessage(e) });
        },
      );
    }
  }, [ready, request, commands]);

  if (!commands) return null;

  return (
    <fieldset className="screenshot-area">
      <legend>Screenshot</legend>
      {state.step === "editing" ? (
        <ScreenshotEditor
          key={state.taken}
          shots={state.shots}
          draftKey={draftKey}
          commands={commands}
          onAttached={(draft) => {
            onAttached(draft);
            setState({ step: "idle" });
          }}
          onDropped={() => { setState({ step: "idle" }); }}
        />
      ) : (
        <>
          {state.step === "failed" && (
            <p className="error" role="alert">
              {state.message}
            </p>
          )}
          <button type="button" id="take-screenshot" onClick={capture} disabled={state.step === "capturing"}>
            {state.step === "capturing" ? "Capturing…" : "Take a screenshot"}
          </button>
        </>
      )}
    </fieldset>
  );
}

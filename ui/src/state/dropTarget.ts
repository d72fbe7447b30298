import { useEffect, useRef } from "react";
import type { Draft } from "../bindings";

/**
 * The compose form (new ticket or a reply) that files dropped on the window go to.
 * Files are dropped on the native window, not on an element, so the app asks "which
 * form is open?" here. The last form mounted wins.
 */
export interface DropTarget {
  draftKey: string;
  onDraft: (draft: Draft) => void;
}

const targets: { current: DropTarget }[] = [];

export function currentDropTarget(): DropTarget | null {
  return targets.at(-1)?.current ?? null;
}

export function useDropTarget(draftKey: string, onDraft: (draft: Draft) => void): void {
  const entry = useRef<{ current: DropTarget }>({ current: { draftKey, onDraft } });
  useEffect(() => {
    entry.current.current = { draftKey, onDraft };
  });
  useEffect(() => {
    const mine = entry.current;
    targets.push(mine);
    return () => {
      const at = targets.indexOf(mine);
      if (at >= 0) targets.splice(at, 1);
    };
  }, []);
}

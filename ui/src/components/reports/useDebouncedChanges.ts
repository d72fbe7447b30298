import { useEffect, useRef, useState } from "react";
import { events } from "../../bindings";
import { useTauriEvent } from "../../state/events";

/**
 * A number that moves once things have stopped changing for `quietMs`: screens that
 * ask the server (not the local store) re-read on it, so a sync burst costs one
 * request. Upload progress is not a change. There is no timer while nothing happens.
 */
export function useDebouncedChanges(quietMs: number): number {
  const [version, setVersion] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useTauriEvent(events.changed, (event) => {
    if (event.type === "upload_progress") return;
    if (pending.current !== null) clearTimeout(pending.current);
    pending.current = setTimeout(() => {
      pending.current = null;
      setVersion((v) => v + 1);
    }, quietMs);
  });
  useEffect(
    () => () => {
      if (pending.current !== null) clearTimeout(pending.current);
    },
    [],
  );
  return version;
}

import { useEffect, useRef } from "react";

/** The part of a generated `events.*` entry the UI uses. */
export interface EventSource<T> {
  listen: (handler: (event: { payload: T }) => void) => Promise<() => void>;
}

/**
 * Listens to one of our events while the component is mounted. The handler may change
 * on every render without re-subscribing (subscribing is an IPC round trip).
 */
export function useTauriEvent<T>(source: EventSource<T>, handler: (payload: T) => void): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => {
    let unlisten: (() => void) | null = null;
    let active = true;
    source
      .listen((event) => {
        if (active) latest.current(event.payload);
      })
      .then(
        (stop) => {
          if (active) unlisten = stop;
          else stop();
        },
        () => {
          // Listening is allowed by the capability; a failure here means there is no
          // backend at all, and every command will report that itself.
        },
      );
    return () => {
      active = false;
      unlisten?.();
    };
  }, [source]);
}

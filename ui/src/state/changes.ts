import { useEffect, useState, useSyncExternalStore } from "react";
import { errorMessage } from "../api";
import { events } from "../bindings";

/*
 * The store-changed signal. Every `changed` event bumps one version number; views that
 * show store data re-read when it moves. Bursts (a sync applying many rows) collapse
 * into one re-read per animation frame; while the window is hidden no frames run, so
 * nothing is re-read until someone can see it. There is no polling anywhere.
 *
 * The feed listens only while some view reads store data, so a screen works the same
 * inside the app and on its own (in tests).
 */

let version = 0;
let scheduled = false;
const listeners = new Set<() => void>();

function bump(): void {
  scheduled = false;
  version += 1;
  for (const listener of listeners) listener();
}

export function notifyChanged(): void {
  if (scheduled) return;
  scheduled = true;
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(bump);
  else queueMicrotask(bump);
}

let stopFeed: (() => void) | null = null;

function startFeed(): () => void {
  let stopped = false;
  let unlisten: (() => void) | null = null;
  events.changed
    .listen(() => {
      notifyChanged();
    })
    .then(
      (stop) => {
        if (stopped) stop();
        else unlisten = stop;
      },
      () => {
        // No backend to listen to: every read reports that itself.
      },
    );
  return () => {
    stopped = true;
    unlisten?.();
  };
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  stopFeed ??= startFeed();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && stopFeed) {
      stopFeed();
      stopFeed = null;
    }
  };
}

function currentVersion(): number {
  return version;
}

export function useChangeVersion(): number {
  return useSyncExternalStore(subscribe, currentVersion);
}

export interface Loaded<T> {
  /** The last good read; kept while a re-read is under way so nothing flickers. */
  data: T | undefined;
  error: string | null;
  /** When `data` was read: relative times ("5 min ago") are relative to this. */
  readAt: number;
}

/**
 * Reads with `load` now and again after every store change. `load` must be stable
 * (useCallback) and change exactly when what it reads changes. A slower, older read
 * never overwrites a newer one.
 */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const changeVersion = useChangeVersion();
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: null, readAt: 0 });
  useEffect(() => {
    let current = true;
    load().then(
      (data) => {
        if (current) setState({ data, error: null, readAt: Date.now() });
      },
      (error: unknown) => {
        if (current) setState((s) => ({ ...s, error: errorMessage(error) }));
      },
    );
    return () => {
      current = false;
    };
  }, [load, changeVersion]);
  return state;
}

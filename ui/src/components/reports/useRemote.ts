import { useCallback, useEffect, useState } from "react";
import { errorMessage } from "../../api";

export interface Remote<T> {
  data: T | undefined;
  error: string | null;
  /** Reads again (after a change made here). */
  reload: () => void;
}

/**
 * Data that lives on the server only (admin lists): read on mount and on `reload`.
 * The last good read stays while a new one is under way; an older answer never
 * overwrites a newer one.
 */
export function useRemote<T>(load: () => Promise<T>): Remote<T> {
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<{ data: T | undefined; error: string | null }>({
    data: undefined,
    error: null,
  });
  useEffect(() => {
    let current = true;
    load().then(
      (data) => {
        if (current) setState({ data, error: null });
      },
      (e: unknown) => {
        if (current) setState((s) => ({ ...s, error: errorMessage(e) }));
      },
    );
    return () => {
      current = false;
    };
  }, [load, version]);
  const reload = useCallback(() => {
    setVersion((v) => v + 1);
  }, []);
  return { ...state, reload };
}

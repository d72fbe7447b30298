import { createContext, useCallback, useContext, useMemo, useRef, useState } from "react";
import type { ReactNode } from "react";

export type ToastKind = "info" | "error";

interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

type ShowToast = (text: string, kind?: ToastKind) => void;

const ToastContext = createContext<ShowToast>(() => undefined);

export function useToast(): ShowToast {
  return useContext(ToastContext);
}

/** Information fades after a while; errors stay until dismissed so nobody misses one. */
const INFO_VISIBLE_MS = 6000;
const MAX_VISIBLE = 4;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => {
    setToasts((list) => list.filter((t) => t.id !== id));
  }, []);

  const show = useCallback<ShowToast>(
    (text, kind = "info") => {
      const id = nextId.current++;
      setToasts((list) => [...list, { id, kind, text }].slice(-MAX_VISIBLE));
      if (kind === "info") setTimeout(() => { dismiss(id); }, INFO_VISIBLE_MS);
    },
    [dismiss],
  );

  const value = useMemo(() => show, [show]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      {/* Both regions exist from the start: screen readers only announce changes to a
          live region that was already in the page. */}
      <div className="toasts">
        <div role="status" aria-live="polite" className="toast-region">
          {toasts.filter((t) => t.kind === "info").map((t) => (
            <ToastView key={t.id} toast={t} onDismiss={dismiss} />
          ))}
        </div>
        <div role="alert" className="toast-region">
          {toasts.filter((t) => t.kind === "error").map((t) => (
            <ToastView key={t.id} toast={t} onDismiss={dismiss} />
          ))}
        </div>
      </div>
    </ToastContext.Provider>
  );
}

function ToastView({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  return (
    <div className={`toast toast-${toast.kind}`}>
      <span>{toast.text}</span>
      <button
        type="button"
        className="toast-close"
        aria-label="Dismiss message"
        onClick={() => { onDismiss(toast.id); }}
      >
        ×
      </button>
    </div>
  );
}

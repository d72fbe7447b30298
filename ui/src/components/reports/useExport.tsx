import { useReducer } from "react";
import { errorKind, errorMessage } from "../../api";
import type { ExportFilter } from "../../bindings";
import { events } from "../../bindings";
import { useTauriEvent } from "../../state/events";
import { staffApi } from "./api";
import { IDLE, exportFraction, exportReducer, progressText } from "./exportState";
import type { ExportState } from "./exportState";

export interface ExportRun {
  state: ExportState;
  running: boolean;
  /** Asks where to save (Rust's native dialog), then streams the file. */
  start: (filter: ExportFilter) => Promise<void>;
  cancel: () => void;
}

/** One CSV export at a time: its dialog, progress events, outcome and cancel. */
export function useExport(): ExportRun {
  const [state, dispatch] = useReducer(exportReducer, IDLE);
  useTauriEvent(events.exportProgressed, (progress) => {
    dispatch({ type: "progress", progress });
  });
  const running = state.phase === "running";

  async function start(filter: ExportFilter) {
    if (running) return;
    dispatch({ type: "start" });
    try {
      const outcome = await staffApi.exportTickets(filter);
      dispatch({ type: "finished", outcome });
    } catch (err) {
      dispatch({ type: "failed", message: errorMessage(err), cancelled: errorKind(err) === "cancelled" });
    }
  }

  function cancel() {
    dispatch({ type: "cancel" });
    void staffApi.cancelExport();
  }

  return { state, running, start, cancel };
}

/** The cancel button while an export runs (nothing otherwise). */
export function ExportCancel({ run }: { run: ExportRun }) {
  if (!run.running) return null;
  const cancelling = run.state.phase === "running" && run.state.cancelling;
  return (
    <button id="export-cancel" type="button" disabled={cancelling} onClick={run.cancel}>
      {cancelling ? "Cancelling…" : "Cancel"}
    </button>
  );
}

/** Progress while it runs, then where the file went, or why there is none. */
export function ExportStatus({ state }: { state: ExportState }) {
  switch (state.phase) {
    case "idle":
      return null;
    case "running": {
      const fraction = exportFraction(state.progress);
      return (
        <div className="export-progress" role="status">
          <progress id="export-progress" aria-label="Export progress" max={1} {...(fraction === null ? {} : { value: fraction })} />
          <span>{progressText(state.progress)}</span>
        </div>
      );
    }
    case "done":
      return (
        <p id="export-done" className="notice" role="status">
          Saved {state.rows.toLocaleString()} {state.rows === 1 ? "ticket" : "tickets"} to{" "}
          <code className="export-path">{state.path}</code>
        </p>
      );
    case "cancelled":
      return (
        <p id="export-cancelled" role="status">
          Export cancelled; no file was saved.
        </p>
      );
    case "failed":
      return (
        <p id="export-error" className="error" role="alert">
          {state.message}
        </p>
      );
  }
}

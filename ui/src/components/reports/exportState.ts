import type { ExportOutcome, ExportProgress } from "../../bindings";

/** Where an export is, as the panel shows it. */
export type ExportState =
  | { phase: "idle" }
  /** The save dialog is open or the rows are streaming in. */
  | { phase: "running"; progress: ExportProgress | null; cancelling: boolean }
  | { phase: "done"; path: string; rows: number }
  | { phase: "cancelled" }
  | { phase: "failed"; message: string };

export type ExportAction =
  | { type: "start" }
  | { type: "progress"; progress: ExportProgress }
  | { type: "cancel" }
  | { type: "finished"; outcome: ExportOutcome }
  | { type: "failed"; message: string; cancelled: boolean };

export const IDLE: ExportState = { phase: "idle" };

export function exportReducer(state: ExportState, action: ExportAction): ExportState {
  switch (action.type) {
    case "start":
      return state.phase === "running" ? state : { phase: "running", progress: null, cancelling: false };
    case "progress":
      // A late event from an export that already ended changes nothing.
      return state.phase === "running" ? { ...state, progress: action.progress } : state;
    case "cancel":
      return state.phase === "running" ? { ...state, cancelling: true } : state;
    case "finished":
      switch (action.outcome.outcome) {
        case "saved":
          return { phase: "done", path: action.outcome.path, rows: action.outcome.rows };
        case "dismissed":
          return IDLE;
        case "cancelled":
          return { phase: "cancelled" };
      }
      return state;
    case "failed":
      return action.cancelled ? { phase: "cancelled" } : { phase: "failed", message: action.message };
  }
}

/** 0–1 when the server said how many rows to expect; `null` shows an indeterminate bar. */
export function exportFraction(progress: ExportProgress | null): number | null {
  if (!progress || progress.total_rows === null || progress.total_rows <= 0) return null;
  return Math.min(1, progress.rows / progress.total_rows);
}

export function progressText(progress: ExportProgress | null): string {
  if (!progress) return "Choose where to save the file…";
  const rows = progress.rows.toLocaleString();
  if (progress.total_rows === null) return `${rows} tickets so far`;
  return `${rows} of ${progress.total_rows.toLocaleString()} tickets`;
}

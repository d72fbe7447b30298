import { IDLE, exportFraction, exportReducer, progressText } from "./exportState";
import type { ExportState } from "./exportState";

const progress = (rows: number, total: number | null) => ({ rows, bytes: rows * 100, total_rows: total });

test("an export runs, reports progress and ends saved", () => {
  let s: ExportState = exportReducer(IDLE, { type: "start" });
  expect(s).toEqual({ phase: "running", progress: null, cancelling: false });
  s = exportReducer(s, { type: "progress", progress: progress(250, 1000) });
  expect(s.phase === "running" && exportFraction(s.progress)).toBe(0.25);
  s = exportReducer(s, { type: "finished", outcome: { outcome: "saved", path: "/tmp/t.csv", rows: 1000, bytes: 100000 } });
  expect(s).toEqual({ phase: "done", path: "/tmp/t.csv", rows: 1000 });
  // A progress event arriving after the end changes nothing.
  expect(exportReducer(s, { type: "progress", progress: progress(999, 1000) })).toBe(s);
});

test("cancelling waits for Rust to confirm, then says nothing was saved", () => {
  let s = exportReducer(exportReducer(IDLE, { type: "start" }), { type: "cancel" });
  expect(s).toEqual({ phase: "running", progress: null, cancelling: true });
  s = exportReducer(s, { type: "finished", outcome: { outcome: "cancelled" } });
  expect(s).toEqual({ phase: "cancelled" });
  expect(exportReducer(exportReducer(IDLE, { type: "start" }), { type: "failed", message: "x", cancelled: true })).toEqual({
    phase: "cancelled",
  });
});

test("closing the save dialog goes back to idle; a failure keeps its message", () => {
  const running = exportReducer(IDLE, { type: "start" });
  expect(exportReducer(running, { type: "finished", outcome: { outcome: "dismissed" } })).toEqual(IDLE);
  expect(exportReducer(running, { type: "failed", message: "The export needs a connection", cancelled: false })).toEqual({
    phase: "failed",
    message: "The export needs a connection",
  });
});

test("without a total the bar is indeterminate and the text counts up", () => {
  expect(exportFraction(progress(10, null))).toBeNull();
  expect(exportFraction(progress(10, 0))).toBeNull();
  expect(progressText(progress(10, null))).toBe("10 tickets so far");
  expect(progressText(progress(1, 4))).toBe("1 of 4 tickets");
  expect(progressText(null)).toMatch(/Choose where/);
});

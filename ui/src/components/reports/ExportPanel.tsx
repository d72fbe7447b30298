import { useReducer, useState } from "react";
import type { SubmitEvent } from "react";
import { errorKind, errorMessage } from "../../api";
import type { ExportFilter, Priority, Status } from "../../bindings";
import { events } from "../../bindings";
import { PRIORITIES, PRIORITY_LABELS, STATUSES } from "../../format";
import { useTauriEvent } from "../../state/events";
import { FilterSelect } from "./FilterSelect";
import { staffApi } from "./api";
import { IDLE, exportFraction, exportReducer, progressText } from "./exportState";
import { STAFF_STATUS_LABELS } from "../staff/labels";

interface Form {
  status: Status | "";
  priority: Priority | "";
  category: string;
  assignee: "" | "me" | "none";
  from: string;
  to: string;
  text: string;
  bom: boolean;
}

const ASSIGNEES = ["me", "none"] as const;
const ASSIGNEE_LABELS: Record<(typeof ASSIGNEES)[number], string> = { me: "Me", none: "Unassigned" };

const EMPTY: Form = { status: "", priority: "", category: "", assignee: "", from: "", to: "", text: "", bom: false };

export function toExportFilter(form: Form): ExportFilter {
  const blank = (v: string) => (v.trim() === "" ? null : v.trim());
  return {
    statuses: form.status === "" ? [] : [form.status],
    priority: form.priority === "" ? null : form.priority,
    category: blank(form.category),
    assignee: form.assignee === "" ? null : form.assignee,
    created_from: blank(form.from),
    created_to: blank(form.to),
    text: blank(form.text),
    bom: form.bom,
  };
}

/**
 * Export to CSV with the list's filters. Rust opens the save dialog and streams the
 * file; progress comes as events; Cancel stops it and nothing is left on disk.
 */
export function ExportPanel({ categories }: { categories: string[] }) {
  const [form, setForm] = useState<Form>(EMPTY);
  const [state, dispatch] = useReducer(exportReducer, IDLE);
  useTauriEvent(events.exportProgressed, (progress) => {
    dispatch({ type: "progress", progress });
  });
  const running = state.phase === "running";

  async function start(e: SubmitEvent<HTMLFormElement>) {
    e.preventDefault();
    if (running) return;
    dispatch({ type: "start" });
    try {
      const outcome = await staffApi.exportTickets(toExportFilter(form));
      dispatch({ type: "finished", outcome });
    } catch (err) {
      dispatch({ type: "failed", message: errorMessage(err), cancelled: errorKind(err) === "cancelled" });
    }
  }

  function set<K extends keyof Form>(key: K, value: Form[K]) {
    setForm((f) => ({ ...f, [key]: value }));
  }

  const fraction = state.phase === "running" ? exportFraction(state.progress) : null;

  return (
    <section className="card export" aria-labelledby="export-title">
      <h2 id="export-title">Export tickets to CSV</h2>
      <form id="export-form" className="export-form" onSubmit={(e) => void start(e)}>
        <div className="filters">
          <div className="filter">
            <label htmlFor="export-text">Text</label>
            <input id="export-text" type="search" value={form.text} onChange={(e) => { set("text", e.target.value); }} />
          </div>
          <FilterSelect
            id="export-status"
            label="Status"
            any="Any status"
            options={STATUSES}
            labels={STAFF_STATUS_LABELS}
            value={form.status}
            onChange={(v) => { set("status", v); }}
          />
          <FilterSelect
            id="export-priority"
            label="Priority"
            any="Any priority"
            options={PRIORITIES}
            labels={PRIORITY_LABELS}
            value={form.priority}
            onChange={(v) => { set("priority", v); }}
          />
          <FilterSelect
            id="export-category"
            label="Category"
            any="Any category"
            options={categories}
            value={form.category}
            onChange={(v) => { set("category", v); }}
          />
          <FilterSelect
            id="export-assignee"
            label="Assignee"
            any="Anyone"
            options={ASSIGNEES}
            labels={ASSIGNEE_LABELS}
            value={form.assignee}
            onChange={(v) => { set("assignee", v); }}
          />
          <div className="filter">
            <label htmlFor="export-from">Created from</label>
            <input id="export-from" type="date" value={form.from} onChange={(e) => { set("from", e.target.value); }} />
          </div>
          <div className="filter">
            <label htmlFor="export-to">Created to</label>
            <input id="export-to" type="date" value={form.to} onChange={(e) => { set("to", e.target.value); }} />
          </div>
        </div>
        <label className="check">
          <input id="export-bom" type="checkbox" checked={form.bom} onChange={(e) => { set("bom", e.target.checked); }} />
          For Excel (adds a byte order mark so accents show right)
        </label>
        <div className="actions">
          <button id="export-button" type="submit" className="primary" disabled={running}>
            Export CSV…
          </button>
          {running && (
            <button
              id="export-cancel"
              type="button"
              disabled={state.cancelling}
              onClick={() => {
                dispatch({ type: "cancel" });
                void staffApi.cancelExport();
              }}
            >
              {state.cancelling ? "Cancelling…" : "Cancel"}
            </button>
          )}
        </div>
      </form>
      {state.phase === "running" && (
        <div className="export-progress" role="status">
          <progress
            id="export-progress"
            aria-label="Export progress"
            max={1}
            {...(fraction === null ? {} : { value: fraction })}
          />
          <span>{progressText(state.progress)}</span>
        </div>
      )}
      {state.phase === "done" && (
        <p id="export-done" className="notice" role="status">
          Saved {state.rows.toLocaleString()} {state.rows === 1 ? "ticket" : "tickets"} to{" "}
          <code className="export-path">{state.path}</code>
        </p>
      )}
      {state.phase === "cancelled" && (
        <p id="export-cancelled" role="status">
          Export cancelled; no file was saved.
        </p>
      )}
      {state.phase === "failed" && (
        <p id="export-error" className="error" role="alert">
          {state.message}
        </p>
      )}
    </section>
  );
}

import { useState } from "react";
import type { SubmitEvent } from "react";
import type { ExportFilter, Priority, Status } from "../../bindings";
import { PRIORITIES, PRIORITY_LABELS, STATUSES } from "../../format";
import { FilterSelect } from "./FilterSelect";
import { ExportCancel, ExportStatus, useExport } from "./useExport";
import { STAFF_STATUS_LABELS } from "../staff/labels";
import { startOfDay } from "../staff/queueFilter";

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
    view: null,
    statuses: form.status === "" ? [] : [form.status],
    priorities: form.priority === "" ? [] : [form.priority],
    category: blank(form.category),
    assignee: form.assignee === "" ? null : form.assignee,
    requester: null,
    // Days as the user sees them: from local midnight to the midnight after "to".
    created_from: form.from ? startOfDay(form.from) : null,
    created_before: form.to ? startOfDay(form.to, 1) : null,
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
  const run = useExport();

  function start(e: SubmitEvent<HTMLFormElement>) {
    e.preventDefault();
    void run.start(toExportFilter(form));
  }

  function set<K extends keyof Form>(key: K, value: Form[K]) {
    setForm((f) => ({ ...f, [key]: value }));
  }

  return (
    <section className="card export" aria-labelledby="export-title">
      <h2 id="export-title">Export tickets to CSV</h2>
      <form id="export-form" className="export-form" onSubmit={start}>
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
          <button id="export-button" type="submit" className="primary" disabled={run.running}>
            Export CSV…
          </button>
          <ExportCancel run={run} />
        </div>
      </form>
      <ExportStatus state={run.state} />
    </section>
  );
}

import { useState } from "react";
import type { BulkResult, LocalTicket, TicketChange, UserRef } from "../../bindings";
import { errorMessage } from "../../api";
import { PRIORITIES, PRIORITY_LABELS, STATUSES, isPriority, isStatus } from "../../format";
import { staffApi } from "../../staffApi";
import { notifyChanged } from "../../state/changes";
import { Dialog } from "../Dialog";
import { STAFF_STATUS_LABELS } from "./labels";

interface Props {
  selected: LocalTicket[];
  me: UserRef;
  agents: UserRef[];
  /** After a bulk change: the keys that were changed (to drop from the selection). */
  onDone: (updated: string[]) => void;
}

interface Summary {
  what: string;
  result: BulkResult;
}

/** Assign, status or priority for every selected ticket; the server answers per ticket. */
export function BulkBar({ selected, me, agents, onDone }: Props) {
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const others = agents.filter((a) => a.id !== me.id);

  async function apply(what: string, change: TicketChange) {
    setBusy(true);
    setError(null);
    try {
      const result = await staffApi.bulkUpdate(selected.map((t) => t.key), change);
      notifyChanged();
      setSummary({ what, result });
      const updated = new Set(result.results.filter((r) => r.ticket !== null).map((r) => r.ticket_id));
      onDone(selected.filter((t) => updated.has(t.ticket.id)).map((t) => t.key));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  function assign(value: string) {
    if (value === "") return;
    if (value === "nobody") {
      void apply("Unassign", { unassign: true });
      return;
    }
    const who = value === me.id ? me : others.find((a) => a.id === value);
    if (who) void apply(`Assign to ${who.name}`, { assignee: who });
  }

  const numberOf = (id: string) => selected.find((t) => t.ticket.id === id)?.ticket.number ?? id;

  return (
    <div className="bulk-bar" role="region" aria-label="Change the selected tickets">
      <span id="bulk-count">{selected.length === 0 ? "Select tickets to change them together" : `${selected.length} selected`}</span>
      {/* Like a mail client's, the changes appear once there is something to change: the
          row stays one line and a disabled control never sits there unexplained. */}
      {selected.length > 0 && (
        <>
          <label>
            <span className="visually-hidden">Assign the selected tickets</span>
            <select id="bulk-assign" value="" disabled={busy} onChange={(e) => { assign(e.target.value); }}>
              <option value="">Assign to…</option>
              <option value={me.id}>Me ({me.name})</option>
              {others.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
              <option value="nobody">Nobody (unassign)</option>
            </select>
          </label>
          <label>
            <span className="visually-hidden">Set the status of the selected tickets</span>
            <select
              id="bulk-status"
              value=""
              disabled={busy}
              onChange={(e) => {
                const v = e.target.value;
                if (isStatus(v)) void apply(`Status: ${STAFF_STATUS_LABELS[v]}`, { status: v });
              }}
            >
              <option value="">Set status…</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STAFF_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="visually-hidden">Set the priority of the selected tickets</span>
            <select
              id="bulk-priority"
              value=""
              disabled={busy}
              onChange={(e) => {
                const v = e.target.value;
                if (isPriority(v)) void apply(`Priority: ${PRIORITY_LABELS[v]}`, { priority: v });
              }}
            >
              <option value="">Set priority…</option>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {PRIORITY_LABELS[p]}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      {busy && <span role="status">Applying…</span>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {summary && (
        <Dialog id="bulk-summary" title={summary.what} onCancel={() => { setSummary(null); }}>
          <p className="bulk-totals">
            {summary.result.updated} changed, {summary.result.failed} not changed.
          </p>
          {summary.result.failed > 0 && (
            <ul className="bulk-failures" aria-label="Not changed">
              {summary.result.results
                .filter((r) => r.error !== null)
                .map((r) => (
                  <li key={r.ticket_id} className="bulk-failure" data-ticket-id={r.ticket_id}>
                    <strong>{numberOf(r.ticket_id)}</strong>: {r.error?.detail}
                  </li>
                ))}
            </ul>
          )}
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={() => { setSummary(null); }}>
              Close
            </button>
          </div>
        </Dialog>
      )}
    </div>
  );
}

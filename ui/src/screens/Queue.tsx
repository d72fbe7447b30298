/*
 * The staff queue: views with counts, filters, search, sorting and bulk changes, all
 * read from the local store (so it works offline and follows `changed` events).
 *
 * Stable selectors for end-to-end tests:
 *   #queue                                   the screen
 *   .queue-view[data-view=VIEW] .count       a view's button and its count
 *   #queue-search, #filter-status, #filter-priority, #filter-category,
 *   #filter-assignee, #filter-requester, #filter-created-from, #filter-created-to,
 *   #queue-sort                              filters and sort
 *   .queue-row[data-ticket-key=KEY]          a row (.is-unread when the requester wrote)
 *   .queue-row .queue-open, .ticket-subject, .ticket-status[data-status]   open it; its text
 *   .queue-row input[type=checkbox]          selection (shift-click selects a range)
 *   #queue-select-all, #bulk-count           select every ticket shown; "N selected"
 *   #bulk-assign, #bulk-status, #bulk-priority   bulk changes (choosing applies)
 *   #bulk-summary, #bulk-summary .bulk-totals    what changed ("N changed, M not changed.")
 *   #bulk-summary .bulk-failure[data-ticket-id=ID]   a ticket not changed: number and why
 *   #queue-export, #export-progress, #export-done   CSV of the view and filters shown
 */
import { useCallback, useEffect, useMemo, useState } from "react";
import { api } from "../api";
import type { User, UserRef } from "../bindings";
import { ExportCancel, ExportStatus, useExport } from "../components/reports/useExport";
import { BulkBar } from "../components/staff/BulkBar";
import { QueueFilters } from "../components/staff/QueueFilters";
import { QueueList } from "../components/staff/QueueList";
import { QueueViews } from "../components/staff/QueueViews";
import { VIEWS } from "../components/staff/labels";
import { DEFAULT_CHOICE, exportFilterOf, narrowed, rememberChoice, rememberedChoice, toFilter } from "../components/staff/queueFilter";
import type { QueueChoice } from "../components/staff/queueFilter";
import { useAgents } from "../components/staff/useAgents";
import { staffApi } from "../staffApi";
import { useLoad } from "../state/changes";
import { useNavigate } from "../state/navigation";

export function Queue({ user }: { user: User }) {
  const navigate = useNavigate();
  const [choice, setChoiceState] = useState<QueueChoice>(rememberedChoice);
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [anchor, setAnchor] = useState<number | null>(null);
  const agents = useAgents();
  const [categories, setCategories] = useState<string[]>([]);
  const counts = useLoad(useCallback(() => staffApi.queueCounts(), []));
  const filter = useMemo(() => toFilter(choice), [choice]);
  const list = useLoad(useCallback(() => staffApi.queue(filter), [filter]));
  const tickets = useMemo(() => list.data ?? [], [list.data]);
  const me: UserRef = { id: user.id, name: user.name };

  useEffect(() => {
    let active = true;
    void api.categories().then((c) => {
      if (active) setCategories(c);
    });
    return () => {
      active = false;
    };
  }, []);

  const setChoice = useCallback((next: QueueChoice) => {
    rememberChoice(next);
    setChoiceState(next);
    setSelected(new Set());
    setAnchor(null);
  }, []);

  // The requesters on screen (and the one filtered on): enough to narrow a busy view.
  const requesters = useMemo(() => {
    const seen = new Map<string, UserRef>();
    for (const t of tickets) seen.set(t.ticket.requester.id, t.ticket.requester);
    return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [tickets]);

  // Tickets that left the list (re-read after a change) leave the selection too.
  const shownSelection = useMemo(() => tickets.filter((t) => selected.has(t.key)), [tickets, selected]);

  function toggle(index: number, range: boolean) {
    const ticket = tickets[index];
    if (!ticket) return;
    const next = new Set(selected);
    if (range && anchor !== null) {
      const [from, to] = anchor < index ? [anchor, index] : [index, anchor];
      for (const t of tickets.slice(from, to + 1)) if (!t.pending) next.add(t.key);
    } else if (next.has(ticket.key)) {
      next.delete(ticket.key);
    } else {
      next.add(ticket.key);
    }
    setSelected(next);
    setAnchor(index);
  }

  const selectable = tickets.filter((t) => !t.pending);
  const allSelected = selectable.length > 0 && shownSelection.length === selectable.length;
  const viewLabel = VIEWS.find((v) => v.view === choice.view)?.label ?? "All tickets";
  const exportRun = useExport();

  return (
    <section id="queue" className="screen queue-screen" aria-labelledby="queue-title">
      <div className="screen-head">
        <h1 id="queue-title" tabIndex={-1}>
          Queue: {viewLabel}
        </h1>
        <div className="actions">
          <ExportCancel run={exportRun} />
          <button
            id="queue-export"
            type="button"
            disabled={exportRun.running}
            title="Save the tickets of this view and its filters as a CSV file"
            onClick={() => void exportRun.start(exportFilterOf(choice, false))}
          >
            Export these…
          </button>
        </div>
      </div>
      <ExportStatus state={exportRun.state} />
      <div className="queue-layout">
        <QueueViews
          counts={counts.data}
          active={choice.view}
          onPick={(view) => { setChoice({ ...choice, view }); }}
        />
        <div className="queue-main">
          <QueueFilters
            choice={choice}
            categories={categories}
            agents={agents}
            requesters={requesters}
            onChoice={setChoice}
          />
          <div className="queue-toolbar">
            <label className="check">
              <input
                id="queue-select-all"
                type="checkbox"
                checked={allSelected}
                disabled={selectable.length === 0}
                onChange={() => {
                  setSelected(allSelected ? new Set() : new Set(selectable.map((t) => t.key)));
                  setAnchor(null);
                }}
              />
              Select all shown
            </label>
            <BulkBar
              selected={shownSelection}
              me={me}
              agents={agents}
              onDone={(updated) => {
                const next = new Set(selected);
                for (const key of updated) next.delete(key);
                setSelected(next);
              }}
            />
          </div>
          {(list.error ?? counts.error) && (
            <p className="error" role="alert">
              {list.error ?? counts.error}
            </p>
          )}
          <p className="visually-hidden" role="status">
            {list.data ? `${list.data.length} tickets shown` : ""}
          </p>
          {list.data === undefined ? (
            !list.error && <p className="empty">Loading the queue…</p>
          ) : tickets.length === 0 ? (
            <div className="empty">
              <p>No tickets here.</p>
              {narrowed(choice) && (
                <button type="button" onClick={() => { setChoice({ ...DEFAULT_CHOICE, view: choice.view }); }}>
                  Clear the filters
                </button>
              )}
            </div>
          ) : (
            <QueueList
              tickets={tickets}
              now={list.readAt}
              selected={selected}
              onToggle={toggle}
              onOpen={(key) => { navigate({ name: "ticket", key }); }}
            />
          )}
        </div>
      </div>
    </section>
  );
}

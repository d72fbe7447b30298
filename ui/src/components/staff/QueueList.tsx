import { useVirtualizer } from "@tanstack/react-virtual";
import { useRef } from "react";
import type { MouseEvent } from "react";
import type { LocalTicket } from "../../bindings";
import { ticketNumber } from "../../format";
import { PriorityBadge } from "../Badges";
import { Time } from "../Time";
import { STAFF_STATUS_LABELS } from "./labels";

/** One fixed row height, so nothing is measured. */
const ROW_HEIGHT = 64;

interface Props {
  tickets: LocalTicket[];
  now: number;
  selected: ReadonlySet<string>;
  /** `range`: extend the selection from the last ticket picked (shift-click). */
  onToggle: (index: number, range: boolean) => void;
  onOpen: (key: string) => void;
}

/** Only the rows in view (plus a few) are in the DOM, like the requester's list. */
export function QueueList({ tickets, now, selected, onToggle, onOpen }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  // See TicketList: the virtualizer's values are read straight from its instance.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: tickets.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => tickets[index]?.key ?? index,
    overscan: 8,
  });

  return (
    <div ref={scroller} className="ticket-scroller queue-scroller" tabIndex={-1}>
      <div role="list" aria-label="Queue" className="ticket-list" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => {
          const item = tickets[row.index];
          if (!item) return null;
          const t = item.ticket;
          const isSelected = selected.has(item.key);
          const classes = ["ticket-row", "queue-row"];
          if (item.unread) classes.push("is-unread");
          if (isSelected) classes.push("selected");
          const number = ticketNumber(t.number, item.pending);
          return (
            <div
              key={row.key}
              role="listitem"
              aria-setsize={tickets.length}
              aria-posinset={row.index + 1}
              className={classes.join(" ")}
              data-ticket-key={item.key}
              style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
            >
              <input
                type="checkbox"
                aria-label={`Select ${number} ${t.subject}`}
                checked={isSelected}
                disabled={item.pending}
                onChange={() => undefined}
                onClick={(e: MouseEvent<HTMLInputElement>) => { onToggle(row.index, e.shiftKey); }}
              />
              <button type="button" className="queue-open" onClick={() => { onOpen(item.key); }}>
                <span className="queue-row-top">
                  <span className="ticket-number">{number}</span>
                  {item.unread && (
                    <span className="unread" title="New from the requester">
                      <span className="visually-hidden">New from the requester</span>
                    </span>
                  )}
                  <span className="ticket-subject">{t.subject}</span>
                </span>
                <span className="queue-row-bottom">
                  <span className={`ticket-status badge status-${t.status.toLowerCase()}`} data-status={t.status}>
                    {STAFF_STATUS_LABELS[t.status]}
                  </span>
                  <PriorityBadge priority={t.priority} />
                  <span className="queue-people">
                    {t.requester.name} · {t.assignee ? t.assignee.name : "Unassigned"}
                  </span>
                  <span className="ticket-activity">
                    <Time value={t.updated_at} now={now} />
                  </span>
                </span>
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
}

import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import type { TicketRow } from "../bindings";
import { reportPainted } from "../startupProbe";
import { TicketCard } from "./TicketCard";

/** Cards have one fixed height (the subject is cut to one line), so nothing is measured. */
const ROW_HEIGHT = 84;

interface Props {
  tickets: TicketRow[];
  now: number;
  onOpen: (key: string) => void;
}

/**
 * Only the cards in view (plus a few) are in the DOM, so ten thousand tickets scroll
 * like ten.
 */
export function TicketList({ tickets, now, onOpen }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const shown = tickets.length > 0;
  useEffect(() => {
    if (shown) reportPainted("tickets");
  }, [shown]);
  // The virtualizer hands back fresh values from a mutable instance; this component
  // renders straight from them and passes nothing memoised on, which is what the
  // compiler warning is about.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: tickets.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => tickets[index]?.key ?? index,
    overscan: 6,
  });

  return (
    <div ref={scroller} className="ticket-scroller" tabIndex={-1}>
      <div
        role="list"
        aria-label="Tickets"
        className="ticket-list"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map((row) => {
          const ticket = tickets[row.index];
          if (!ticket) return null;
          return (
            <div
              key={row.key}
              role="listitem"
              aria-setsize={tickets.length}
              aria-posinset={row.index + 1}
              className="ticket-row"
              style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
            >
              <TicketCard ticket={ticket} now={now} onOpen={onOpen} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

import type { TicketRow } from "../bindings";
import { ticketNumber } from "../format";
import { PriorityBadge, StatusBadge } from "./Badges";
import { Time } from "./Time";

interface Props {
  ticket: TicketRow;
  now: number;
  onOpen: (key: string) => void;
}

export function TicketCard({ ticket, now, onOpen }: Props) {
  const classes = ["ticket-card"];
  if (ticket.pending) classes.push("pending");
  if (ticket.unread) classes.push("is-unread");
  return (
    <button
      type="button"
      className={classes.join(" ")}
      data-ticket-key={ticket.key}
      onClick={() => { onOpen(ticket.key); }}
    >
      <span className="ticket-card-top">
        <span className="ticket-number">{ticketNumber(ticket.number, ticket.pending)}</span>
        {ticket.unread && (
          <span className="unread" title="New activity">
            <span className="visually-hidden">New activity</span>
          </span>
        )}
        <span className="ticket-subject">{ticket.subject}</span>
      </span>
      <span className="ticket-card-bottom">
        <StatusBadge status={ticket.status} />
        <PriorityBadge priority={ticket.priority} />
        <span className="ticket-activity">
          Last activity <Time value={ticket.updated_at} now={now} />
        </span>
      </span>
    </button>
  );
}

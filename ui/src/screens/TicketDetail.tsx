import { useCallback, useState } from "react";
import type { ReactNode } from "react";
import { api, errorMessage } from "../api";
import type { LocalTicketDetail } from "../bindings";
import { AttachmentList } from "../components/Attachments";
import { MessageView } from "../components/MessageView";
import { ReplyBox } from "../components/ReplyBox";
import { TicketSidebar } from "../components/TicketSidebar";
import { Time } from "../components/Time";
import { ticketNumber } from "../format";
import { notifyChanged, useLoad } from "../state/changes";
import { useNavigate } from "../state/navigation";
import { useToast } from "../state/toasts";

/** Mount with `key={ticketKey}` so another ticket starts from a clean slate. */
export function TicketDetail({ ticketKey }: { ticketKey: string }) {
  const navigate = useNavigate();
  // Reading the detail also marks the ticket read; re-reading on changes keeps it so
  // while the user is looking at it.
  const detail = useLoad(useCallback(() => api.ticketDetail(ticketKey), [ticketKey]));

  const back = (
    <button type="button" className="link-button back" onClick={() => { navigate({ name: "tickets" }); }}>
      ← All tickets
    </button>
  );

  if (detail.data === undefined) {
    return (
      <section className="screen" aria-labelledby="ticket-title">
        {back}
        <h1 id="ticket-title" tabIndex={-1}>
          Ticket
        </h1>
        {detail.error ? (
          <p className="error" role="alert">
            {detail.error}
          </p>
        ) : (
          <p className="empty">Loading…</p>
        )}
      </section>
    );
  }

  if (detail.data === null) {
    return (
      <section className="screen" aria-labelledby="ticket-title">
        {back}
        <h1 id="ticket-title" tabIndex={-1}>
          Ticket not found
        </h1>
        <p className="empty">This ticket is not on this device. It may have been removed.</p>
      </section>
    );
  }

  return <Loaded detail={detail.data} now={detail.readAt} back={back} error={detail.error} />;
}

interface LoadedProps {
  detail: LocalTicketDetail;
  now: number;
  back: ReactNode;
  error: string | null;
}

function Loaded({ detail, now, back, error }: LoadedProps) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const { ticket, messages } = detail;
  const t = ticket.ticket;

  async function changeStatus(action: "close" | "reopen") {
    setBusy(true);
    try {
      if (action === "close") await api.closeTicket(ticket.key);
      else await api.reopenTicket(ticket.key);
      notifyChanged();
      toast(action === "close" ? "Ticket closed." : "Ticket reopened.");
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      setBusy(false);
    }
  }

  return (
    <section
      id="ticket-detail"
      className="screen ticket-detail"
      data-ticket-key={ticket.key}
      aria-labelledby="ticket-title"
    >
      {back}
      <div className="screen-head">
        <h1 id="ticket-title" tabIndex={-1}>
          <span className="ticket-number">{ticketNumber(t.number, ticket.pending)}</span>{" "}
          <span className="ticket-subject">{t.subject}</span>
        </h1>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {ticket.pending && (
        <p className="notice">This ticket is waiting to be sent. You can keep working; it goes out when there is a connection.</p>
      )}
      <div className="detail-layout">
        <div className="conversation">
          <article className="ticket-description" aria-label="Ticket description">
            <header className="message-head">
              <span className="message-author">{t.requester.name}</span>
              <Time value={t.created_at} now={now} />
            </header>
            <div className="message-body">{t.description}</div>
            <AttachmentList attachments={ticket.attachments} label="Files filed with the ticket" />
          </article>
          <h2 className="visually-hidden">Conversation</h2>
          {messages.filter((m) => !m.message.internal).map((m) => (
            <MessageView key={m.key} item={m} now={now} />
          ))}
          {t.status === "CLOSED" ? (
            <p className="notice">This ticket is closed. If the problem comes back, file a new ticket.</p>
          ) : (
            // Not keyed by ticket.key: that changes when a ticket filed offline is sent,
            // and remounting would drop what is being typed.
            <ReplyBox ticketKey={ticket.key} />
          )}
        </div>
        <div className="detail-side">
          <TicketSidebar ticket={ticket} now={now} />
          <div className="actions vertical">
            {t.status === "RESOLVED" && (
              <button type="button" id="reopen-ticket" disabled={busy} onClick={() => void changeStatus("reopen")}>
                Reopen ticket
              </button>
            )}
            {t.status !== "CLOSED" && (
              <button type="button" id="close-ticket" disabled={busy} onClick={() => void changeStatus("close")}>
                Close ticket
              </button>
            )}
          </div>
        </div>
      </div>
    </section>
  );
}

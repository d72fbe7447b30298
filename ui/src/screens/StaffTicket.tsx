/*
 * A ticket as staff work on it: the conversation with internal notes, reply or note,
 * the resolution, assignment, status (only legal moves), priority, category, related
 * article, what the requester sent along, and the timeline.
 *
 * Stable selectors for end-to-end tests:
 *   #staff-ticket[data-ticket-key=KEY]       the screen
 *   .message[data-message-key=KEY]           a message; .message.internal is a note
 *   .message.from-ROLE, .message.pending, .message-body, .internal-label   its author's
 *                                            role, not yet sent, its text, the note badge
 *   .message .mark-resolution                mark that reply as the resolution
 *   .message.resolution                      the reply marked as the resolution
 *   textarea[name=reply], #reply-mode-reply, #reply-mode-note, #send-reply
 *   #assign-to-me, #assign-to, #unassign, #ticket-assignee
 *   #ticket-status[data-status], .status-action[data-status=STATUS]
 *   #ticket-priority, #ticket-category
 *   #article-url, #article-title, #save-article, #related-article
 *   #ticket-system-info, #timeline .timeline-event[data-kind]
 */
import { useCallback, useEffect, useState } from "react";
import type { ReactNode } from "react";
import { api, errorMessage } from "../api";
import type { User, UserRef } from "../bindings";
import { RoleBadge } from "../components/Badges";
import { Time } from "../components/Time";
import { RequesterContext } from "../components/staff/RequesterContext";
import { StaffMessage } from "../components/staff/StaffMessage";
import { StaffReplyBox } from "../components/staff/StaffReplyBox";
import { TicketControls } from "../components/staff/TicketControls";
import { Timeline } from "../components/staff/Timeline";
import { useAgents } from "../components/staff/useAgents";
import { ticketNumber } from "../format";
import { staffApi } from "../staffApi";
import { notifyChanged, useLoad } from "../state/changes";
import { useNavigate } from "../state/navigation";
import { useToast } from "../state/toasts";

/** Mount with `key={ticketKey}`. */
export function StaffTicket({ ticketKey, user }: { ticketKey: string; user: User }) {
  const navigate = useNavigate();
  const loaded = useLoad(useCallback(() => staffApi.staffTicket(ticketKey), [ticketKey]));
  const agents = useAgents();
  const [categories, setCategories] = useState<string[]>([]);

  // The full timeline comes from the server; offline, what this device knows is shown.
  useEffect(() => {
    staffApi.refreshTicket(ticketKey).catch(() => undefined);
    let active = true;
    void api.categories().then((c) => {
      if (active) setCategories(c);
    });
    return () => {
      active = false;
    };
  }, [ticketKey]);

  const back = (
    <button type="button" className="link-button back" onClick={() => { navigate({ name: "tickets" }); }}>
      ← Queue
    </button>
  );

  if (loaded.data === undefined || loaded.data === null) {
    return (
      <section className="screen" aria-labelledby="ticket-title">
        {back}
        <h1 id="ticket-title" tabIndex={-1}>
          {loaded.data === null ? "Ticket not found" : "Ticket"}
        </h1>
        {loaded.error ? (
          <p className="error" role="alert">
            {loaded.error}
          </p>
        ) : (
          <p className="empty">{loaded.data === null ? "This ticket is not on this device." : "Loading…"}</p>
        )}
      </section>
    );
  }

  const { detail, next_statuses, timeline } = loaded.data;
  return (
    <Loaded
      back={back}
      me={{ id: user.id, name: user.name }}
      agents={agents}
      categories={categories}
      detail={detail}
      nextStatuses={next_statuses}
      timeline={timeline}
      now={loaded.readAt}
      error={loaded.error}
    />
  );
}

type Data = NonNullable<Awaited<ReturnType<typeof staffApi.staffTicket>>>;

interface LoadedProps {
  back: ReactNode;
  me: UserRef;
  agents: UserRef[];
  categories: string[];
  detail: Data["detail"];
  nextStatuses: Data["next_statuses"];
  timeline: Data["timeline"];
  now: number;
  error: string | null;
}

function Loaded({ back, me, agents, categories, detail, nextStatuses, timeline, now, error }: LoadedProps) {
  const toast = useToast();
  const { ticket, messages } = detail;
  const t = ticket.ticket;
  const canResolve = t.status === "RESOLVED" || nextStatuses.includes("RESOLVED");

  async function markResolution(messageKey: string) {
    try {
      await staffApi.markResolution(ticket.key, messageKey);
      notifyChanged();
      toast("Marked as the resolution; the ticket is resolved.");
    } catch (e) {
      toast(errorMessage(e), "error");
    }
  }

  return (
    <section id="staff-ticket" className="screen ticket-detail staff-ticket" data-ticket-key={ticket.key} aria-labelledby="ticket-title">
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
      <div className="detail-layout staff-layout">
        <div className="conversation">
          <article className="ticket-description" aria-label="Ticket description">
            <header className="message-head">
              <span className="message-author">{t.requester.name}</span>
              <RoleBadge role="requester" />
              <Time value={t.created_at} now={now} />
            </header>
            <div className="message-body">{t.description}</div>
          </article>
          <h2 className="visually-hidden">Conversation</h2>
          {messages.map((m) => (
            <StaffMessage
              key={m.key}
              item={m}
              now={now}
              isResolution={t.resolution_message_id === m.message.id && !m.pending}
              onMarkResolution={
                canResolve && !m.pending && !m.message.internal && t.resolution_message_id !== m.message.id
                  ? () => void markResolution(m.key)
                  : null
              }
            />
          ))}
          {t.status === "CLOSED" ? (
            <p className="notice">This ticket is closed.</p>
          ) : (
            <StaffReplyBox key={ticket.key} ticketKey={ticket.key} />
          )}
          <Timeline events={timeline} now={now} />
        </div>
        <div className="detail-side">
          <TicketControls
            key={ticket.key}
            ticket={ticket}
            nextStatuses={nextStatuses}
            me={me}
            agents={agents}
            categories={categories}
          />
          <RequesterContext ticket={ticket} />
        </div>
      </div>
    </section>
  );
}

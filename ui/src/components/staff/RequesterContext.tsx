import type { LocalTicket } from "../../bindings";
import { AttachmentList } from "../Attachments";

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** What the requester sent along: the screenshot and files, and their system details. */
export function RequesterContext({ ticket }: { ticket: LocalTicket }) {
  const info = ticket.ticket.system_info;
  const lines =
    info !== null && typeof info === "object" && !Array.isArray(info) ? Object.entries(info) : [];
  return (
    <section className="requester-context" aria-labelledby="requester-context-title">
      <h2 id="requester-context-title">From the requester</h2>
      {ticket.attachments.length === 0 ? (
        <p className="empty">No screenshot or files.</p>
      ) : (
        <AttachmentList attachments={ticket.attachments} label="Screenshot and files" />
      )}
      {lines.length > 0 && (
        <dl id="ticket-system-info" className="system-info" aria-label="System details">
          {lines.map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{text(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

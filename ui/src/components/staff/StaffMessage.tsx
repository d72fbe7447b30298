import type { LocalMessage } from "../../bindings";
import { OUTBOX_STATE_LABELS } from "../../format";
import { AttachmentList } from "../Attachments";
import { RoleBadge } from "../Badges";
import { Time } from "../Time";

interface Props {
  item: LocalMessage;
  now: number;
  isResolution: boolean;
  /** Offered on public messages that reached the server, when the ticket may be resolved. */
  onMarkResolution: (() => void) | null;
}

export function StaffMessage({ item, now, isResolution, onMarkResolution }: Props) {
  const m = item.message;
  const classes = ["message", `from-${m.author.role}`];
  if (m.internal) classes.push("internal");
  if (item.pending) classes.push("pending");
  if (item.outbox_state === "failed") classes.push("failed");
  if (isResolution) classes.push("resolution");
  const kind = m.internal ? "Internal note" : "Message";
  return (
    <article className={classes.join(" ")} data-message-key={item.key} aria-label={`${kind} from ${m.author.name}`}>
      <header className="message-head">
        {m.internal && <span className="badge internal-label">Internal note</span>}
        <span className="message-author">{m.author.name}</span>
        <RoleBadge role={m.author.role} />
        {isResolution && <span className="badge resolution-label">Resolution</span>}
        <Time value={m.created_at} now={now} />
      </header>
      <div className="message-body">{m.body}</div>
      <AttachmentList attachments={m.attachments} label="Files in this message" />
      {item.pending && (
        <p className="message-outbox" data-outbox-state={item.outbox_state ?? "queued"}>
          {item.outbox_state ? OUTBOX_STATE_LABELS[item.outbox_state] : "Waiting to send"}
          {item.outbox_error && <span className="outbox-error">: {item.outbox_error}</span>}
        </p>
      )}
      {onMarkResolution && (
        <button type="button" className="link-button mark-resolution" onClick={onMarkResolution}>
          Mark as the resolution
        </button>
      )}
    </article>
  );
}

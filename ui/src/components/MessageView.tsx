import type { LocalMessage } from "../bindings";
import { OUTBOX_STATE_LABELS } from "../format";
import { AttachmentList } from "./Attachments";
import { RoleBadge } from "./Badges";
import { Time } from "./Time";

export function MessageView({ item, now }: { item: LocalMessage; now: number }) {
  const m = item.message;
  const classes = ["message", `from-${m.author.role}`];
  if (item.pending) classes.push("pending");
  if (item.outbox_state === "failed") classes.push("failed");
  return (
    <article className={classes.join(" ")} data-message-key={item.key} aria-label={`Message from ${m.author.name}`}>
      <header className="message-head">
        <span className="message-author">{m.author.name}</span>
        <RoleBadge role={m.author.role} />
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
    </article>
  );
}

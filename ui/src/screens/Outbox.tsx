import { useCallback, useState } from "react";
import { api, errorMessage } from "../api";
import type { OutboxItem, OutboxKind } from "../bindings";
import { events } from "../bindings";
import { ConfirmDialog } from "../components/Dialog";
import { Time } from "../components/Time";
import { OUTBOX_STATE_LABELS } from "../format";
import { notifyChanged, useLoad } from "../state/changes";
import { useTauriEvent } from "../state/events";
import { useNavigate } from "../state/navigation";
import { useToast } from "../state/toasts";

const KIND_LABELS: Record<OutboxKind, string> = {
  create_ticket: "New ticket",
  post_message: "Reply or note",
  set_status: "Status change",
  update_ticket: "Ticket change",
  mark_resolution: "Resolution",
};

export function Outbox() {
  const items = useLoad(useCallback(() => api.outbox(), []));
  const [discarding, setDiscarding] = useState<OutboxItem | null>(null);
  const toast = useToast();
  // Upload progress arrives as events only (it is not in the store), newest per item.
  const [progress, setProgress] = useState<Record<number, Progress>>({});
  useTauriEvent(events.changed, (event) => {
    if (event.type === "upload_progress") {
      const { outbox_id, file_name, sent, total } = event;
      setProgress((p) => ({ ...p, [outbox_id]: { file_name, sent, total } }));
    }
  });

  async function run(action: () => Promise<null>, done: string) {
    try {
      await action();
      notifyChanged();
      toast(done);
    } catch (e) {
      toast(errorMessage(e), "error");
    }
  }

  const list = items.data ?? [];
  // Sent work stays listed for reassurance, dimmed and after what still needs attention.
  const ordered = [...list.filter((i) => i.state !== "sent"), ...list.filter((i) => i.state === "sent")];

  return (
    <section id="outbox" className="screen outbox" aria-labelledby="outbox-title">
      <div className="screen-head">
        <h1 id="outbox-title" tabIndex={-1}>
          Outbox
        </h1>
      </div>
      <p className="hint">
        What you file or send is kept here until the server has it, so nothing is lost offline.
      </p>
      {items.error && (
        <p className="error" role="alert">
          {items.error}
        </p>
      )}
      {items.data && ordered.length === 0 && <p className="empty">Nothing waiting to be sent.</p>}
      <ul className="outbox-list">
        {ordered.map((item) => (
          <OutboxRow
            key={item.id}
            item={item}
            now={items.readAt}
            progress={item.state === "sending" ? progress[item.id] : undefined}
            onRetry={() => void run(() => api.retryOutbox(item.id), "Trying again.")}
            onDiscard={() => { setDiscarding(item); }}
          />
        ))}
      </ul>
      {discarding && (
        <ConfirmDialog
          title="Discard unsent work?"
          message={`“${discarding.summary}” will not be sent and cannot be recovered.`}
          confirmLabel="Discard"
          onCancel={() => { setDiscarding(null); }}
          onConfirm={() => {
            const id = discarding.id;
            setDiscarding(null);
            void run(() => api.discardOutbox(id), "Discarded.");
          }}
        />
      )}
    </section>
  );
}

interface Progress {
  file_name: string;
  sent: number;
  total: number;
}

interface RowProps {
  item: OutboxItem;
  now: number;
  progress: Progress | undefined;
  onRetry: () => void;
  onDiscard: () => void;
}

function OutboxRow({ item, now, progress, onRetry, onDiscard }: RowProps) {
  const navigate = useNavigate();
  return (
    <li className={`outbox-item state-${item.state}`} data-state={item.state} data-outbox-id={item.id}>
      <div className="outbox-main">
        <span className="outbox-kind">{KIND_LABELS[item.kind]}</span>
        <button
          type="button"
          className="link-button outbox-summary"
          onClick={() => { navigate({ name: "ticket", key: item.ticket_key }); }}
        >
          {item.summary}
        </button>
        <span className={`outbox-state badge outbox-${item.state}`}>{OUTBOX_STATE_LABELS[item.state]}</span>
      </div>
      <div className="outbox-meta">
        <Time value={item.created_at} now={now} />
        {item.files.length > 0 && <span>{item.files.length === 1 ? "1 file" : `${item.files.length} files`}</span>}
        {item.attempts > 0 && <span>{item.attempts === 1 ? "1 attempt" : `${item.attempts} attempts`}</span>}
      </div>
      {progress && progress.total > 0 && (
        <label className="upload-progress">
          Uploading {progress.file_name}
          <progress max={progress.total} value={progress.sent} />
        </label>
      )}
      {item.last_error && item.state !== "sent" && <p className="outbox-error">{item.last_error}</p>}
      {item.state !== "sent" && (
        <div className="actions">
          {item.state === "failed" && (
            <button type="button" className="retry" onClick={onRetry}>
              Retry
            </button>
          )}
          {item.state !== "sending" && (
            <button type="button" className="discard danger" onClick={onDiscard}>
              Discard
            </button>
          )}
        </div>
      )}
    </li>
  );
}

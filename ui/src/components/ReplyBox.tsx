import { useState } from "react";
import type { SubmitEvent } from "react";
import { api, errorMessage, fieldErrors } from "../api";
import { useDraft } from "../hooks/useDraft";
import type { DraftFields } from "../hooks/useDraft";
import { notifyChanged } from "../state/changes";
import { useDropTarget } from "../state/dropTarget";
import { useToast } from "../state/toasts";
import { DraftFiles } from "./DraftFiles";
import { Field } from "./Field";
import { SaveHint } from "./SaveHint";

const EMPTY: DraftFields = { subject: "", text: "", category: null, priority: null };

/**
 * Mount once per ticket the user opened. The draft keeps the key the box opened with:
 * a ticket filed offline changes its key when it reaches the server, the client moves
 * the draft along and still answers to the old key, so a reply being typed stays on
 * screen and in the same draft. Replies are sent under the ticket's current key.
 */
export function ReplyBox({ ticketKey }: { ticketKey: string }) {
  const [draftKey] = useState(() => `reply:${ticketKey}`);
  const draft = useDraft(draftKey, EMPTY);
  useDropTarget(draftKey, draft.applyDraft);
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!draft.fields || busy) return;
    if (draft.fields.text.trim() === "") {
      setError("Write a reply first.");
      return;
    }
    setBusy(true);
    setError(null);
    draft.finish();
    try {
      await api.submitReply(ticketKey, draft.fields.text);
      draft.reset();
      draft.resume();
      notifyChanged();
      toast("Reply saved. It is sent as soon as there is a connection.");
    } catch (e) {
      draft.resume();
      setError(fieldErrors(e)[0]?.message ?? errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  if (!draft.fields) return <p className="empty">Opening your reply…</p>;

  return (
    <form className="reply compose" aria-labelledby="reply-title" onSubmit={(e) => void send(e)} noValidate>
      <div className="screen-head">
        <h2 id="reply-title">Reply</h2>
        <SaveHint state={draft.saveState} />
      </div>
      <Field id="reply" label="Your reply" error={error ?? undefined}>
        {(aria) => (
          <textarea
            {...aria}
            name="reply"
            rows={5}
            value={draft.fields?.text ?? ""}
            onChange={(e) => { draft.update({ text: e.target.value }); }}
          />
        )}
      </Field>
      <DraftFiles
        listId="reply-files"
        draftKey={draftKey}
        files={draft.files}
        onPick={() => void draft.pickFiles()}
        onRemove={(i) => void draft.removeFile(i)}
      />
      {draft.error && (
        <p className="error" role="alert">
          {draft.error}
        </p>
      )}
      <div className="actions">
        <button type="submit" id="send-reply" className="primary" disabled={busy}>
          {busy ? "Sending…" : "Send reply"}
        </button>
      </div>
    </form>
  );
}

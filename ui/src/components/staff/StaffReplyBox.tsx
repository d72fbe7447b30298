import { useMemo, useState } from "react";
import type { SubmitEvent } from "react";
import { api, errorMessage, fieldErrors } from "../../api";
import { useDraft } from "../../hooks/useDraft";
import type { DraftFields } from "../../hooks/useDraft";
import { staffApi } from "../../staffApi";
import { notifyChanged } from "../../state/changes";
import { useDropTarget } from "../../state/dropTarget";
import { useToast } from "../../state/toasts";
import { DraftFiles } from "../DraftFiles";
import { Field } from "../Field";
import { SaveHint } from "../SaveHint";

const EMPTY: DraftFields = { subject: "", text: "", category: null, priority: null };

type Mode = "reply" | "note";

/**
 * A reply to the requester or an internal note (staff only), from the ticket's one
 * reply draft. Mount with `key={ticketKey}`.
 */
export function StaffReplyBox({ ticketKey }: { ticketKey: string }) {
  const draftKey = useMemo(() => `reply:${ticketKey}`, [ticketKey]);
  const draft = useDraft(draftKey, EMPTY);
  useDropTarget(draftKey, draft.applyDraft);
  const toast = useToast();
  const [mode, setMode] = useState<Mode>("reply");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const note = mode === "note";

  async function send(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!draft.fields || busy) return;
    if (draft.fields.text.trim() === "") {
      setError(note ? "Write the note first." : "Write a reply first.");
      return;
    }
    setBusy(true);
    setError(null);
    draft.finish();
    try {
      if (note) await staffApi.submitNote(ticketKey, draft.fields.text);
      else await api.submitReply(ticketKey, draft.fields.text);
      draft.reset();
      draft.resume();
      notifyChanged();
      toast(note ? "Internal note saved; only staff will see it." : "Reply saved. It is sent as soon as there is a connection.");
    } catch (e) {
      draft.resume();
      setError(fieldErrors(e)[0]?.message ?? errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  if (!draft.fields) return <p className="empty">Opening your reply…</p>;

  return (
    <form
      className={note ? "reply compose staff-reply is-note" : "reply compose staff-reply"}
      aria-labelledby="reply-title"
      onSubmit={(e) => void send(e)}
      noValidate
    >
      <div className="screen-head">
        <h2 id="reply-title">{note ? "Internal note" : "Reply"}</h2>
        <SaveHint state={draft.saveState} />
      </div>
      <fieldset className="reply-mode">
        <legend className="visually-hidden">Who will see it</legend>
        <label className="check">
          <input
            type="radio"
            id="reply-mode-reply"
            name="reply-mode"
            checked={!note}
            onChange={() => { setMode("reply"); }}
          />
          Reply to the requester
        </label>
        <label className="check">
          <input
            type="radio"
            id="reply-mode-note"
            name="reply-mode"
            checked={note}
            onChange={() => { setMode("note"); }}
          />
          Internal note (staff only)
        </label>
      </fieldset>
      <Field id="reply" label={note ? "Your note (only staff see it)" : "Your reply"} error={error ?? undefined}>
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
          {busy ? "Saving…" : note ? "Add note" : "Send reply"}
        </button>
      </div>
    </form>
  );
}

import { useEffect, useRef, useState } from "react";
import type { SubmitEvent } from "react";
import { api, errorKind, errorMessage, fieldErrors } from "../api";
import type { InfoLine } from "../bindings";
import { ConfirmDialog } from "../components/Dialog";
import { DraftFiles } from "../components/DraftFiles";
import { Field, byField } from "../components/Field";
import { SaveHint } from "../components/SaveHint";
import { SystemInfoList } from "../components/SystemInfoList";
import { PRIORITIES, PRIORITY_LABELS, isPriority } from "../format";
import { useDraft } from "../hooks/useDraft";
import type { DraftFields } from "../hooks/useDraft";
import { ScreenshotSection } from "../screenshot";
import { notifyChanged } from "../state/changes";
import { useDropTarget } from "../state/dropTarget";
import type { Route } from "../state/navigation";
import { useNavigate } from "../state/navigation";
import { useToast } from "../state/toasts";

const DRAFT_KEY = "new-ticket";
// "general" is also what the server files a ticket under when none is given.
const DEFAULTS: DraftFields = { subject: "", text: "", category: "general", priority: "MEDIUM" };
/** Field names as the server's rules report them, in the order they appear on screen. */
const FIELD_ORDER = ["subject", "description", "category"] as const;

interface Props {
  request: Extract<Route, { name: "new-ticket" }>;
}

export function NewTicket({ request }: Props) {
  const navigate = useNavigate();
  const toast = useToast();
  const draft = useDraft(DRAFT_KEY, DEFAULTS);
  useDropTarget(DRAFT_KEY, draft.applyDraft);
  const [categories, setCategories] = useState<string[]>([]);
  const [info, setInfo] = useState<{ lines?: InfoLine[]; error: string | null }>({ error: null });
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const [attachInfo, setAttachInfo] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    let active = true;
    api.categories().then(
      (list) => {
        if (active) setCategories(list);
      },
      () => undefined,
    );
    api.systemInfo().then(
      (lines) => {
        if (active) setInfo({ lines, error: null });
      },
      (e: unknown) => {
        if (active) setInfo({ error: errorMessage(e) });
      },
    );
    return () => {
      active = false;
    };
  }, []);

  const fields = draft.fields;

  async function check(values: DraftFields): Promise<Record<string, string>> {
    return byField(await api.validateTicket(values.subject, values.text, values.category ?? ""));
  }

  /** After leaving a field, show what is wrong with the fields already visited. */
  async function onBlur(name: string) {
    if (!fields) return;
    const visited = new Set(touched).add(name);
    setTouched(visited);
    const found = await check(fields);
    setErrors(Object.fromEntries(Object.entries(found).filter(([field]) => visited.has(field))));
  }

  function focusFirstError(found: Record<string, string>) {
    const first = FIELD_ORDER.find((f) => f in found);
    if (first) form.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  }

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!fields || busy) return;
    setFormError(null);
    setBusy(true);
    try {
      const found = await check(fields);
      setErrors(found);
      setTouched(new Set(FIELD_ORDER));
      if (Object.keys(found).length > 0) {
        setBusy(false);
        focusFirstError(found);
        return;
      }
      const kept = info.lines?.filter((line) => !removed.has(line.key)).map((line) => line.key);
      draft.finish();
      const ticket = await api.submitTicket({
        subject: fields.subject,
        description: fields.text,
        category: fields.category,
        priority: fields.priority,
        system_info: attachInfo && kept ? kept : null,
      });
      notifyChanged();
      toast(
        ticket.pending ? "Ticket saved. It is sent as soon as there is a connection." : "Ticket sent.",
      );
      navigate({ name: "ticket", key: ticket.key });
    } catch (e) {
      draft.resume();
      setBusy(false);
      if (errorKind(e) === "invalid" && fieldErrors(e).length > 0) {
        const found = byField(fieldErrors(e));
        setErrors(found);
        focusFirstError(found);
      } else {
        setFormError(errorMessage(e));
      }
    }
  }

  async function discard() {
    draft.finish();
    try {
      await api.discardDraft(DRAFT_KEY);
    } catch (e) {
      toast(errorMessage(e), "error");
    }
    navigate({ name: "tickets" });
  }

  const unknownErrors = Object.entries(errors).filter(
    ([field]) => !(FIELD_ORDER as readonly string[]).includes(field),
  );

  return (
    <section className="screen new-ticket-screen" aria-labelledby="new-ticket-title">
      <div className="screen-head">
        <h1 id="new-ticket-title" tabIndex={-1}>
          New ticket
        </h1>
        <SaveHint state={draft.saveState} />
      </div>
      {!fields ? (
        <p className="empty">Opening your draft…</p>
      ) : (
        <form id="new-ticket-form" ref={form} className="compose" onSubmit={(e) => void submit(e)} noValidate>
          <Field id="subject" label="Subject" error={errors.subject}>
            {(aria) => (
              <input
                {...aria}
                name="subject"
                required
                maxLength={200}
                value={fields.subject}
                onChange={(e) => { draft.update({ subject: e.target.value }); }}
                onBlur={() => void onBlur("subject")}
              />
            )}
          </Field>
          <Field
            id="description"
            label="What happened?"
            hint="What you did, what you expected, and what happened instead."
            error={errors.description}
          >
            {(aria) => (
              <textarea
                {...aria}
                name="description"
                required
                rows={8}
                value={fields.text}
                onChange={(e) => { draft.update({ text: e.target.value }); }}
                onBlur={() => void onBlur("description")}
              />
            )}
          </Field>
          <div className="field-row">
            <Field id="category" label="Category" error={errors.category}>
              {(aria) => (
                <select
                  {...aria}
                  name="category"
                  value={fields.category ?? ""}
                  onChange={(e) => { draft.update({ category: e.target.value === "" ? null : e.target.value }); }}
                  onBlur={() => void onBlur("category")}
                >
                  <option value="">Choose a category</option>
                  {categories.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id="priority" label="Priority" error={errors.priority}>
              {(aria) => (
                <select
                  {...aria}
                  name="priority"
                  value={fields.priority ?? "MEDIUM"}
                  onChange={(e) => {
                    const v = e.target.value;
                    if (isPriority(v)) draft.update({ priority: v });
                  }}
                >
                  {PRIORITIES.map((p) => (
                    <option key={p} value={p}>
                      {PRIORITY_LABELS[p]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <fieldset className="attachments">
            <legend>Attachments</legend>
            <DraftFiles
              listId="draft-files"
              draftKey={DRAFT_KEY}
              files={draft.files}
              onPick={() => void draft.pickFiles()}
              onRemove={(i) => void draft.removeFile(i)}
            />
          </fieldset>
          <ScreenshotSection
            draftKey={DRAFT_KEY}
            ready={request.screenshotReady}
            request={request}
            onAttached={draft.applyDraft}
          />
          <SystemInfoList
            lines={info.lines}
            error={info.error}
            removed={removed}
            attach={attachInfo}
            onAttach={setAttachInfo}
            onRemove={(key) => { setRemoved((r) => new Set(r).add(key)); }}
            onRestore={() => { setRemoved(new Set()); }}
          />
          {(formError ?? draft.error ?? unknownErrors.length > 0) && (
            <div className="error" role="alert">
              {formError && <p>{formError}</p>}
              {draft.error && <p>{draft.error}</p>}
              {unknownErrors.map(([field, message]) => (
                <p key={field}>{message}</p>
              ))}
            </div>
          )}
          <div className="actions">
            <button type="submit" id="submit-ticket" className="primary" disabled={busy}>
              {busy ? "Sending…" : "Send ticket"}
            </button>
            <button type="button" onClick={() => { setConfirmDiscard(true); }}>
              Discard draft
            </button>
          </div>
        </form>
      )}
      {confirmDiscard && (
        <ConfirmDialog
          title="Discard this draft?"
          message="The text and attached files of this new ticket will be deleted."
          confirmLabel="Discard draft"
          onConfirm={() => void discard()}
          onCancel={() => { setConfirmDiscard(false); }}
        />
      )}
    </section>
  );
}

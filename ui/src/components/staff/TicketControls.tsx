import { useState } from "react";
import type { SubmitEvent } from "react";
import { errorMessage } from "../../api";
import type { LocalTicket, Status, TicketChange, UserRef } from "../../bindings";
import { PRIORITIES, PRIORITY_LABELS, isPriority } from "../../format";
import { staffApi } from "../../staffApi";
import { notifyChanged } from "../../state/changes";
import { useToast } from "../../state/toasts";
import { ArticleLink } from "../ArticleLink";
import { STAFF_STATUS_LABELS, formatArticle, parseArticle, safeHref } from "./labels";

interface Props {
  ticket: LocalTicket;
  nextStatuses: Status[];
  me: UserRef;
  agents: UserRef[];
  categories: string[];
}

/**
 * Everything staff change on a ticket. Each change is queued in the outbox and shown at
 * once; only the statuses the ticket may move to are offered.
 */
export function TicketControls({ ticket, nextStatuses, me, agents, categories }: Props) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const t = ticket.ticket;
  const article = parseArticle(t.related_article_id);
  const [url, setUrl] = useState(article?.url ?? "");
  const [title, setTitle] = useState(article?.title ?? "");
  const href = article ? safeHref(article.url) : null;
  const assigneeId = t.assignee?.id ?? "";
  const people = agents.some((a) => a.id === me.id) ? agents : [me, ...agents];
  const categoryChoices = categories.includes(t.category) ? categories : [t.category, ...categories];

  async function change(what: TicketChange, done?: string) {
    setBusy(true);
    try {
      await staffApi.updateTicket(ticket.key, what);
      notifyChanged();
      if (done) toast(done);
    } catch (e) {
      toast(errorMessage(e), "error");
    } finally {
      setBusy(false);
    }
  }

  function saveArticle(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    void change({ related_article: formatArticle({ url, title }) }, "Related article saved.");
  }

  return (
    <div className="ticket-controls">
      <section aria-labelledby="assign-title">
        <h2 id="assign-title">Assignee</h2>
        <p id="ticket-assignee">{t.assignee?.name ?? "Nobody"}</p>
        <div className="actions">
          {assigneeId !== me.id && (
            <button type="button" id="assign-to-me" disabled={busy} onClick={() => void change({ assignee: me }, "Assigned to you.")}>
              Assign to me
            </button>
          )}
          {t.assignee && (
            <button type="button" id="unassign" disabled={busy} onClick={() => void change({ unassign: true }, "Unassigned.")}>
              Unassign
            </button>
          )}
        </div>
        <label>
          Assign to
          <select
            id="assign-to"
            value={assigneeId}
            disabled={busy}
            onChange={(e) => {
              const who = people.find((p) => p.id === e.target.value);
              void change(who ? { assignee: who } : { unassign: true });
            }}
          >
            <option value="">Nobody</option>
            {t.assignee && !people.some((p) => p.id === assigneeId) && (
              <option value={assigneeId}>{t.assignee.name}</option>
            )}
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id === me.id ? `${p.name} (me)` : p.name}
              </option>
            ))}
          </select>
        </label>
      </section>
      <section aria-labelledby="status-title">
        <h2 id="status-title">
          Status: <span id="ticket-status" data-status={t.status}>{STAFF_STATUS_LABELS[t.status]}</span>
        </h2>
        {nextStatuses.length === 0 ? (
          <p className="hint">A closed ticket stays closed.</p>
        ) : (
          <div className="actions status-actions" role="group" aria-label="Move the ticket to">
            {nextStatuses.map((s) => (
              <button
                key={s}
                type="button"
                className="status-action"
                data-status={s}
                disabled={busy}
                onClick={() => void change({ status: s }, `Status: ${STAFF_STATUS_LABELS[s]}.`)}
              >
                {STAFF_STATUS_LABELS[s]}
              </button>
            ))}
          </div>
        )}
      </section>
      <section aria-label="Priority and category" className="selects">
        <label>
          Priority
          <select
            id="ticket-priority"
            value={t.priority}
            disabled={busy}
            onChange={(e) => {
              const v = e.target.value;
              if (isPriority(v)) void change({ priority: v });
            }}
          >
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {PRIORITY_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Category
          <select
            id="ticket-category"
            value={t.category}
            disabled={busy}
            onChange={(e) => void change({ category: e.target.value })}
          >
            {categoryChoices.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
      </section>
      <form className="article-form" aria-labelledby="article-title-heading" onSubmit={saveArticle} noValidate>
        <h2 id="article-title-heading">Related help article</h2>
        {article && (
          <p id="related-article">
            {href ? (
              <ArticleLink ticketKey={ticket.key} href={href} label={article.title || href} />
            ) : (
              <span>{article.title || article.url}</span>
            )}
          </p>
        )}
        <label>
          Address
          <input id="article-url" type="url" value={url} placeholder="https://…" onChange={(e) => { setUrl(e.target.value); }} />
        </label>
        <label>
          Title
          <input id="article-title" value={title} onChange={(e) => { setTitle(e.target.value); }} />
        </label>
        <div className="actions">
          <button type="submit" id="save-article" disabled={busy}>
            {url.trim() === "" && article ? "Remove article" : "Save article"}
          </button>
        </div>
      </form>
    </div>
  );
}

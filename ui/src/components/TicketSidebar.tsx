import type { LocalTicket } from "../bindings";
import { CATEGORY_NONE, ticketNumber } from "../format";
import { ArticleLink } from "./ArticleLink";
import { PriorityBadge, StatusBadge } from "./Badges";
import { parseArticle, safeHref } from "./staff/labels";
import { Time } from "./Time";

export function TicketSidebar({ ticket, now }: { ticket: LocalTicket; now: number }) {
  const t = ticket.ticket;
  const article = parseArticle(t.related_article_id);
  // Only web addresses become links; anything else is shown as a reference to quote.
  const href = article ? safeHref(article.url) : null;
  return (
    <aside className="ticket-sidebar" aria-label="Ticket details">
      <dl>
        <dt>Number</dt>
        <dd className="ticket-number">{ticketNumber(t.number, ticket.pending)}</dd>
        <dt>Status</dt>
        <dd>
          <StatusBadge id="ticket-status" status={t.status} />
        </dd>
        <dt>Priority</dt>
        <dd>
          <PriorityBadge priority={t.priority} />
        </dd>
        <dt>Category</dt>
        <dd>{t.category || CATEGORY_NONE}</dd>
        <dt>Assigned to</dt>
        <dd>{t.assignee?.name ?? "Not assigned yet"}</dd>
        <dt>Created</dt>
        <dd>
          <Time value={t.created_at} now={now} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <Time value={t.updated_at} now={now} />
        </dd>
      </dl>
      {article && (
        <p className="related-article">
          Related help article:{" "}
          {href ? (
            <ArticleLink ticketKey={ticket.key} href={href} label={article.title || href} />
          ) : (
            <span>{article.title || article.url}</span>
          )}
        </p>
      )}
    </aside>
  );
}

import type { EventKind, QueueView, Status, TicketEvent } from "../../bindings";
import { PRIORITY_LABELS } from "../../format";

/** Status names as staff say them (the requester's screens say "Waiting for you"). */
export const STAFF_STATUS_LABELS: Record<Status, string> = {
  NEW: "New",
  IN_PROGRESS: "In progress",
  WAITING_FOR_USER: "Waiting for user",
  ON_HOLD: "On hold",
  RESOLVED: "Resolved",
  CLOSED: "Closed",
};

/** The queue views in sidebar order, with the domain's labels. */
export const VIEWS: { view: QueueView; label: string }[] = [
  { view: "mine", label: "Mine" },
  { view: "unassigned", label: "Unassigned" },
  { view: "urgent_high", label: "Urgent & high" },
  { view: "waiting_for_user", label: "Waiting for user" },
  { view: "on_hold", label: "On hold" },
  { view: "all_open", label: "All open" },
  { view: "resolved", label: "Resolved" },
];

/**
 * A related article is kept as one text: a bare address, or `[title](address)` when it
 * has a title (so the requester's side, which shows it as text, stays readable).
 */
export interface Article {
  url: string;
  title: string;
}

export function parseArticle(value: string | null): Article | null {
  if (value === null || value.trim() === "") return null;
  const linked = /^\[(.*)\]\((\S+)\)$/s.exec(value.trim());
  if (linked) return { title: linked[1] ?? "", url: linked[2] ?? "" };
  return { title: "", url: value.trim() };
}

export function formatArticle(article: Article): string {
  const url = article.url.trim();
  const title = article.title.trim().replace(/[[\]]/g, "");
  if (url === "") return "";
  return title === "" ? url : `[${title}](${url})`;
}

/** Only web addresses become links. */
export function safeHref(url: string): string | null {
  return /^https?:\/\//i.test(url) ? url : null;
}

const WHAT: Record<EventKind, string> = {
  created: "filed the ticket",
  status_changed: "changed the status",
  priority_changed: "changed the priority",
  category_changed: "changed the category",
  assignee_changed: "changed the assignee",
  related_article_changed: "changed the related article",
  resolution_marked: "marked the resolution",
};

function valueLabel(kind: EventKind, value: string | null): string {
  if (value === null || value === "") return "none";
  if (kind === "status_changed" && value in STAFF_STATUS_LABELS) {
    return STAFF_STATUS_LABELS[value as Status];
  }
  if (kind === "priority_changed" && value in PRIORITY_LABELS) {
    return PRIORITY_LABELS[value as keyof typeof PRIORITY_LABELS];
  }
  return value;
}

/** "Avery Agent changed the status: New → In progress". */
export function describeEvent(e: TicketEvent): string {
  const who = e.actor?.name ?? "Lifebuoy";
  const base = `${who} ${WHAT[e.kind]}`;
  if (e.kind === "created" || e.kind === "resolution_marked") return base;
  return `${base}: ${valueLabel(e.kind, e.from)} → ${valueLabel(e.kind, e.to)}`;
}

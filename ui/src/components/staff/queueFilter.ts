import type { ExportFilter, Priority, QueueFilter, QueueView, Status, TicketSort } from "../../bindings";

/** What the staff user picked on the Queue screen, as form values. */
export interface QueueChoice {
  view: QueueView | null;
  text: string;
  status: Status | null;
  priority: Priority | null;
  category: string | null;
  /** "" anyone, "me", "nobody", or a user id. */
  assignee: string;
  requester: string | null;
  /** `YYYY-MM-DD` from a date field, or "". */
  createdFrom: string;
  createdTo: string;
  sort: TicketSort;
}

export const DEFAULT_CHOICE: QueueChoice = {
  view: "all_open",
  text: "",
  status: null,
  priority: null,
  category: null,
  assignee: "",
  requester: null,
  createdFrom: "",
  createdTo: "",
  sort: "updated_desc",
};

/** Local midnight of a date field's day, as an instant. */
export function startOfDay(day: string, plusDays = 0): string | null {
  const at = new Date(`${day}T00:00:00`);
  if (Number.isNaN(at.getTime())) return null;
  at.setDate(at.getDate() + plusDays);
  return at.toISOString();
}

export function toFilter(choice: QueueChoice): QueueFilter {
  const text = choice.text.trim();
  let assignee: QueueFilter["assignee"] = null;
  if (choice.assignee === "me") assignee = { kind: "me" };
  else if (choice.assignee === "nobody") assignee = { kind: "nobody" };
  else if (choice.assignee !== "") assignee = { kind: "user", id: choice.assignee };
  return {
    view: choice.view,
    statuses: choice.status ? [choice.status] : [],
    priorities: choice.priority ? [choice.priority] : [],
    category: choice.category,
    assignee,
    requester: choice.requester,
    // The "to" day is included: the range ends at the next day's midnight.
    created_after: choice.createdFrom ? startOfDay(choice.createdFrom) : null,
    created_before: choice.createdTo ? startOfDay(choice.createdTo, 1) : null,
    text: text === "" ? null : text,
    sort: choice.sort,
    limit: null,
  };
}

/** The same tickets for the CSV export: what the queue shows is what the file holds. */
export function exportFilterOf(choice: QueueChoice, bom: boolean): ExportFilter {
  const filter = toFilter(choice);
  let assignee: string | null = null;
  if (choice.assignee === "nobody") assignee = "none";
  else if (choice.assignee !== "") assignee = choice.assignee;
  return {
    view: filter.view,
    statuses: filter.statuses,
    priorities: filter.priorities,
    category: filter.category,
    assignee,
    requester: filter.requester,
    created_from: filter.created_after,
    created_before: filter.created_before,
    text: filter.text,
    bom,
  };
}

/** Filters beyond the view: when the list is empty, offer to clear them. */
export function narrowed(choice: QueueChoice): boolean {
  return (
    choice.text.trim() !== "" ||
    choice.status !== null ||
    choice.priority !== null ||
    choice.category !== null ||
    choice.assignee !== "" ||
    choice.requester !== null ||
    choice.createdFrom !== "" ||
    choice.createdTo !== ""
  );
}

/*
 * Kept for the session, so opening a ticket and coming back finds the queue as it was.
 */
let remembered: QueueChoice = DEFAULT_CHOICE;

export function rememberedChoice(): QueueChoice {
  return remembered;
}

export function rememberChoice(choice: QueueChoice): void {
  remembered = choice;
}

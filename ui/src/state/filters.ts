import type { Priority, Status, TicketQuery } from "../bindings";

/** The dashboard counts a user can click; each stands for a set of statuses. */
export type CountKey = "total" | "new" | "in_progress" | "waiting_for_me" | "resolved";

export const COUNT_STATUSES: Record<CountKey, Status[]> = {
  total: [],
  new: ["NEW"],
  in_progress: ["IN_PROGRESS"],
  waiting_for_me: ["WAITING_FOR_USER"],
  resolved: ["RESOLVED"],
};

export interface TicketFilter {
  text: string;
  status: Status | null;
  priority: Priority | null;
}

export const NO_FILTER: TicketFilter = { text: "", status: null, priority: null };

export function toQuery(filter: TicketFilter): TicketQuery {
  const text = filter.text.trim();
  return {
    statuses: filter.status ? [filter.status] : [],
    priority: filter.priority,
    text: text === "" ? null : text,
  };
}

/** Which count matches the current filter, so it can show as pressed. */
export function activeCount(filter: TicketFilter): CountKey | null {
  if (filter.status === null) return "total";
  for (const [key, statuses] of Object.entries(COUNT_STATUSES) as [CountKey, Status[]][]) {
    if (statuses.length === 1 && statuses[0] === filter.status) return key;
  }
  return null;
}

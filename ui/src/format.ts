import type { OutboxState, Priority, Role, Status } from "./bindings";

export const STATUS_LABELS: Record<Status, string> = {
  NEW: "New",
  IN_PROGRESS: "In progress",
  WAITING_FOR_USER: "Waiting for you",
  ON_HOLD: "On hold",
  RESOLVED: "Resolved",
  CLOSED: "Closed",
};

export const STATUSES = Object.keys(STATUS_LABELS) as Status[];

export const PRIORITY_LABELS: Record<Priority, string> = {
  LOW: "Low",
  MEDIUM: "Medium",
  HIGH: "High",
  URGENT: "Urgent",
};

export const PRIORITIES = Object.keys(PRIORITY_LABELS) as Priority[];

export const ROLE_LABELS: Record<Role, string> = {
  requester: "Requester",
  agent: "Agent",
  admin: "Admin",
};

export const OUTBOX_STATE_LABELS: Record<OutboxState, string> = {
  queued: "Waiting to send",
  sending: "Sending…",
  sent: "Sent",
  failed: "Failed",
};

export function isStatus(value: string): value is Status {
  return value in STATUS_LABELS;
}

export function isPriority(value: string): value is Priority {
  return value in PRIORITY_LABELS;
}

function toMillis(time: string | number): number {
  return typeof time === "number" ? time : Date.parse(time);
}

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function absoluteTime(time: string | number): string {
  const ms = toMillis(time);
  return Number.isNaN(ms) ? "" : absolute.format(ms);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.35],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

/** "5 minutes ago", relative to `now` (when the data was read: no ticking clock). */
export function relativeTime(time: string | number, now: number): string {
  const ms = toMillis(time);
  if (Number.isNaN(ms)) return "";
  let amount = (ms - now) / 1000;
  if (Math.abs(amount) < 45) return "just now";
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return absoluteTime(ms);
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit] ?? "GB"}`;
}

/** A pending ticket has no number until the server gives it one. */
export function ticketNumber(number: string, pending: boolean): string {
  if (number !== "") return number;
  return pending ? "Sending…" : "—";
}

export const CATEGORY_NONE = "None";

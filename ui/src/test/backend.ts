/*
 * A stand-in for the Rust side in unit tests: Tauri's own IPC mock answers the
 * commands and carries events. The real app, with the real Rust commands, is covered
 * by the WebDriver end-to-end tests in /tests; these tests check what a user notices
 * in the UI itself.
 */
import { emit } from "@tauri-apps/api/event";
import { mockIPC } from "@tauri-apps/api/mocks";
import type { AppError, ClientEvent, ErrorKind, LocalTicket, Status, TicketRow } from "../bindings";

export type Args = Record<string, unknown>;
export type Handler = (args: Args) => unknown;

export interface Backend {
  calls: { cmd: string; args: Args }[];
  /** The arguments of every call to `cmd`, oldest first. */
  argsOf: (cmd: string) => Args[];
  /** Replaces or adds a command's answer mid-test. */
  on: (cmd: string, handler: Handler) => void;
}

/** Rust rejects with a plain AppError object, not an Error; this is what it looks like. */
export function rejectWith(kind: ErrorKind, message: string, fields: AppError["fields"] = []) {
  const error: AppError = { kind, message, fields };
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the IPC's own shape
  return Promise.reject(error);
}

export function mockBackend(handlers: Record<string, Handler>): Backend {
  const table = new Map(Object.entries(handlers));
  const calls: { cmd: string; args: Args }[] = [];
  mockIPC(
    (cmd, payload) => {
      const args = (payload ?? {}) as Args;
      calls.push({ cmd, args });
      const handler = table.get(cmd);
      if (!handler) return rejectWith("not_found", `No mock for ${cmd}`);
      return handler(args);
    },
    { shouldMockEvents: true },
  );
  return {
    calls,
    argsOf: (cmd) => calls.filter((c) => c.cmd === cmd).map((c) => c.args),
    on: (cmd, handler) => {
      table.set(cmd, handler);
    },
  };
}

export async function emitChanged(event: ClientEvent): Promise<void> {
  await emit("changed", event);
}

let seq = 0;

export function makeTicket(overrides: {
  key?: string;
  number?: string;
  subject?: string;
  status?: Status;
  pending?: boolean;
  unread?: boolean;
} = {}): LocalTicket {
  seq += 1;
  const key = overrides.key ?? `t-${seq}`;
  return {
    key,
    pending: overrides.pending ?? false,
    unread: overrides.unread ?? false,
    attachments: [],
    ticket: {
      id: key,
      number: overrides.number ?? `LB-${String(seq).padStart(6, "0")}`,
      subject: overrides.subject ?? `Ticket ${seq}`,
      description: "Something broke",
      status: overrides.status ?? "NEW",
      priority: "MEDIUM",
      category: "Hardware",
      requester: { id: "u1", name: "Rita Requester" },
      assignee: null,
      context: null,
      system_info: null,
      related_article_id: null,
      created_at: "2025-01-01T10:00:00Z",
      updated_at: "2025-01-02T10:00:00Z",
      first_response_at: null,
      resolved_at: null,
      closed_at: null,
      resolution_message_id: null,
      message_count: 0,
      attachment_count: 0,
    },
  };
}

/** What `list_tickets` answers for a ticket made by `makeTicket`. */
export function makeRow(overrides: Parameters<typeof makeTicket>[0] = {}): TicketRow {
  const { key, pending, unread, ticket } = makeTicket(overrides);
  const { number, subject, status, priority, updated_at } = ticket;
  return { key, pending, unread, number, subject, status, priority, updated_at };
}

export const COUNTS = {
  total: 0,
  new: 0,
  in_progress: 0,
  waiting_for_me: 0,
  on_hold: 0,
  resolved: 0,
  closed: 0,
};

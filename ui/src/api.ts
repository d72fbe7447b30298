import { commands } from "./bindings";
import type { AppError, ErrorKind, FieldError } from "./bindings";

/** What most commands resolve to (the generated bindings spell it out inline). */
export type Result<T> = { status: "ok"; data: T } | { status: "error"; error: AppError };

/** A command's `AppError`, thrown so screens can use ordinary try/catch and `.catch`. */
export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly fields: FieldError[];

  constructor(error: AppError) {
    super(error.message);
    this.name = "ApiError";
    this.kind = error.kind;
    this.fields = error.fields;
  }
}

export async function unwrap<T>(pending: Promise<Result<T>>): Promise<T> {
  const result = await pending;
  if (result.status === "ok") return result.data;
  throw new ApiError(result.error);
}

function isAppError(value: unknown): value is AppError {
  return (
    typeof value === "object" &&
    value !== null &&
    "message" in value &&
    typeof value.message === "string" &&
    "kind" in value &&
    typeof value.kind === "string"
  );
}

/** A sentence for people: AppError messages are written for them already. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (isAppError(error)) return error.message;
  if (typeof error === "string" && error !== "") return error;
  return "Something went wrong. Please try again.";
}

export function errorKind(error: unknown): ErrorKind | null {
  if (error instanceof ApiError) return error.kind;
  if (isAppError(error)) return error.kind;
  return null;
}

export function fieldErrors(error: unknown): FieldError[] {
  return error instanceof ApiError ? error.fields : [];
}

/**
 * Every command the UI uses, with `Result`s unwrapped: a failure becomes a thrown
 * `ApiError`. Commands that cannot fail with an `AppError` pass straight through.
 */
export const api = {
  session: () => unwrap(commands.session()),
  resume: () => unwrap(commands.resume()),
  signIn: (...a: Parameters<typeof commands.signIn>) => unwrap(commands.signIn(...a)),
  signOut: (...a: Parameters<typeof commands.signOut>) => unwrap(commands.signOut(...a)),
  defaultServer: () => commands.defaultServer(),
  listTickets: (...a: Parameters<typeof commands.listTickets>) => unwrap(commands.listTickets(...a)),
  ticketCounts: () => unwrap(commands.ticketCounts()),
  ticketDetail: (...a: Parameters<typeof commands.ticketDetail>) =>
    unwrap(commands.ticketDetail(...a)),
  thumbnail: (...a: Parameters<typeof commands.thumbnail>) => unwrap(commands.thumbnail(...a)),
  saveAttachment: (...a: Parameters<typeof commands.saveAttachment>) =>
    unwrap(commands.saveAttachment(...a)),
  categories: () => unwrap(commands.categories()),
  validateTicket: (...a: Parameters<typeof commands.validateTicket>) =>
    commands.validateTicket(...a),
  openRelatedArticle: (...a: Parameters<typeof commands.openRelatedArticle>) =>
    unwrap(commands.openRelatedArticle(...a)),
  loadDraft: (...a: Parameters<typeof commands.loadDraft>) => unwrap(commands.loadDraft(...a)),
  saveDraft: (...a: Parameters<typeof commands.saveDraft>) => unwrap(commands.saveDraft(...a)),
  discardDraft: (...a: Parameters<typeof commands.discardDraft>) =>
    unwrap(commands.discardDraft(...a)),
  pickFiles: (...a: Parameters<typeof commands.pickFiles>) => unwrap(commands.pickFiles(...a)),
  attachDropped: (...a: Parameters<typeof commands.attachDropped>) =>
    unwrap(commands.attachDropped(...a)),
  removeDraftFile: (...a: Parameters<typeof commands.removeDraftFile>) =>
    unwrap(commands.removeDraftFile(...a)),
  draftFilePreview: (...a: Parameters<typeof commands.draftFilePreview>) =>
    unwrap(commands.draftFilePreview(...a)),
  submitTicket: (...a: Parameters<typeof commands.submitTicket>) =>
    unwrap(commands.submitTicket(...a)),
  submitReply: (...a: Parameters<typeof commands.submitReply>) => unwrap(commands.submitReply(...a)),
  closeTicket: (...a: Parameters<typeof commands.closeTicket>) => unwrap(commands.closeTicket(...a)),
  reopenTicket: (...a: Parameters<typeof commands.reopenTicket>) =>
    unwrap(commands.reopenTicket(...a)),
  outbox: () => unwrap(commands.outbox()),
  retryOutbox: (...a: Parameters<typeof commands.retryOutbox>) => unwrap(commands.retryOutbox(...a)),
  discardOutbox: (...a: Parameters<typeof commands.discardOutbox>) =>
    unwrap(commands.discardOutbox(...a)),
  systemInfo: () => unwrap(commands.systemInfo()),
  settings: () => commands.settings(),
  saveSettings: (...a: Parameters<typeof commands.saveSettings>) =>
    unwrap(commands.saveSettings(...a)),
};

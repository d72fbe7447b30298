import { errorKind, errorMessage } from "../../api";

export type AdminAction =
  | "create-user"
  | "change-role"
  | "deactivate-user"
  | "reactivate-user"
  | "create-category"
  | "rename-category"
  | "archive-category"
  | "unarchive-category";

/**
 * What to tell an admin when a change was refused. The server's 409s arrive as
 * `conflict`; what they mean depends on what was being done, so the advice does too.
 * `who` is the user or category the action was about.
 */
export function adminErrorMessage(action: AdminAction, error: unknown, who = ""): string {
  const kind = errorKind(error);
  if (kind === "conflict") {
    switch (action) {
      case "create-user":
        return "An account with this email already exists. If it was deactivated, reactivate it in the list instead.";
      case "change-role":
      case "deactivate-user":
        return `${who || "This user"} is the last active admin. Make someone else an admin first, then try again.`;
      case "create-category":
      case "rename-category":
        return "A category with that name already exists (names are compared ignoring case). Pick another name.";
      default:
        return errorMessage(error);
    }
  }
  if (kind === "forbidden") return "Only admins can change users and categories.";
  return errorMessage(error);
}

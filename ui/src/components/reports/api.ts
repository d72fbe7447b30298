import { unwrap } from "../../api";
import { commands } from "../../bindings";

/** The staff and admin commands (stats, export, users, categories), with `Result`s unwrapped. */
export const staffApi = {
  stats: () => unwrap(commands.stats()),
  exportTickets: (...a: Parameters<typeof commands.exportTickets>) => unwrap(commands.exportTickets(...a)),
  cancelExport: () => commands.cancelExport(),
  listUsers: () => unwrap(commands.listUsers()),
  createUser: (...a: Parameters<typeof commands.createUser>) => unwrap(commands.createUser(...a)),
  updateUser: (...a: Parameters<typeof commands.updateUser>) => unwrap(commands.updateUser(...a)),
  listCategories: () => unwrap(commands.listCategories()),
  createCategory: (...a: Parameters<typeof commands.createCategory>) => unwrap(commands.createCategory(...a)),
  updateCategory: (...a: Parameters<typeof commands.updateCategory>) => unwrap(commands.updateCategory(...a)),
};

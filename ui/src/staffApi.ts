import { unwrap } from "./api";
import { commands } from "./bindings";

/** The staff workspace's commands, with `Result`s unwrapped like `api`. */
export const staffApi = {
  queue: (...a: Parameters<typeof commands.queue>) => unwrap(commands.queue(...a)),
  queueCounts: () => unwrap(commands.queueCounts()),
  staffTicket: (...a: Parameters<typeof commands.staffTicket>) => unwrap(commands.staffTicket(...a)),
  refreshTicket: (...a: Parameters<typeof commands.refreshTicket>) =>
    unwrap(commands.refreshTicket(...a)),
  updateTicket: (...a: Parameters<typeof commands.updateTicket>) =>
    unwrap(commands.updateTicket(...a)),
  submitNote: (...a: Parameters<typeof commands.submitNote>) => unwrap(commands.submitNote(...a)),
  markResolution: (...a: Parameters<typeof commands.markResolution>) =>
    unwrap(commands.markResolution(...a)),
  bulkUpdate: (...a: Parameters<typeof commands.bulkUpdate>) => unwrap(commands.bulkUpdate(...a)),
  agents: () => unwrap(commands.agents()),
};

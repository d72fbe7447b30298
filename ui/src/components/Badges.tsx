import type { Priority, Role, Status } from "../bindings";
import { PRIORITY_LABELS, ROLE_LABELS, STATUS_LABELS } from "../format";

export function StatusBadge({ status, id }: { status: Status; id?: string }) {
  return (
    <span id={id} className={`ticket-status badge status-${status.toLowerCase()}`} data-status={status}>
      {STATUS_LABELS[status]}
    </span>
  );
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  return (
    <span className={`ticket-priority badge priority-${priority.toLowerCase()}`} data-priority={priority}>
      {PRIORITY_LABELS[priority]}
    </span>
  );
}

export function RoleBadge({ role }: { role: Role }) {
  return (
    <span className={`role-badge badge role-${role}`} data-role={role}>
      {ROLE_LABELS[role]}
    </span>
  );
}

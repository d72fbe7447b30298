import type { ChangeEvent } from "react";
import type { TicketSort, UserRef } from "../../bindings";
import { PRIORITIES, PRIORITY_LABELS, STATUSES, isPriority, isStatus } from "../../format";
import { STAFF_STATUS_LABELS } from "./labels";
import type { QueueChoice } from "./queueFilter";

interface Props {
  choice: QueueChoice;
  categories: string[];
  agents: UserRef[];
  requesters: UserRef[];
  onChoice: (choice: QueueChoice) => void;
}

const SORTS: { sort: TicketSort; label: string }[] = [
  { sort: "updated_desc", label: "Last activity" },
  { sort: "created_desc", label: "Newest first" },
  { sort: "priority_desc", label: "Priority" },
];

function isSort(value: string): value is TicketSort {
  return SORTS.some((s) => s.sort === value);
}

export function QueueFilters({ choice, categories, agents, requesters, onChoice }: Props) {
  const set = (patch: Partial<QueueChoice>) => { onChoice({ ...choice, ...patch }); };
  const value = (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => e.target.value;

  return (
    <div className="queue-filters" role="search" aria-label="Filter the queue">
      <label className="grow">
        <span className="visually-hidden">Search number, subject, description and messages</span>
        <input
          id="queue-search"
          type="search"
          placeholder="Search number, subject, messages…"
          value={choice.text}
          onChange={(e) => { set({ text: value(e) }); }}
        />
      </label>
      <label>
        Status
        <select
          id="filter-status"
          value={choice.status ?? ""}
          onChange={(e) => {
            const v = value(e);
            set({ status: isStatus(v) ? v : null });
          }}
        >
          <option value="">Any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STAFF_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Priority
        <select
          id="filter-priority"
          value={choice.priority ?? ""}
          onChange={(e) => {
            const v = value(e);
            set({ priority: isPriority(v) ? v : null });
          }}
        >
          <option value="">Any</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {PRIORITY_LABELS[p]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Category
        <select
          id="filter-category"
          value={choice.category ?? ""}
          onChange={(e) => { set({ category: value(e) || null }); }}
        >
          <option value="">Any</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        Assignee
        <select id="filter-assignee" value={choice.assignee} onChange={(e) => { set({ assignee: value(e) }); }}>
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="nobody">Nobody</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Requester
        <select
          id="filter-requester"
          value={choice.requester ?? ""}
          onChange={(e) => { set({ requester: value(e) || null }); }}
        >
          <option value="">Anyone</option>
          {requesters.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Created from
        <input
          id="filter-created-from"
          type="date"
          value={choice.createdFrom}
          onChange={(e) => { set({ createdFrom: value(e) }); }}
        />
      </label>
      <label>
        to
        <input
          id="filter-created-to"
          type="date"
          value={choice.createdTo}
          onChange={(e) => { set({ createdTo: value(e) }); }}
        />
      </label>
      <label>
        Sort by
        <select
          id="queue-sort"
          value={choice.sort}
          onChange={(e) => {
            const v = value(e);
            if (isSort(v)) set({ sort: v });
          }}
        >
          {SORTS.map((s) => (
            <option key={s.sort} value={s.sort}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

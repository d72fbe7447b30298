import type { TicketFilter } from "../state/filters";
import { PRIORITIES, PRIORITY_LABELS, STATUSES, STATUS_LABELS, isPriority, isStatus } from "../format";

interface Props {
  filter: TicketFilter;
  onFilter: (filter: TicketFilter) => void;
}

export function TicketFilters({ filter, onFilter }: Props) {
  return (
    <div role="search" className="filters" aria-label="Filter tickets">
      <div className="filter">
        <label htmlFor="search">Search</label>
        <input
          id="search"
          type="search"
          placeholder="Number, subject or description"
          value={filter.text}
          onChange={(e) => { onFilter({ ...filter, text: e.target.value }); }}
        />
      </div>
      <div className="filter">
        <label htmlFor="status-filter">Status</label>
        <select
          id="status-filter"
          name="status_filter"
          value={filter.status ?? ""}
          onChange={(e) => {
            const v = e.target.value;
            onFilter({ ...filter, status: isStatus(v) ? v : null });
          }}
        >
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor="priority-filter">Priority</label>
        <select
          id="priority-filter"
          name="priority_filter"
          value={filter.priority ?? ""}
          onChange={(e) => {
            const v = e.target.value;
            onFilter({ ...filter, priority: isPriority(v) ? v : null });
          }}
        >
          <option value="">Any priority</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {PRIORITY_LABELS[p]}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

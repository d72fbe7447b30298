import type { TicketCounts } from "../bindings";
import type { CountKey } from "../state/filters";

const ITEMS: { key: CountKey; label: string }[] = [
  { key: "total", label: "All tickets" },
  { key: "new", label: "New" },
  { key: "in_progress", label: "In progress" },
  { key: "waiting_for_me", label: "Waiting for me" },
  { key: "resolved", label: "Resolved" },
];

interface Props {
  counts: TicketCounts | undefined;
  active: CountKey | null;
  onPick: (key: CountKey) => void;
}

export function CountsBar({ counts, active, onPick }: Props) {
  return (
    <ul className="counts" aria-label="Ticket counts: pick one to filter the list">
      {ITEMS.map(({ key, label }) => (
        <li key={key}>
          <button
            type="button"
            className={`count count-${key}`}
            aria-pressed={active === key}
            onClick={() => { onPick(key); }}
          >
            <span className="count-number" data-count={key}>
              {counts ? counts[key] : "–"}
            </span>
            <span className="count-label">{label}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

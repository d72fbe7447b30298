import type { QueueCounts, QueueView } from "../../bindings";
import { VIEWS } from "./labels";

interface Props {
  counts: QueueCounts | undefined;
  active: QueueView | null;
  onPick: (view: QueueView) => void;
}

export function QueueViews({ counts, active, onPick }: Props) {
  return (
    <nav className="queue-views" aria-label="Queue views">
      <ul>
        {VIEWS.map(({ view, label }) => (
          <li key={view}>
            <button
              type="button"
              className="queue-view"
              data-view={view}
              aria-pressed={active === view}
              onClick={() => { onPick(view); }}
            >
              <span className="label">{label}</span>
              <span className="count" aria-label={`${counts?.[view] ?? 0} tickets`}>
                {counts ? counts[view] : "–"}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

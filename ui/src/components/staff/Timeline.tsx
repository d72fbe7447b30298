import type { TicketEvent } from "../../bindings";
import { Time } from "../Time";
import { describeEvent } from "./labels";

export function Timeline({ events, now }: { events: TicketEvent[]; now: number }) {
  return (
    <section className="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {events.length === 0 ? (
        <p className="empty">No changes known on this device yet.</p>
      ) : (
        <ol id="timeline">
          {events.map((e, i) => (
            <li key={`${e.created_at}-${i}`} className="timeline-event" data-kind={e.kind}>
              <span>{describeEvent(e)}</span> <Time value={e.created_at} now={now} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

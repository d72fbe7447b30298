import { useCallback } from "react";
import { api } from "../api";
import { CountsBar } from "../components/CountsBar";
import { TicketFilters } from "../components/TicketFilters";
import { TicketList } from "../components/TicketList";
import { useLoad } from "../state/changes";
import { COUNT_STATUSES, NO_FILTER, activeCount, toQuery } from "../state/filters";
import type { TicketFilter } from "../state/filters";
import { useNavigate } from "../state/navigation";

interface Props {
  filter: TicketFilter;
  onFilter: (filter: TicketFilter) => void;
}

export function Tickets({ filter, onFilter }: Props) {
  const navigate = useNavigate();
  const counts = useLoad(useCallback(() => api.ticketCounts(), []));
  const list = useLoad(useCallback(() => api.listTickets(toQuery(filter)), [filter]));
  const openTicket = useCallback((key: string) => { navigate({ name: "ticket", key }); }, [navigate]);
  const filtered = filter.text.trim() !== "" || filter.status !== null || filter.priority !== null;

  return (
    <section className="screen tickets-screen" aria-labelledby="tickets-title">
      <div className="screen-head">
        <h1 id="tickets-title" tabIndex={-1}>
          Tickets
        </h1>
        <button
          type="button"
          id="new-ticket"
          className="primary"
          onClick={() => { navigate({ name: "new-ticket", screenshotReady: false }); }}
        >
          New ticket
        </button>
      </div>
      <CountsBar
        counts={counts.data}
        active={activeCount(filter)}
        onPick={(key) => { onFilter({ ...filter, status: COUNT_STATUSES[key][0] ?? null }); }}
      />
      <TicketFilters filter={filter} onFilter={onFilter} />
      {(list.error ?? counts.error) && (
        <p className="error" role="alert">
          {list.error ?? counts.error}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {list.data ? `${list.data.length} tickets shown` : ""}
      </p>
      {list.data === undefined ? (
        !list.error && <p className="empty">Loading tickets…</p>
      ) : list.data.length === 0 ? (
        filtered ? (
          <div className="empty">
            <p>No tickets match these filters.</p>
            <button type="button" onClick={() => { onFilter(NO_FILTER); }}>
              Show all tickets
            </button>
          </div>
        ) : (
          <div className="empty">
            <p>No tickets yet.</p>
            <p>When something is not working, use New ticket and the support team will help.</p>
          </div>
        )
      ) : (
        <TicketList tickets={list.data} now={list.readAt} onOpen={openTicket} />
      )}
    </section>
  );
}

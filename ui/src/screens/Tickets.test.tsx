import { screen, waitFor } from "@testing-library/react";
import type { TicketRow } from "../bindings";
import { NO_FILTER } from "../state/filters";
import { COUNTS, emitChanged, makeRow, mockBackend } from "../test/backend";
import { renderScreen } from "../test/render";
import { Tickets } from "./Tickets";

// jsdom does no layout: give every element the box a 800×600 webview would give the
// list's scroller, so the virtualiser has a window to fill.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(600);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(800);
});

afterEach(() => {
  vi.restoreAllMocks();
});

test("the list re-reads on a change event and shows a pending ticket as Sending…", async () => {
  let tickets: TicketRow[] = [makeRow({ key: "a", subject: "Printer jams" })];
  let counts = { ...COUNTS, total: 1, new: 1 };
  const backend = mockBackend({
    list_tickets: () => tickets,
    ticket_counts: () => counts,
  });
  renderScreen(<Tickets filter={NO_FILTER} onFilter={() => undefined} />);

  expect(await screen.findByText("Printer jams")).toBeTruthy();
  await waitFor(() => { expect(document.querySelector('[data-count="total"]')?.textContent).toBe("1"); });

  tickets = [
    makeRow({ key: "local-1", number: "", pending: true, subject: "Screen flickers", unread: true }),
    ...tickets,
  ];
  counts = { ...COUNTS, total: 2, new: 2 };
  const readsBefore = backend.argsOf("list_tickets").length;
  await emitChanged({ type: "store_changed" });

  const card = await waitFor(() => {
    const el = document.querySelector('.ticket-card[data-ticket-key="local-1"]');
    expect(el).not.toBeNull();
    return el;
  });
  expect(card?.querySelector(".ticket-number")?.textContent).toBe("Sending…");
  expect(card?.querySelector(".ticket-subject")?.textContent).toBe("Screen flickers");
  expect(card?.querySelector('.ticket-status[data-status="NEW"]')).not.toBeNull();
  expect(card?.querySelector(".unread")).not.toBeNull();
  await waitFor(() => { expect(document.querySelector('[data-count="total"]')?.textContent).toBe("2"); });
  expect(backend.argsOf("list_tickets").length).toBe(readsBefore + 1);
});

test("ten thousand tickets render only a window of cards", async () => {
  const many = Array.from({ length: 10_000 }, (_, i) => makeRow({ key: `k${i}`, subject: `Ticket number ${i}` }));
  mockBackend({
    list_tickets: () => many,
    ticket_counts: () => ({ ...COUNTS, total: many.length }),
  });
  renderScreen(<Tickets filter={NO_FILTER} onFilter={() => undefined} />);
  await screen.findByText("Ticket number 0");
  const rows = document.querySelectorAll(".ticket-card");
  expect(rows.length).toBeGreaterThan(5);
  expect(rows.length).toBeLessThan(50);
  expect(document.querySelector('[role="listitem"]')?.getAttribute("aria-setsize")).toBe("10000");
  expect(screen.queryByText("Ticket number 9999")).toBeNull();
});

test("clicking a count filters the list by its status", async () => {
  mockBackend({ list_tickets: () => [], ticket_counts: () => ({ ...COUNTS, total: 3, waiting_for_me: 2 }) });
  const onFilter = vi.fn();
  renderScreen(<Tickets filter={NO_FILTER} onFilter={onFilter} />);
  const count = await waitFor(() => {
    const el = document.querySelector<HTMLElement>('[data-count="waiting_for_me"]');
    expect(el?.textContent).toBe("2");
    return el;
  });
  count?.click();
  expect(onFilter).toHaveBeenCalledWith({ ...NO_FILTER, status: "WAITING_FOR_USER" });
});

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { BulkResult, LocalTicket, QueueCounts, User } from "../bindings";
import { makeTicket, mockBackend, rejectWith } from "../test/backend";
import { renderScreen } from "../test/render";
import { Queue } from "./Queue";
import { DEFAULT_CHOICE, rememberChoice } from "../components/staff/queueFilter";

const AGENT: User = { id: "me-1", email: "agent@demo.test", name: "Avery Agent", role: "agent" };

const COUNTS: QueueCounts = {
  mine: 1,
  unassigned: 4,
  urgent_high: 2,
  waiting_for_user: 0,
  on_hold: 0,
  all_open: 5,
  resolved: 3,
};

// jsdom does no layout: give the scroller the box of an 800×600 webview.
beforeEach(() => {
  vi.spyOn(HTMLElement.prototype, "clientHeight", "get").mockReturnValue(600);
  vi.spyOn(HTMLElement.prototype, "clientWidth", "get").mockReturnValue(800);
  rememberChoice(DEFAULT_CHOICE);
});

afterEach(() => {
  vi.restoreAllMocks();
});

function tickets(n: number): LocalTicket[] {
  return Array.from({ length: n }, (_, i) =>
    makeTicket({ key: `k${i}`, number: `LB-00000${i}`, subject: `Problem ${i}`, unread: i === 1 }),
  );
}

function backendWith(list: LocalTicket[], extra: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  return mockBackend({
    queue: () => list,
    queue_counts: () => COUNTS,
    agents: () => [{ id: "a-2", name: "Sam Second" }],
    categories: () => ["general", "network"],
    ...extra,
  });
}

function row(key: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`.queue-row[data-ticket-key="${key}"]`);
  if (!el) throw new Error(`no row ${key}`);
  return el;
}

test("views show their counts and the filters become the store query", async () => {
  const backend = backendWith(tickets(3));
  const user = userEvent.setup();
  renderScreen(<Queue user={AGENT} />);

  await screen.findByText("Problem 0");
  await waitFor(() => {
    expect(document.querySelector('.queue-view[data-view="unassigned"] .count')?.textContent).toBe("4");
  });
  expect(row("k1").classList.contains("is-unread")).toBe(true);
  expect(row("k0").classList.contains("is-unread")).toBe(false);
  expect(backend.argsOf("queue").at(-1)?.filter).toMatchObject({ view: "all_open", text: null });

  await user.click(screen.getByRole("button", { name: /^Unassigned/ }));
  await waitFor(() => { expect(backend.argsOf("queue").at(-1)?.filter).toMatchObject({ view: "unassigned" }); });
  expect(screen.getByRole("button", { name: /^Unassigned/ }).getAttribute("aria-pressed")).toBe("true");

  await user.type(document.querySelector<HTMLInputElement>("#queue-search") ?? document.body, "vpn");
  await user.selectOptions(screen.getByLabelText("Assignee"), "me");
  await user.selectOptions(screen.getByLabelText("Priority"), "URGENT");
  await user.selectOptions(screen.getByLabelText("Sort by"), "priority_desc");
  await waitFor(() => {
    expect(backend.argsOf("queue").at(-1)?.filter).toMatchObject({
      view: "unassigned",
      text: "vpn",
      assignee: { kind: "me" },
      priorities: ["URGENT"],
      sort: "priority_desc",
    });
  });
  fireEvent.change(screen.getByLabelText("Created from"), { target: { value: "2025-03-01" } });
  await waitFor(() => {
    const sent = backend.argsOf("queue").at(-1)?.filter as { created_after: string | null };
    expect(sent.created_after).toBe(new Date("2025-03-01T00:00:00").toISOString());
  });
});

test("shift-click selects a range, and the selection clears when the view changes", async () => {
  backendWith(tickets(6));
  const user = userEvent.setup();
  renderScreen(<Queue user={AGENT} />);
  await screen.findByText("Problem 0");
  // The bulk changes are offered once something is selected, and go with the selection.
  expect(document.querySelector("#bulk-assign")).toBeNull();

  await user.click(within(row("k1")).getByRole("checkbox"));
  expect(document.querySelector("#bulk-assign")).not.toBeNull();
  fireEvent.click(within(row("k4")).getByRole("checkbox"), { shiftKey: true });
  await waitFor(() => { expect(document.querySelector("#bulk-count")?.textContent).toBe("4 selected"); });
  const checked = Array.from(document.querySelectorAll<HTMLInputElement>('.queue-row input[type="checkbox"]'))
    .filter((c) => c.checked)
    .map((c) => c.closest(".queue-row")?.getAttribute("data-ticket-key"));
  expect(checked).toEqual(["k1", "k2", "k3", "k4"]);

  await user.click(within(row("k2")).getByRole("checkbox"));
  expect(document.querySelector("#bulk-count")?.textContent).toBe("3 selected");

  await user.click(screen.getByRole("button", { name: /^Mine/ }));
  await waitFor(() => { expect(document.querySelector("#bulk-count")?.textContent).not.toContain("selected"); });
  expect(document.querySelector("#bulk-status")).toBeNull();
});

test("a bulk change shows what failed and why, and keeps the failed tickets selected", async () => {
  const list = tickets(3);
  const first = list[0];
  if (!first) throw new Error("no tickets");
  const result: BulkResult = {
    updated: 1,
    failed: 1,
    results: [
      { ticket_id: "k0", ticket: { ...first.ticket, status: "RESOLVED" }, error: null },
      {
        ticket_id: "k2",
        ticket: null,
        error: { type: "about:blank", title: "Conflict", status: 409, detail: "A closed ticket cannot become Resolved." },
      },
    ],
  };
  const backend = backendWith(list, { bulk_update: () => result });
  const user = userEvent.setup();
  renderScreen(<Queue user={AGENT} />);
  await screen.findByText("Problem 0");

  await user.click(within(row("k0")).getByRole("checkbox"));
  await user.click(within(row("k2")).getByRole("checkbox"));
  await user.selectOptions(document.querySelector<HTMLSelectElement>("#bulk-status") ?? document.body, "RESOLVED");

  await waitFor(() => { expect(backend.argsOf("bulk_update")).toEqual([{ keys: ["k0", "k2"], change: { status: "RESOLVED" } }]); });
  const summary = await waitFor(() => {
    const el = document.querySelector<HTMLElement>("#bulk-summary");
    expect(el).not.toBeNull();
    return el as HTMLElement;
  });
  expect(summary.querySelector(".bulk-totals")?.textContent).toBe("1 changed, 1 not changed.");
  const failures = summary.querySelectorAll(".bulk-failure");
  expect(failures).toHaveLength(1);
  expect(failures[0]?.textContent).toBe("LB-000002: A closed ticket cannot become Resolved.");
  expect(document.querySelector("#bulk-count")?.textContent).toBe("1 selected");

  await user.click(within(summary).getByRole("button", { name: "Close" }));
  expect(document.querySelector("#bulk-summary")).toBeNull();

  await user.selectOptions(document.querySelector<HTMLSelectElement>("#bulk-assign") ?? document.body, "me-1");
  await waitFor(() => {
    expect(backend.argsOf("bulk_update").at(-1)).toEqual({
      keys: ["k2"],
      change: { assignee: { id: "me-1", name: "Avery Agent" } },
    });
  });
});

test("offline, a bulk change is refused with the reason and nothing is applied", async () => {
  backendWith(tickets(2), {
    bulk_update: () => rejectWith("offline", "Bulk changes need a connection to the server, and there is none now. Nothing was changed."),
  });
  const user = userEvent.setup();
  renderScreen(<Queue user={AGENT} />);
  await screen.findByText("Problem 0");
  await user.click(within(row("k0")).getByRole("checkbox"));
  await user.selectOptions(document.querySelector<HTMLSelectElement>("#bulk-priority") ?? document.body, "HIGH");
  expect(await screen.findByText(/Nothing was changed\./)).toBeTruthy();
  expect(document.querySelector("#bulk-summary")).toBeNull();
  expect(document.querySelector("#bulk-count")?.textContent).toBe("1 selected");
});

test("export these saves what the queue shows: its view and every filter", async () => {
  const backend = backendWith(tickets(2), {
    requesters: () => [],
    export_tickets: () => ({ outcome: "saved", path: "/home/avery/unassigned.csv", rows: 2, bytes: 300 }),
  });
  const user = userEvent.setup();
  renderScreen(<Queue user={AGENT} />);
  await screen.findByText("Problem 0");
  await user.click(screen.getByRole("button", { name: /^Unassigned/ }));
  await user.type(document.querySelector<HTMLInputElement>("#queue-search") ?? document.body, "vpn");
  await user.selectOptions(screen.getByLabelText("Priority"), "HIGH");
  fireEvent.change(screen.getByLabelText("Created from"), { target: { value: "2025-03-01" } });
  fireEvent.change(screen.getByLabelText("to"), { target: { value: "2025-03-31" } });

  await user.click(screen.getByRole("button", { name: "Export these…" }));
  await waitFor(() => { expect(backend.argsOf("export_tickets")).toHaveLength(1); });
  expect(backend.argsOf("export_tickets")[0]).toEqual({
    filter: {
      view: "unassigned",
      statuses: [],
      priorities: ["HIGH"],
      category: null,
      assignee: null,
      requester: null,
      created_from: new Date("2025-03-01T00:00:00").toISOString(),
      // The last day is included: up to the next local midnight.
      created_before: new Date("2025-04-01T00:00:00").toISOString(),
      text: "vpn",
      bom: false,
    },
  });
  await waitFor(() => { expect(document.querySelector("#export-done")?.textContent).toContain("Saved 2 tickets to"); });
});

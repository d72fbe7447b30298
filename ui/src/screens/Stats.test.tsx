import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { emit } from "@tauri-apps/api/event";
import type { ExportOutcome, Stats as StatsData } from "../bindings";
import { emitChanged, mockBackend, rejectWith } from "../test/backend";
import { renderScreen } from "../test/render";
import { Stats } from "./Stats";

function stats(open: number): StatsData {
  return {
    open,
    unassigned: 2,
    by_status: { NEW: 3, IN_PROGRESS: 1, WAITING_FOR_USER: 0, ON_HOLD: 0, RESOLVED: 4, CLOSED: 1 },
    by_priority: { LOW: 0, MEDIUM: 4, HIGH: 0, URGENT: 1 },
    by_category: { network: 3, hardware: 5 },
    first_response: { count: 5, mean_seconds: 3 * 3600 + 600, median_seconds: 45 * 60 },
    resolution: { count: 4, mean_seconds: 2 * 86400 + 4 * 3600, median_seconds: null },
    created_30d: 9,
    resolved_30d: 6,
    resolution_rate_30d: 6 / 9,
    by_day: Array.from({ length: 30 }, (_, i) => ({
      date: new Date(Date.UTC(2026, 2, 1 + i)).toISOString().slice(0, 10),
      created: i === 29 ? 5 : 0,
      resolved: i === 29 ? 2 : 0,
    })),
  };
}

function text(selector: string): string | null | undefined {
  return document.querySelector(selector)?.textContent;
}

test("the figures show as people read them, with a chart and its table", async () => {
  mockBackend({ stats: () => stats(4), categories: () => ["network", "hardware"] });
  renderScreen(<Stats />);
  await waitFor(() => { expect(text("#stats-open")).toBe("4"); });
  expect(text("#stats-unassigned")).toBe("2");
  expect(text("#stats-resolution-rate")).toBe("67 %");
  expect(text("#stats-first-response .median")).toBe("45 min");
  expect(text("#stats-first-response .mean")).toBe("3 h 10 min");
  expect(text("#stats-resolution .median")).toBe("—");
  expect(text("#stats-resolution .mean")).toBe("2 d 4 h");
  expect(text('#stats-by-status [data-status="WAITING_FOR_USER"] dt')).toBe("Waiting for user");
  expect(text('#stats-by-priority [data-priority="URGENT"] dd')).toBe("1");
  // Busiest category first.
  expect(document.querySelector("#stats-by-category [data-category]")?.getAttribute("data-category")).toBe("hardware");
  const today = document.querySelector('#chart-created-resolved g[data-date="2026-03-30"]');
  expect(today?.querySelector(".bar-created")?.getAttribute("data-value")).toBe("5");
  expect(today?.querySelector(".bar-resolved")?.getAttribute("data-value")).toBe("2");
  expect(screen.getByRole("img", { name: "Tickets created and resolved per day" })).toBeTruthy();
  const rows = document.querySelectorAll("#chart-table tbody tr");
  expect(rows).toHaveLength(30);
  expect(rows[29]?.textContent).toContain("52");
});

test("a burst of changes re-reads the stats once, after it settles", async () => {
  let open = 4;
  const backend = mockBackend({ stats: () => stats(open), categories: () => [] });
  renderScreen(<Stats quietMs={40} />);
  await waitFor(() => { expect(text("#stats-open")).toBe("4"); });
  expect(backend.argsOf("stats")).toHaveLength(1);
  open = 7;
  for (let i = 0; i < 5; i++) await emitChanged({ type: "store_changed" });
  await emitChanged({ type: "upload_progress", outbox_id: 1, file_name: "a.png", sent: 1, total: 2 });
  await waitFor(() => { expect(text("#stats-open")).toBe("7"); });
  await new Promise((r) => setTimeout(r, 80));
  expect(backend.argsOf("stats")).toHaveLength(2);
});

test("offline, the stats say they need a connection", async () => {
  mockBackend({
    stats: () => rejectWith("offline", "The stats needs a connection to the server (connection refused)"),
    categories: () => [],
  });
  renderScreen(<Stats />);
  await waitFor(() => { expect(text("#stats-error")).toMatch(/needs a connection/); });
  expect(document.querySelector("#stats-open")).toBeNull();
});

test("an export shows progress from events, can be cancelled, and says nothing was saved", async () => {
  let finish: (outcome: ExportOutcome) => void = () => undefined;
  const backend = mockBackend({
    stats: () => stats(1),
    categories: () => ["network"],
    export_tickets: () => new Promise<ExportOutcome>((resolve) => { finish = resolve; }),
    cancel_export: () => {
      finish({ outcome: "cancelled" });
      return null;
    },
  });
  const user = userEvent.setup();
  renderScreen(<Stats />);
  await user.selectOptions(await screen.findByLabelText("Status"), "RESOLVED");
  await user.selectOptions(screen.getByLabelText("Assignee"), "none");
  await user.type(screen.getByLabelText("Created from"), "2026-03-01");
  await user.click(screen.getByLabelText(/For Excel/));
  await user.click(screen.getByRole("button", { name: "Export CSV…" }));
  await waitFor(() => { expect(backend.argsOf("export_tickets")).toHaveLength(1); });
  expect(backend.argsOf("export_tickets")[0]).toEqual({
    filter: {
      view: null,
      statuses: ["RESOLVED"],
      priorities: [],
      category: null,
      assignee: "none",
      requester: null,
      // The day the user picked, from their own midnight.
      created_from: new Date("2026-03-01T00:00:00").toISOString(),
      created_before: null,
      text: null,
      bom: true,
    },
  });
  expect(screen.getByRole("button", { name: "Export CSV…" })).toHaveProperty("disabled", true);

  await act(() => emit("export-progressed", { rows: 250, bytes: 25000, total_rows: 1000 }));
  await waitFor(() => { expect(document.querySelector("#export-progress")?.getAttribute("value")).toBe("0.25"); });
  expect(screen.getByText("250 of 1,000 tickets")).toBeTruthy();

  await user.click(screen.getByRole("button", { name: "Cancel" }));
  await waitFor(() => { expect(document.querySelector("#export-cancelled")).not.toBeNull(); });
  expect(backend.argsOf("cancel_export")).toHaveLength(1);
  expect(document.querySelector("#export-progress")).toBeNull();
  expect(document.querySelector("#export-done")).toBeNull();
});

test("a finished export says where it was saved", async () => {
  mockBackend({
    stats: () => stats(1),
    categories: () => [],
    export_tickets: () => ({ outcome: "saved", path: "/home/sam/tickets-2026-03-30.csv", rows: 1234, bytes: 99 }),
  });
  const user = userEvent.setup();
  renderScreen(<Stats />);
  await user.click(await screen.findByRole("button", { name: "Export CSV…" }));
  const done = await waitFor(() => {
    const el = document.querySelector("#export-done");
    expect(el).not.toBeNull();
    return el;
  });
  expect(done?.textContent).toContain("1,234 tickets");
  expect(done?.textContent).toContain("/home/sam/tickets-2026-03-30.csv");
});

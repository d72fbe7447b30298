import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { LocalMessage, StaffTicket as StaffTicketData, Status, User } from "../bindings";
import { makeTicket, mockBackend } from "../test/backend";
import { renderScreen } from "../test/render";
import { StaffTicket } from "./StaffTicket";

const AGENT: User = { id: "me-1", email: "agent@demo.test", name: "Avery Agent", role: "agent" };

function message(key: string, body: string, internal: boolean, role: "agent" | "requester" = "agent"): LocalMessage {
  return {
    key,
    pending: false,
    outbox_state: null,
    outbox_error: null,
    message: {
      id: key,
      ticket_id: "t-9",
      author: { id: role === "agent" ? "me-1" : "u1", name: role === "agent" ? "Avery Agent" : "Rita Requester", role },
      body,
      internal,
      attachments: [],
      created_at: "2025-01-02T10:00:00Z",
    },
  };
}

function data(status: Status, next: Status[]): StaffTicketData {
  const ticket = makeTicket({ key: "t-9", status, subject: "VPN drops" });
  ticket.ticket.system_info = { os: "Ubuntu 24.04", memory: "16 GB" };
  return {
    detail: {
      ticket,
      messages: [
        message("m1", "It drops every hour", false, "requester"),
        message("m2", "Check the DHCP lease", true),
        message("m3", "Update the VPN client to 5.2", false),
      ],
    },
    next_statuses: next,
    timeline: [
      {
        kind: "status_changed",
        actor: { id: "me-1", name: "Avery Agent", role: "agent" },
        from: "NEW",
        to: "IN_PROGRESS",
        created_at: "2025-01-02T09:00:00Z",
      },
    ],
  };
}

function backendFor(ticket: StaffTicketData) {
  return mockBackend({
    staff_ticket: () => ticket,
    refresh_ticket: () => null,
    agents: () => [{ id: "a-2", name: "Sam Second" }],
    categories: () => ["general", "network"],
    load_draft: () => null,
    save_draft: ({ draft }) => draft,
    submit_reply: () => "r1",
    submit_note: () => "n1",
    update_ticket: () => null,
    mark_resolution: () => null,
  });
}

test("only the legal next statuses are offered, and a move goes through update_ticket", async () => {
  const backend = backendFor(data("ON_HOLD", ["IN_PROGRESS", "CLOSED"]));
  const user = userEvent.setup();
  renderScreen(<StaffTicket ticketKey="t-9" user={AGENT} />);

  await screen.findByText("It drops every hour");
  const offered = Array.from(document.querySelectorAll(".status-action"), (b) => b.getAttribute("data-status"));
  expect(offered).toEqual(["IN_PROGRESS", "CLOSED"]);
  expect(document.querySelector('.status-action[data-status="RESOLVED"]')).toBeNull();
  expect(backend.argsOf("refresh_ticket")).toEqual([{ key: "t-9" }]);

  await user.click(document.querySelector<HTMLElement>('.status-action[data-status="IN_PROGRESS"]') ?? document.body);
  await waitFor(() => { expect(backend.argsOf("update_ticket")).toEqual([{ key: "t-9", change: { status: "IN_PROGRESS" } }]); });

  await user.click(screen.getByRole("button", { name: "Assign to me" }));
  await waitFor(() => {
    expect(backend.argsOf("update_ticket").at(-1)).toEqual({
      key: "t-9",
      change: { assignee: { id: "me-1", name: "Avery Agent" } },
    });
  });
  await user.selectOptions(screen.getByLabelText("Priority"), "URGENT");
  await waitFor(() => { expect(backend.argsOf("update_ticket").at(-1)).toEqual({ key: "t-9", change: { priority: "URGENT" } }); });
});

test("notes are marked as internal and cannot be the resolution; a reply can", async () => {
  const backend = backendFor(data("IN_PROGRESS", ["WAITING_FOR_USER", "ON_HOLD", "RESOLVED", "CLOSED"]));
  const user = userEvent.setup();
  renderScreen(<StaffTicket ticketKey="t-9" user={AGENT} />);

  await screen.findByText("Check the DHCP lease");
  const note = document.querySelector<HTMLElement>('.message[data-message-key="m2"]');
  expect(note?.classList.contains("internal")).toBe(true);
  expect(note?.querySelector(".internal-label")?.textContent).toBe("Internal note");
  expect(note?.querySelector(".mark-resolution")).toBeNull();
  expect(document.querySelectorAll(".message.internal")).toHaveLength(1);

  const reply = document.querySelector<HTMLElement>('.message[data-message-key="m3"]');
  await user.click(within(reply ?? document.body).getByRole("button", { name: "Mark as the resolution" }));
  await waitFor(() => { expect(backend.argsOf("mark_resolution")).toEqual([{ key: "t-9", messageKey: "m3" }]); });

  expect(document.querySelector("#timeline")?.textContent).toContain(
    "Avery Agent changed the status: New → In progress",
  );
  expect(document.querySelector("#ticket-system-info")?.textContent).toContain("Ubuntu 24.04");
});

test("the reply box sends a reply or, switched to note, an internal note", async () => {
  const backend = backendFor(data("IN_PROGRESS", ["WAITING_FOR_USER", "ON_HOLD", "RESOLVED", "CLOSED"]));
  const user = userEvent.setup();
  renderScreen(<StaffTicket ticketKey="t-9" user={AGENT} />);
  const box = await screen.findByRole("textbox", { name: "Your reply" });

  await user.click(screen.getByLabelText("Internal note (staff only)"));
  const noteBox = screen.getByRole("textbox", { name: "Your note (only staff see it)" });
  expect(noteBox).toBe(box);
  await user.type(noteBox, "Lease is 1 hour");
  await user.click(screen.getByRole("button", { name: "Add note" }));
  await waitFor(() => { expect(backend.argsOf("submit_note")).toEqual([{ ticketKey: "t-9", body: "Lease is 1 hour" }]); });
  expect(backend.argsOf("submit_reply")).toEqual([]);

  await user.click(screen.getByLabelText("Reply to the requester"));
  await waitFor(() => { expect(screen.getByRole("textbox", { name: "Your reply" })).toHaveProperty("value", ""); });
  await user.type(screen.getByRole("textbox", { name: "Your reply" }), "Please restart");
  await user.click(screen.getByRole("button", { name: "Send reply" }));
  await waitFor(() => { expect(backend.argsOf("submit_reply")).toEqual([{ ticketKey: "t-9", body: "Please restart" }]); });
  expect(backend.argsOf("submit_note")).toHaveLength(1);
});

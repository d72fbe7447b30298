import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { LocalMessage, LocalTicketDetail } from "../bindings";
import { emitChanged, makeTicket, mockBackend } from "../test/backend";
import { renderScreen } from "../test/render";
import { TicketDetail } from "./TicketDetail";

function message(key: string, body: string, role: "requester" | "agent", pending = false): LocalMessage {
  return {
    key,
    pending,
    outbox_state: pending ? "failed" : null,
    outbox_error: pending ? "The server is unreachable." : null,
    message: {
      id: key,
      ticket_id: "t-7",
      author: { id: role, name: role === "agent" ? "Alex Agent" : "Rita Requester", role },
      body,
      internal: false,
      attachments: [],
      created_at: "2025-01-02T10:00:00Z",
    },
  };
}

test("the conversation shows roles and pending replies; Close and Send reply use the commands", async () => {
  const detail: LocalTicketDetail = {
    ticket: makeTicket({ key: "t-7", status: "IN_PROGRESS", subject: "VPN drops" }),
    messages: [message("m1", "Did you restart?", "agent"), message("m2", "Yes, twice.", "requester", true)],
  };
  const backend = mockBackend({
    ticket_detail: () => detail,
    load_draft: () => null,
    save_draft: ({ draft }) => draft,
    submit_reply: () => "m3",
    close_ticket: () => null,
  });
  const user = userEvent.setup();
  renderScreen(<TicketDetail ticketKey="t-7" />);

  await screen.findByText("Did you restart?");
  expect(document.querySelector("#ticket-detail")?.getAttribute("data-ticket-key")).toBe("t-7");
  expect(document.querySelector("#ticket-status")?.getAttribute("data-status")).toBe("IN_PROGRESS");
  const messages = document.querySelectorAll(".message[data-message-key]");
  expect(Array.from(messages, (m) => m.querySelector(".message-author")?.textContent)).toEqual([
    "Alex Agent",
    "Rita Requester",
  ]);
  expect(messages[0]?.querySelector(".role-badge")?.textContent).toBe("Agent");
  const pending = document.querySelector('.message.pending[data-message-key="m2"]');
  expect(pending?.textContent).toContain("The server is unreachable.");
  expect(document.querySelector("#reopen-ticket")).toBeNull();

  await user.type(await screen.findByRole("textbox", { name: "Your reply" }), "It works now");
  await user.click(screen.getByRole("button", { name: "Send reply" }));
  await waitFor(() => { expect(backend.argsOf("submit_reply")).toEqual([{ ticketKey: "t-7", body: "It works now" }]); });
  await waitFor(() => { expect(screen.getByRole("textbox", { name: "Your reply" })).toHaveProperty("value", ""); });

  await user.click(screen.getByRole("button", { name: "Close ticket" }));
  await waitFor(() => { expect(backend.argsOf("close_ticket")).toEqual([{ key: "t-7" }]); });
});

test("a reply being typed keeps every word when the ticket filed offline gets its server key", async () => {
  let current: LocalTicketDetail = {
    ticket: makeTicket({ key: "local-1", pending: true, subject: "Filed on the train" }),
    messages: [],
  };
  const backend = mockBackend({
    ticket_detail: () => current,
    load_draft: () => null,
    save_draft: ({ draft }) => draft,
    submit_reply: () => "m1",
  });
  const user = userEvent.setup();
  renderScreen(<TicketDetail ticketKey="local-1" />);

  const box = await screen.findByRole("textbox", { name: "Your reply" });
  await user.type(box, "Also, the");
  // The ticket reaches the server while the user types.
  current = { ticket: makeTicket({ key: "srv-1", subject: "Filed on the train" }), messages: [] };
  await emitChanged({ type: "store_changed" });
  await waitFor(() => {
    expect(document.querySelector("#ticket-detail")?.getAttribute("data-ticket-key")).toBe("srv-1");
  });
  await user.type(screen.getByRole("textbox", { name: "Your reply" }), " screen goes dark");

  expect(screen.getByRole("textbox", { name: "Your reply" })).toHaveProperty("value", "Also, the screen goes dark");
  expect(backend.argsOf("load_draft")).toEqual([{ key: "reply:local-1" }]);
  // The client moves the draft and still answers to its first key.
  await waitFor(() => {
    expect(backend.argsOf("save_draft").at(-1)).toEqual({
      draft: { key: "reply:local-1", subject: "", text: "Also, the screen goes dark", category: null, priority: null },
    });
  });
  await user.click(screen.getByRole("button", { name: "Send reply" }));
  await waitFor(() => {
    expect(backend.argsOf("submit_reply")).toEqual([{ ticketKey: "srv-1", body: "Also, the screen goes dark" }]);
  });
});

test("the related help article opens through Rust, in the system browser, never in the app", async () => {
  const ticket = makeTicket({ key: "t-9", subject: "VPN drops" });
  ticket.ticket.related_article_id = "[Reset your VPN](https://help.example/vpn)";
  const backend = mockBackend({
    ticket_detail: () => ({ ticket, messages: [] }),
    load_draft: () => null,
    open_related_article: () => null,
  });
  const user = userEvent.setup();
  renderScreen(<TicketDetail ticketKey="t-9" />);

  const link = await screen.findByRole("link", { name: "Reset your VPN" });
  expect(link.getAttribute("href")).toBe("https://help.example/vpn");
  expect(link.getAttribute("target")).toBeNull();
  await user.click(link);
  await waitFor(() => { expect(backend.argsOf("open_related_article")).toEqual([{ ticketKey: "t-9" }]); });
  expect(window.location.href).not.toContain("help.example");
});

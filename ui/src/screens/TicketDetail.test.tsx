import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { LocalMessage, LocalTicketDetail } from "../bindings";
import { makeTicket, mockBackend } from "../test/backend";
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

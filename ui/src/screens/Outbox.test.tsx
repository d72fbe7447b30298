import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { OutboxItem } from "../bindings";
import { mockBackend } from "../test/backend";
import { renderScreen } from "../test/render";
import { Outbox } from "./Outbox";

function item(id: number, state: OutboxItem["state"], summary: string, last_error: string | null = null): OutboxItem {
  return {
    id,
    kind: "post_message",
    ticket_key: "t-1",
    state,
    attempts: state === "failed" ? 3 : 0,
    last_error,
    summary,
    files: [],
    created_at: Date.parse("2025-01-01T10:00:00Z"),
  };
}

test("Retry and Discard call the outbox commands for the right item", async () => {
  const backend = mockBackend({
    outbox: () => [
      item(7, "failed", "Reply: the printer is on fire", "The ticket is closed."),
      item(8, "queued", "Reply: never mind"),
      item(9, "sent", "Reply: thanks"),
    ],
    retry_outbox: () => null,
    discard_outbox: () => null,
  });
  const user = userEvent.setup();
  renderScreen(<Outbox />);

  const failed = await waitFor(() => {
    const el = document.querySelector<HTMLElement>('.outbox-item[data-state="failed"]');
    expect(el).not.toBeNull();
    return el as HTMLElement;
  });
  expect(within(failed).getByText("The ticket is closed.").className).toContain("outbox-error");
  expect(document.querySelector('.outbox-item[data-state="sent"] .retry')).toBeNull();

  await user.click(within(failed).getByRole("button", { name: "Retry" }));
  await waitFor(() => { expect(backend.argsOf("retry_outbox")).toEqual([{ id: 7 }]); });

  const queued = document.querySelector<HTMLElement>('.outbox-item[data-state="queued"]');
  expect(queued).not.toBeNull();
  if (queued) await user.click(within(queued).getByRole("button", { name: "Discard" }));
  // Nothing is dropped before the user confirms.
  expect(backend.argsOf("discard_outbox")).toEqual([]);
  const dialog = screen.getByRole("dialog", { name: "Discard unsent work?" });
  await user.click(within(dialog).getByRole("button", { name: "Discard" }));
  await waitFor(() => { expect(backend.argsOf("discard_outbox")).toEqual([{ id: 8 }]); });
});

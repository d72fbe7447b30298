import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Draft, DraftText, FieldError, InfoLine } from "../bindings";
import { makeTicket, mockBackend } from "../test/backend";
import type { Args } from "../test/backend";
import { renderScreen } from "../test/render";
import { NewTicket } from "./NewTicket";

const REQUEST = { name: "new-ticket", screenshotReady: false } as const;

const INFO: InfoLine[] = [
  { key: "os", label: "Operating system", value: "Windows 11" },
  { key: "hostname", label: "Computer name", value: "FIELD-LAPTOP-7" },
  { key: "memory", label: "Memory", value: "15,842 MB" },
];

/** A backend whose drafts live as long as the test, like the local store's do. */
function composeBackend(validate: (args: Args) => FieldError[] = () => []) {
  const drafts = new Map<string, Draft>();
  const backend = mockBackend({
    load_draft: ({ key }) => drafts.get(String(key)) ?? null,
    save_draft: ({ draft }) => {
      const d = draft as DraftText;
      const saved: Draft = { ...d, files: drafts.get(d.key)?.files ?? [] };
      drafts.set(d.key, saved);
      return saved;
    },
    categories: () => ["Hardware", "Software"],
    system_info: () => INFO,
    validate_ticket: validate,
    submit_ticket: () => makeTicket({ key: "local-9", number: "", pending: true }),
  });
  return { backend, drafts };
}

test("validation messages appear at the fields and nothing is submitted", async () => {
  const { backend } = composeBackend(() => [
    { field: "subject", message: "Please write a short subject." },
    { field: "description", message: "Please describe what happened." },
  ]);
  const user = userEvent.setup();
  renderScreen(<NewTicket request={REQUEST} />);

  await user.click(await screen.findByRole("button", { name: "Send ticket" }));

  const subjectError = await screen.findByText("Please write a short subject.");
  expect(subjectError.id).toBe("subject-error");
  expect(document.getElementById("description-error")?.textContent).toBe("Please describe what happened.");
  const subject = screen.getByRole("textbox", { name: "Subject" });
  expect(subject.getAttribute("aria-invalid")).toBe("true");
  expect(subject.getAttribute("aria-describedby")).toContain("subject-error");
  expect(document.activeElement).toBe(subject);
  expect(backend.argsOf("submit_ticket")).toEqual([]);
});

test("the draft is saved while typing and is back when the form reopens", async () => {
  const { backend } = composeBackend();
  const user = userEvent.setup();
  const first = renderScreen(<NewTicket request={REQUEST} />);

  await user.type(await screen.findByRole("textbox", { name: "Subject" }), "Scanner offline");
  await user.type(screen.getByRole("textbox", { name: "What happened?" }), "Since this morning");
  await screen.findByText("Draft saved", {}, { timeout: 2000 });
  const saves = backend.argsOf("save_draft");
  // Debounced: one save per pause, not one per key.
  expect(saves.length).toBeLessThan("Scanner offline".length);
  expect(saves.at(-1)).toEqual({
    draft: { key: "new-ticket", subject: "Scanner offline", text: "Since this morning", category: "general", priority: "MEDIUM" },
  });

  first.unmount();
  renderScreen(<NewTicket request={REQUEST} />);
  const subject = await screen.findByRole("textbox", { name: "Subject" });
  expect(subject).toHaveProperty("value", "Scanner offline");
  expect(screen.getByRole("textbox", { name: "What happened?" })).toHaveProperty("value", "Since this morning");
});

test("what was typed just before leaving is still saved", async () => {
  const { drafts } = composeBackend();
  const user = userEvent.setup();
  const view = renderScreen(<NewTicket request={REQUEST} />);
  await user.type(await screen.findByRole("textbox", { name: "Subject" }), "Quick");
  view.unmount();
  await waitFor(() => { expect(drafts.get("new-ticket")?.subject).toBe("Quick"); });
});

test("a removed system detail is not sent with the ticket", async () => {
  const { backend } = composeBackend();
  const user = userEvent.setup();
  const { navigate } = renderScreen(<NewTicket request={REQUEST} />);

  await user.type(await screen.findByRole("textbox", { name: "Subject" }), "Battery drains");
  await user.type(screen.getByRole("textbox", { name: "What happened?" }), "Empty by noon");
  const hostname = await waitFor(() => {
    const li = document.querySelector('#system-info li[data-key="hostname"]');
    expect(li).not.toBeNull();
    return li;
  });
  const remove = hostname?.querySelector<HTMLButtonElement>(".remove-info");
  expect(remove).toBeTruthy();
  if (remove) await user.click(remove);
  expect(document.querySelector('#system-info li[data-key="hostname"]')).toBeNull();

  await user.click(screen.getByRole("button", { name: "Send ticket" }));

  await waitFor(() => { expect(backend.argsOf("submit_ticket")).toHaveLength(1); });
  expect(backend.argsOf("submit_ticket")[0]).toEqual({
    ticket: {
      subject: "Battery drains",
      description: "Empty by noon",
      category: "general",
      priority: "MEDIUM",
      system_info: ["os", "memory"],
    },
  });
  expect(navigate).toHaveBeenCalledWith({ name: "ticket", key: "local-9" });
});

test("unticking 'Attach system details' sends none", async () => {
  const { backend } = composeBackend();
  const user = userEvent.setup();
  renderScreen(<NewTicket request={REQUEST} />);
  await user.type(await screen.findByRole("textbox", { name: "Subject" }), "No details");
  await screen.findByText("Computer name");
  await user.click(screen.getByRole("checkbox", { name: /Attach system details/ }));
  await user.click(screen.getByRole("button", { name: "Send ticket" }));
  await waitFor(() => { expect(backend.argsOf("submit_ticket")).toHaveLength(1); });
  expect(backend.argsOf("submit_ticket")[0]).toMatchObject({ ticket: { system_info: null } });
});

import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Role, UserAccount } from "../bindings";
import { mockBackend, rejectWith } from "../test/backend";
import type { Args } from "../test/backend";
import { renderScreen } from "../test/render";
import { AdminUsers, filterUsers } from "./AdminUsers";

function account(name: string, email: string, role: Role, active = true): UserAccount {
  return { id: `id-${email}`, name, email, role, active, created_at: "2026-01-01T00:00:00Z" };
}

const ADA = account("Ada Admin", "admin@demo.test", "admin");
const AVERY = account("Avery Agent", "agent@demo.test", "agent");
const FRAN = account("Fran Field", "field@demo.test", "requester");
const OLD = account("Olga Old", "old@demo.test", "requester", false);
/** Signed in as Ada. */
const ME = { id: ADA.id, email: ADA.email, name: ADA.name, role: ADA.role };

function row(email: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`.user-row[data-email="${email}"]`);
  if (!el) throw new Error(`no row for ${email}`);
  return el;
}

test("search, role and status filters narrow the list", () => {
  const all = [ADA, AVERY, FRAN, OLD];
  expect(filterUsers(all, { text: "AGENT", role: "", active: "all" }).map((u) => u.email)).toEqual(["agent@demo.test"]);
  expect(filterUsers(all, { text: "", role: "requester", active: "all" }).map((u) => u.name)).toEqual([
    "Fran Field",
    "Olga Old",
  ]);
  expect(filterUsers(all, { text: "", role: "", active: "inactive" })).toEqual([OLD]);
  // Active accounts first.
  expect(filterUsers(all, { text: "", role: "", active: "all" }).at(-1)).toEqual(OLD);
});

test("deactivating asks first, says it signs them out everywhere, then sends active=false", async () => {
  let users = [ADA, AVERY, FRAN];
  const backend = mockBackend({
    list_users: () => users,
    update_user: ({ id, change }: Args) => {
      const user = users.find((u) => u.id === id);
      if (!user) return rejectWith("not_found", "no such user");
      const updated = { ...user, ...(change as Partial<UserAccount>) };
      users = users.map((u) => (u.id === id ? updated : u));
      return updated;
    },
  });
  const user = userEvent.setup();
  renderScreen(<AdminUsers me={ME} />);
  await screen.findByText("Fran Field");

  await user.click(within(row("field@demo.test")).getByRole("button", { name: "Deactivate" }));
  const dialog = screen.getByRole("dialog", { name: "Deactivate Fran Field?" });
  expect(dialog.textContent).toContain("signs them out everywhere");
  expect(backend.argsOf("update_user")).toEqual([]);
  await user.click(within(dialog).getByRole("button", { name: "Deactivate" }));
  await waitFor(() => { expect(row("field@demo.test").dataset.active).toBe("false"); });
  expect(backend.argsOf("update_user")).toEqual([{ id: FRAN.id, change: { active: false } }]);

  await user.click(within(row("field@demo.test")).getByRole("button", { name: "Reactivate" }));
  await waitFor(() => { expect(row("field@demo.test").dataset.active).toBe("true"); });
});

test("demoting the last admin explains what to do, and the role shown stays admin", async () => {
  mockBackend({
    list_users: () => [ADA, FRAN],
    update_user: () => rejectWith("conflict", "the last active admin cannot be demoted"),
  });
  const user = userEvent.setup();
  renderScreen(<AdminUsers me={ME} />);
  await screen.findByText("Ada Admin");
  const select = within(row("admin@demo.test")).getByLabelText("Role of Ada Admin");
  await user.selectOptions(select, "agent");
  await waitFor(() => {
    expect(document.querySelector("#users-error")?.textContent).toBe(
      "Ada Admin is the last active admin. Make someone else an admin first, then try again.",
    );
  });
  await waitFor(() => { expect((select as HTMLSelectElement).value).toBe("admin"); });
});

test("a duplicate email gets its own message; field problems show at the fields", async () => {
  const backend = mockBackend({
    list_users: () => [ADA],
    create_user: () => rejectWith("conflict", "email taken"),
  });
  const user = userEvent.setup();
  renderScreen(<AdminUsers me={ME} />);
  await screen.findByText("Ada Admin");
  const form = within(screen.getByRole("form", { name: "New user" }));
  await user.type(form.getByLabelText("Name"), "Fran Again");
  await user.type(form.getByLabelText("Email"), "field@demo.test");
  await user.selectOptions(form.getByLabelText("Role"), "agent");
  await user.type(form.getByLabelText("Password"), "a long enough password");
  await user.click(form.getByRole("button", { name: "Create user" }));
  await waitFor(() => { expect(document.querySelector("#new-user-error")?.textContent).toMatch(/already exists/); });
  expect(backend.argsOf("create_user")).toEqual([
    { user: { name: "Fran Again", email: "field@demo.test", role: "agent", password: "a long enough password" } },
  ]);

  backend.on("create_user", () =>
    rejectWith("rejected", "Some fields need attention.", [{ field: "password", message: "at least 10 characters" }]),
  );
  await user.click(form.getByRole("button", { name: "Create user" }));
  await waitFor(() => { expect(document.querySelector("#new-user-password-error")?.textContent).toBe("at least 10 characters"); });
});

test("an admin's own row is marked and offers no Deactivate", async () => {
  mockBackend({ list_users: () => [ADA, FRAN] });
  renderScreen(<AdminUsers me={ME} />);
  await screen.findByText("Fran Field");
  expect(within(row("admin@demo.test")).getByText("You")).toBeTruthy();
  expect(within(row("admin@demo.test")).queryByRole("button", { name: "Deactivate" })).toBeNull();
  expect(within(row("field@demo.test")).queryByText("You")).toBeNull();
  expect(within(row("field@demo.test")).getByRole("button", { name: "Deactivate" })).toBeTruthy();
});

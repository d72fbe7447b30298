import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Category } from "../bindings";
import { mockBackend, rejectWith } from "../test/backend";
import type { Args } from "../test/backend";
import { renderScreen } from "../test/render";
import { AdminCategories } from "./AdminCategories";

function category(name: string, ticket_count: number, active = true, is_default = false): Category {
  return { id: `c-${name}`, name, ticket_count, active, is_default };
}

function row(name: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`.category-row[data-name="${name}"]`);
  if (!el) throw new Error(`no row for ${name}`);
  return el;
}

function server(initial: Category[]) {
  let list = initial;
  const backend = mockBackend({
    list_categories: () => list,
    create_category: ({ name }: Args) => {
      const created = category(String(name), 0);
      list = [...list, created];
      return created;
    },
    update_category: ({ id, change }: Args) => {
      const current = list.find((c) => c.id === id);
      if (!current) return rejectWith("not_found", "no such category");
      const updated = { ...current, ...(change as Partial<Category>) };
      list = list.map((c) => (c.id === id ? updated : c));
      return updated;
    },
  });
  return backend;
}

test("the list shows ticket counts, archived last; archive and unarchive", async () => {
  const backend = server([
    category("Network", 12),
    category("Fax", 3, false),
    category("Hardware", 0),
    category("general", 40, true, true),
  ]);
  const user = userEvent.setup();
  renderScreen(<AdminCategories />);
  await screen.findByText("Network");
  const names = Array.from(document.querySelectorAll<HTMLElement>(".category-row")).map((r) => r.dataset.name);
  expect(names).toEqual(["general", "Hardware", "Network", "Fax"]);
  // The default category takes tickets filed without one: it cannot be archived.
  expect(within(row("general")).queryByRole("button", { name: "Archive" })).toBeNull();
  expect(row("general").querySelector(".category-default")).not.toBeNull();
  expect(row("Network").querySelector(".category-count")?.textContent).toBe("12");

  await user.click(within(row("Network")).getByRole("button", { name: "Archive" }));
  await waitFor(() => { expect(row("Network").dataset.active).toBe("false"); });
  expect(backend.argsOf("update_category")).toEqual([{ id: "c-Network", change: { active: false } }]);
  await user.click(within(row("Fax")).getByRole("button", { name: "Unarchive" }));
  await waitFor(() => { expect(row("Fax").dataset.active).toBe("true"); });
});

test("rename inline: Enter saves, Escape leaves the name as it was", async () => {
  const backend = server([category("Netwrok", 4)]);
  const user = userEvent.setup();
  renderScreen(<AdminCategories />);
  await screen.findByText("Netwrok");

  await user.click(within(row("Netwrok")).getByRole("button", { name: "Rename" }));
  const input = screen.getByLabelText("New name for Netwrok");
  expect(document.activeElement).toBe(input);
  await user.clear(input);
  await user.type(input, "Nope{Escape}");
  expect(screen.queryByLabelText("New name for Netwrok")).toBeNull();
  expect(backend.argsOf("update_category")).toEqual([]);

  await user.click(within(row("Netwrok")).getByRole("button", { name: "Rename" }));
  const again = screen.getByLabelText("New name for Netwrok");
  await user.clear(again);
  await user.type(again, "Network{Enter}");
  await waitFor(() => { expect(document.querySelector('.category-row[data-name="Network"]')).not.toBeNull(); });
  expect(backend.argsOf("update_category")).toEqual([{ id: "c-Netwrok", change: { name: "Network" } }]);
});

test("creating a category that exists says so; a new one joins the list", async () => {
  const backend = server([category("Network", 1)]);
  const user = userEvent.setup();
  renderScreen(<AdminCategories />);
  await screen.findByText("Network");
  await user.type(screen.getByLabelText("New category"), "Printers");
  await user.click(screen.getByRole("button", { name: "Create" }));
  await waitFor(() => { expect(document.querySelector('.category-row[data-name="Printers"]')).not.toBeNull(); });
  expect(backend.argsOf("create_category")).toEqual([{ name: "Printers" }]);
  expect(screen.getByLabelText<HTMLInputElement>("New category").value).toBe("");

  backend.on("create_category", () => rejectWith("conflict", "taken"));
  await user.type(screen.getByLabelText("New category"), "network");
  await user.click(screen.getByRole("button", { name: "Create" }));
  await waitFor(() => { expect(document.querySelector("#categories-error")?.textContent).toMatch(/already exists/); });
  expect(screen.getByLabelText<HTMLInputElement>("New category").value).toBe("network");
});

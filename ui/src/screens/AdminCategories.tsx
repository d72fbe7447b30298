/*
 * Admin → Categories: every category with its ticket count; create, rename in place
 * (Enter saves, Escape cancels), archive and unarchive.
 * Stable selectors: #categories, #categories-error,
 * .category-row[data-name][data-active], .category-count, .rename-category,
 * .category-default, .category-name-input, .save-category-name, .archive-category, .unarchive-category,
 * #new-category-form (#new-category-name).
 */
import { useState } from "react";
import type { SubmitEvent } from "react";
import type { Category } from "../bindings";
import { AdminError, AdminTable } from "../components/reports/AdminTable";
import { adminErrorMessage } from "../components/reports/adminErrors";
import type { AdminAction } from "../components/reports/adminErrors";
import { staffApi } from "../components/reports/api";
import { formatCount } from "../components/reports/format";
import { useRemote } from "../components/reports/useRemote";
import { useToast } from "../state/toasts";

const loadCategories = () => staffApi.listCategories();

/** Active first, then by name. */
export function orderCategories(list: Category[]): Category[] {
  return [...list].sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name));
}

export function AdminCategories() {
  const categories = useRemote(loadCategories);
  const [error, setError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [newName, setNewName] = useState("");
  const toast = useToast();

  async function run(action: AdminAction, who: string, call: () => Promise<Category>, done: (c: Category) => string) {
    setError(null);
    try {
      const c = await call();
      toast(done(c));
      categories.reload();
      return true;
    } catch (e) {
      setError(adminErrorMessage(action, e, who));
      return false;
    }
  }

  async function create(e: SubmitEvent<HTMLFormElement>) {
    e.preventDefault();
    const name = newName.trim();
    if (name === "") return;
    const ok = await run("create-category", name, () => staffApi.createCategory(name), (c) => `Created “${c.name}”.`);
    if (ok) setNewName("");
  }

  async function rename(category: Category, name: string) {
    if (name.trim() === "" || name.trim() === category.name) {
      setRenaming(null);
      return;
    }
    const ok = await run(
      "rename-category",
      category.name,
      () => staffApi.updateCategory(category.id, { name: name.trim() }),
      (c) => `Renamed “${category.name}” to “${c.name}” on its tickets too.`,
    );
    if (ok) setRenaming(null);
  }

  const list = orderCategories(categories.data ?? []);
  return (
    <section id="categories" className="screen admin-categories" aria-labelledby="categories-title">
      <div className="screen-head">
        <h1 id="categories-title" tabIndex={-1}>
          Categories
        </h1>
      </div>
      <p className="hint">
        Archived categories stay on their tickets but are not offered for new ones. The default
        category takes tickets filed without one, so it cannot be archived.
      </p>
      <AdminError id="categories-error" error={error ?? categories.error} />
      <AdminTable columns={["Name", "Tickets", "Status"]}>
        {list.map((c) => (
          <tr key={c.id} className="category-row" data-name={c.name} data-active={c.active}>
            <td>
              {renaming?.id === c.id ? (
                <input
                  className="category-name-input"
                  aria-label={`New name for ${c.name}`}
                  // The input appears because the admin asked to rename: focus belongs there.
                  autoFocus
                  value={renaming.name}
                  onChange={(e) => { setRenaming({ id: c.id, name: e.target.value }); }}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") void rename(c, renaming.name);
                    if (e.key === "Escape") setRenaming(null);
                  }}
                />
              ) : (
                c.name
              )}
            </td>
            <td className="category-count">{formatCount(c.ticket_count)}</td>
            <td>
              {c.active ? "Active" : <span className="badge">Archived</span>}
              {c.is_default && <span className="badge category-default">Default</span>}
            </td>
            <td className="actions">
              {renaming?.id === c.id ? (
                <>
                  <button type="button" className="save-category-name primary" onClick={() => void rename(c, renaming.name)}>
                    Save
                  </button>
                  <button type="button" onClick={() => { setRenaming(null); }}>
                    Cancel
                  </button>
                </>
              ) : (
                <button type="button" className="rename-category" onClick={() => { setRenaming({ id: c.id, name: c.name }); }}>
                  Rename
                </button>
              )}
              {c.is_default ? null : c.active ? (
                <button
                  type="button"
                  className="archive-category"
                  onClick={() =>
                    void run("archive-category", c.name, () => staffApi.updateCategory(c.id, { active: false }), (u) => `Archived “${u.name}”.`)
                  }
                >
                  Archive
                </button>
              ) : (
                <button
                  type="button"
                  className="unarchive-category"
                  onClick={() =>
                    void run("unarchive-category", c.name, () => staffApi.updateCategory(c.id, { active: true }), (u) => `“${u.name}” is offered again.`)
                  }
                >
                  Unarchive
                </button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
      {categories.data && list.length === 0 && <p className="empty">No categories yet.</p>}
      <form id="new-category-form" className="card actions" onSubmit={(e) => void create(e)}>
        <label htmlFor="new-category-name">New category</label>
        <input id="new-category-name" maxLength={60} value={newName} onChange={(e) => { setNewName(e.target.value); }} />
        <button type="submit" className="primary" disabled={newName.trim() === ""}>
          Create
        </button>
      </form>
    </section>
  );
}

/*
 * Admin → Users: every account, with search, role and active filters; create; change
 * role; deactivate (after a confirmation: it signs them out everywhere) or reactivate.
 * Stable selectors: #users, #users-search, #users-role-filter, #users-active-filter,
 * #users-error, .user-row[data-email][data-active], .user-role (select),
 * .deactivate-user, .reactivate-user, #deactivate-dialog (.confirm),
 * #new-user-form (#new-user-name, #new-user-email, #new-user-role,
 * #new-user-password, #new-user-error).
 */
import { useState } from "react";
import type { SubmitEvent } from "react";
import { fieldErrors } from "../api";
import type { Role, User, UserAccount } from "../bindings";
import { ConfirmDialog } from "../components/Dialog";
import { Field, byField } from "../components/Field";
import { AdminError, AdminTable } from "../components/reports/AdminTable";
import { FilterSelect } from "../components/reports/FilterSelect";
import { adminErrorMessage } from "../components/reports/adminErrors";
import { staffApi } from "../components/reports/api";
import { useRemote } from "../components/reports/useRemote";
import { ROLE_LABELS } from "../format";
import { useToast } from "../state/toasts";

const ROLES = Object.keys(ROLE_LABELS) as Role[];

function isRole(v: string): v is Role {
  return v in ROLE_LABELS;
}

type Active = "all" | "active" | "inactive";

export interface UserFilter {
  text: string;
  role: Role | "";
  active: Active;
}

export function filterUsers(users: UserAccount[], filter: UserFilter): UserAccount[] {
  const text = filter.text.trim().toLowerCase();
  return users
    .filter((u) => text === "" || u.name.toLowerCase().includes(text) || u.email.toLowerCase().includes(text))
    .filter((u) => filter.role === "" || u.role === filter.role)
    .filter((u) => filter.active === "all" || u.active === (filter.active === "active"))
    .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name));
}

const loadUsers = () => staffApi.listUsers();

/** `me`: the signed-in admin, whose own row offers no Deactivate (the server refuses it). */
export function AdminUsers({ me }: { me: User }) {
  const users = useRemote(loadUsers);
  const [filter, setFilter] = useState<UserFilter>({ text: "", role: "", active: "all" });
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<UserAccount | null>(null);
  const toast = useToast();

  async function change(user: UserAccount, action: "change-role" | "deactivate-user" | "reactivate-user", role?: Role) {
    setError(null);
    try {
      const change =
        action === "change-role" ? { role: role ?? user.role } : { active: action === "reactivate-user" };
      const updated = await staffApi.updateUser(user.id, change);
      toast(
        action === "change-role"
          ? `${updated.name} is now ${ROLE_LABELS[updated.role].toLowerCase()}.`
          : `${updated.name} was ${updated.active ? "reactivated" : "deactivated"}.`,
      );
    } catch (e) {
      setError(adminErrorMessage(action, e, user.name));
    }
    // Also after a refusal: the role select goes back to what the server has.
    users.reload();
  }

  const list = filterUsers(users.data ?? [], filter);
  return (
    <section id="users" className="screen admin-users" aria-labelledby="users-title">
      <div className="screen-head">
        <h1 id="users-title" tabIndex={-1}>
          Users
        </h1>
      </div>
      <div role="search" className="filters" aria-label="Filter users">
        <div className="filter">
          <label htmlFor="users-search">Search</label>
          <input
            id="users-search"
            type="search"
            placeholder="Name or email"
            value={filter.text}
            onChange={(e) => { setFilter({ ...filter, text: e.target.value }); }}
          />
        </div>
        <FilterSelect
          id="users-role-filter"
          label="Role"
          any="Any role"
          options={ROLES}
          labels={ROLE_LABELS}
          value={filter.role}
          onChange={(role) => { setFilter({ ...filter, role }); }}
        />
        <div className="filter">
          <label htmlFor="users-active-filter">Status</label>
          <select
            id="users-active-filter"
            value={filter.active}
            onChange={(e) => {
              const v = e.target.value;
              setFilter({ ...filter, active: v === "active" || v === "inactive" ? v : "all" });
            }}
          >
            <option value="all">Active and deactivated</option>
            <option value="active">Active</option>
            <option value="inactive">Deactivated</option>
          </select>
        </div>
      </div>
      <AdminError id="users-error" error={error ?? users.error} />
      <AdminTable columns={["Name", "Email", "Role", "Status"]}>
        {list.map((u) => (
          <tr key={u.id} className="user-row" data-email={u.email} data-active={u.active}>
            <td>
              {u.name}
              {u.id === me.id && <span className="badge you-badge">You</span>}
            </td>
            <td>{u.email}</td>
            <td>
              <select
                className="user-role"
                aria-label={`Role of ${u.name}`}
                value={u.role}
                onChange={(e) => {
                  const v = e.target.value;
                  if (isRole(v)) void change(u, "change-role", v);
                }}
              >
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
            </td>
            <td>{u.active ? "Active" : <span className="badge">Deactivated</span>}</td>
            <td>
              {u.id === me.id ? null : u.active ? (
                <button type="button" className="deactivate-user danger" onClick={() => { setConfirming(u); }}>
                  Deactivate
                </button>
              ) : (
                <button type="button" className="reactivate-user" onClick={() => void change(u, "reactivate-user")}>
                  Reactivate
                </button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
      {users.data && list.length === 0 && <p className="empty">No user matches.</p>}
      <NewUserForm onCreated={users.reload} />
      {confirming && (
        <ConfirmDialog
          title={`Deactivate ${confirming.name}?`}
          message={`This signs them out everywhere, and ${confirming.email} cannot sign in until an admin reactivates the account. Their tickets stay.`}
          confirmLabel="Deactivate"
          onCancel={() => { setConfirming(null); }}
          onConfirm={() => {
            const user = confirming;
            setConfirming(null);
            void change(user, "deactivate-user");
          }}
        />
      )}
    </section>
  );
}

const NO_USER = { name: "", email: "", role: "requester" as Role, password: "" };

function NewUserForm({ onCreated }: { onCreated: () => void }) {
  const [form, setForm] = useState(NO_USER);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toast = useToast();

  async function submit(e: SubmitEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setErrors({});
    try {
      const created = await staffApi.createUser(form);
      setForm(NO_USER);
      toast(`Created ${created.name} (${created.email}).`);
      onCreated();
    } catch (err) {
      setErrors(byField(fieldErrors(err)));
      setError(adminErrorMessage("create-user", err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form id="new-user-form" className="card compose" onSubmit={(e) => void submit(e)} aria-labelledby="new-user-title">
      <h2 id="new-user-title">New user</h2>
      <div className="field-row">
        <Field id="new-user-name" label="Name" error={errors.name}>
          {(aria) => (
            <input {...aria} required value={form.name} onChange={(e) => { setForm({ ...form, name: e.target.value }); }} />
          )}
        </Field>
        <Field id="new-user-email" label="Email" error={errors.email}>
          {(aria) => (
            <input
              {...aria}
              type="email"
              required
              value={form.email}
              onChange={(e) => { setForm({ ...form, email: e.target.value }); }}
            />
          )}
        </Field>
      </div>
      <div className="field-row">
        <Field id="new-user-role" label="Role" error={errors.role}>
          {(aria) => (
            <select
              {...aria}
              value={form.role}
              onChange={(e) => { const v = e.target.value; if (isRole(v)) setForm({ ...form, role: v }); }}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="new-user-password" label="Password" error={errors.password} hint="At least 10 characters.">
          {(aria) => (
            <input
              {...aria}
              type="password"
              autoComplete="new-password"
              required
              value={form.password}
              onChange={(e) => { setForm({ ...form, password: e.target.value }); }}
            />
          )}
        </Field>
      </div>
      {error && (
        <p id="new-user-error" className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          Create user
        </button>
      </div>
    </form>
  );
}

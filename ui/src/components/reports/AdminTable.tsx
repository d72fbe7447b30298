import type { ReactNode } from "react";

/** The admin screens' error line: the screen's own refusal, else the list's load error. */
export function AdminError({ id, error }: { id: string; error: string | null }) {
  if (!error) return null;
  return (
    <p id={id} className="error" role="alert">
      {error}
    </p>
  );
}

/** An admin list: the given column headings plus a last, unlabelled actions column. */
export function AdminTable({ columns, children }: { columns: string[]; children: ReactNode }) {
  return (
    <table className="admin-table">
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

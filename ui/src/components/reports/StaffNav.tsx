import "./reports.css";
import type { Role } from "../../bindings";
import type { Route } from "../../state/navigation";
import { useNavigate } from "../../state/navigation";

type StaffRoute = "stats" | "admin-users" | "admin-categories";

const ITEMS: { id: string; route: StaffRoute; label: string; adminOnly: boolean }[] = [
  { id: "nav-stats", route: "stats", label: "Stats", adminOnly: false },
  { id: "nav-admin-users", route: "admin-users", label: "Users", adminOnly: true },
  { id: "nav-admin-categories", route: "admin-categories", label: "Categories", adminOnly: true },
];

/** The staff and admin entries of the main navigation; nothing for a requester. */
export function StaffNav({ role, route }: { role: Role; route: Route }) {
  const navigate = useNavigate();
  if (role === "requester") return null;
  return (
    <>
      {ITEMS.filter((item) => !item.adminOnly || role === "admin").map((item) => (
        <button
          key={item.id}
          type="button"
          id={item.id}
          className="nav-button"
          aria-current={route.name === item.route ? "page" : undefined}
          onClick={() => { navigate({ name: item.route }); }}
        >
          {item.label}
        </button>
      ))}
    </>
  );
}

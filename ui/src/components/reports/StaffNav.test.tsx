import type { Role } from "../../bindings";
import { renderScreen } from "../../test/render";
import { StaffNav } from "./StaffNav";

function shown(role: Role): string[] {
  const { unmount } = renderScreen(<StaffNav role={role} route={{ name: "stats" }} />);
  const ids = Array.from(document.querySelectorAll("button")).map((b) => b.id);
  unmount();
  return ids;
}

test("staff see Stats, only admins see the admin screens, requesters see neither", () => {
  expect(shown("requester")).toEqual([]);
  expect(shown("agent")).toEqual(["nav-stats"]);
  expect(shown("admin")).toEqual(["nav-stats", "nav-admin-users", "nav-admin-categories"]);
});

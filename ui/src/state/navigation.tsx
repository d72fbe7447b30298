import { createContext, useContext } from "react";

/**
 * Where the user is. A plain union rather than URLs: the app has one window and no
 * address bar. Staff screens (queues, assignment) join this union when they come.
 */
export type Route =
  | { name: "tickets" }
  | { name: "ticket"; key: string }
  | { name: "new-ticket"; screenshotReady: boolean }
  | { name: "outbox" }
  | { name: "settings" }
  | { name: "stats" }
  | { name: "admin-users" }
  | { name: "admin-categories" };

export type Navigate = (route: Route) => void;

export const NavigationContext = createContext<Navigate>(() => undefined);

export function useNavigate(): Navigate {
  return useContext(NavigationContext);
}

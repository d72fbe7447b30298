import { useCallback, useEffect, useRef, useState } from "react";
import type { ReactNode } from "react";
import { api, errorMessage } from "../api";
import type { Connectivity, User } from "../bindings";
import { useLoad } from "../state/changes";
import type { Route } from "../state/navigation";
import { useNavigate } from "../state/navigation";
import { ConnectivityIndicator } from "./ConnectivityIndicator";
import { StaffNav } from "./reports/StaffNav";
import { SignOutDialog } from "./SignOutDialog";

interface Props {
  user: User;
  connectivity: Connectivity;
  route: Route;
  onSignedOut: () => void;
  children: ReactNode;
}

type Section = "tickets" | "outbox" | "settings";

function sectionOf(route: Route): Section | null {
  switch (route.name) {
    case "outbox":
      return "outbox";
    case "settings":
      return "settings";
    case "stats":
    case "admin-users":
    case "admin-categories":
      return null;
    default:
      return "tickets";
  }
}

export function AppShell({ user, connectivity, route, onSignedOut, children }: Props) {
  const navigate = useNavigate();
  const outbox = useLoad(useCallback(() => api.outbox(), []));
  const unsent = (outbox.data ?? []).filter((item) => item.state !== "sent").length;
  const failed = (outbox.data ?? []).some((item) => item.state === "failed");
  const [signingOut, setSigningOut] = useState<"closed" | "asking" | "busy">("closed");
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const main = useRef<HTMLElement>(null);
  const section = sectionOf(route);

  // A new screen starts at its heading, for keyboard and screen-reader users alike.
  useEffect(() => {
    main.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [route]);

  async function signOut(deleteLocalData: boolean) {
    setSigningOut("busy");
    setSignOutError(null);
    try {
      await api.signOut(deleteLocalData);
      onSignedOut();
    } catch (e) {
      setSignOutError(errorMessage(e));
      setSigningOut("asking");
    }
  }

  function navButton(id: string, target: Section, label: ReactNode) {
    return (
      <button
        type="button"
        id={id}
        className="nav-button"
        aria-current={section === target ? "page" : undefined}
        onClick={() => { navigate({ name: target }); }}
      >
        {label}
      </button>
    );
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <span className="brand">Lifebuoy</span>
        <ConnectivityIndicator connectivity={connectivity} />
        <span className="user-name" title={user.email}>
          {user.name}
        </span>
      </header>
      <nav className="app-nav" aria-label="Main">
        {navButton("nav-tickets", "tickets", user.role === "requester" ? "Tickets" : "Queue")}
        <StaffNav role={user.role} route={route} />
        {navButton(
          "nav-outbox",
          "outbox",
          <>
            Outbox
            {unsent > 0 && (
              <span className={failed ? "nav-badge failed" : "nav-badge"} data-count="outbox">
                {unsent}
                <span className="visually-hidden">
                  {failed ? " unsent, some failed" : " unsent"}
                </span>
              </span>
            )}
          </>,
        )}
        {navButton("nav-settings", "settings", "Settings")}
        <button
          type="button"
          id="sign-out"
          className="nav-button"
          onClick={() => {
            setSignOutError(null);
            setSigningOut("asking");
          }}
        >
          Sign out
        </button>
      </nav>
      <main id="main" ref={main} className="app-main" tabIndex={-1}>
        {children}
      </main>
      {signingOut !== "closed" && (
        <SignOutDialog
          unsent={unsent}
          busy={signingOut === "busy"}
          error={signOutError}
          onConfirm={(deleteLocalData) => void signOut(deleteLocalData)}
          onCancel={() => { setSigningOut("closed"); }}
        />
      )}
    </div>
  );
}

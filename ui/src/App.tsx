import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorKind, errorMessage } from "./api";
import { events } from "./bindings";
import type { Changed, Connectivity, SessionInfo, User } from "./bindings";
import { AppShell } from "./components/AppShell";
import { ConnectivityIndicator } from "./components/ConnectivityIndicator";
import { AdminCategories } from "./screens/AdminCategories";
import { AdminUsers } from "./screens/AdminUsers";
import { NewTicket } from "./screens/NewTicket";
import { Outbox } from "./screens/Outbox";
import { Queue } from "./screens/Queue";
import { SettingsScreen } from "./screens/Settings";
import { SignIn } from "./screens/SignIn";
import { StaffTicket } from "./screens/StaffTicket";
import { Stats } from "./screens/Stats";
import { TicketDetail } from "./screens/TicketDetail";
import { Tickets } from "./screens/Tickets";
import { currentDropTarget } from "./state/dropTarget";
import { useTauriEvent } from "./state/events";
import { NO_FILTER } from "./state/filters";
import type { TicketFilter } from "./state/filters";
import { NavigationContext } from "./state/navigation";
import type { Route } from "./state/navigation";
import { useToast } from "./state/toasts";

type Phase =
  | { phase: "starting" }
  | { phase: "signed-out"; notice: string | null }
  | { phase: "unavailable"; message: string }
  | { phase: "signed-in"; session: SessionInfo };

const SIGNED_OUT: Connectivity = { state: "signed_out", reason: "" };

function connectivityOf(event: Changed): Connectivity | null {
  if (event.type !== "connectivity_changed") return null;
  switch (event.state) {
    case "online":
      return { state: "online" };
    case "reconnecting":
      return { state: "reconnecting" };
    case "offline":
      return { state: "offline", reason: event.reason };
    case "signed_out":
      return { state: "signed_out", reason: event.reason };
  }
}

export function App() {
  const [phase, setPhase] = useState<Phase>({ phase: "starting" });
  const [connectivity, setConnectivity] = useState<Connectivity>(SIGNED_OUT);
  const [route, setRoute] = useState<Route>({ name: "tickets" });
  const [filter, setFilter] = useState<TicketFilter>(NO_FILTER);
  const toast = useToast();

  // Connectivity events can overtake the answer of the command that started the session
  // (the client goes online while the answer is on its way): an answer only sets the
  // state if no event came after the command was sent.
  const connectivityEvents = useRef(0);
  const signedIn = useCallback((session: SessionInfo, eventsBefore: number) => {
    if (connectivityEvents.current === eventsBefore) setConnectivity(session.connectivity);
    setPhase({ phase: "signed-in", session });
  }, []);

  const resume = useCallback(() => {
    const eventsBefore = connectivityEvents.current;
    api.resume().then((session) => { signedIn(session, eventsBefore); }, (e: unknown) => {
      const kind = errorKind(e);
      if (kind === "not_signed_in") setPhase({ phase: "signed-out", notice: null });
      else if (kind === "signed_out") setPhase({ phase: "signed-out", notice: errorMessage(e) });
      else setPhase({ phase: "unavailable", message: errorMessage(e) });
    });
  }, [signedIn]);

  useEffect(() => {
    resume();
  }, [resume]);

  // Views re-read through state/changes; the app itself only follows connectivity.
  useTauriEvent(events.changed, (event) => {
    const next = connectivityOf(event);
    if (next) {
      connectivityEvents.current += 1;
      setConnectivity(next);
      // Queued work stays in the outbox; it is sent after the next sign-in.
      if (next.state === "signed_out") setPhase({ phase: "signed-out", notice: next.reason });
    }
    if (event.type === "outbox_item_failed") toast(`Could not send: ${event.reason}`, "error");
  });

  useTauriEvent(events.openTicket, ({ key }) => {
    setRoute({ name: "ticket", key });
  });

  useTauriEvent(events.newTicketRequested, ({ screenshot_ready }) => {
    setRoute({ name: "new-ticket", screenshotReady: screenshot_ready });
  });

  useTauriEvent(events.filesDropped, () => {
    const target = currentDropTarget();
    if (!target) {
      toast("To attach dropped files, open New ticket or a ticket's reply first.");
      return;
    }
    api.attachDropped(target.draftKey).then(target.onDraft, (e: unknown) => {
      toast(errorMessage(e), "error");
    });
  });

  if (phase.phase === "starting") {
    return (
      <main id="main" className="starting">
        <p role="status">Starting…</p>
      </main>
    );
  }

  if (phase.phase !== "signed-in") {
    return (
      <>
        <header className="app-header">
          <span className="brand">Lifebuoy</span>
          <ConnectivityIndicator connectivity={SIGNED_OUT} />
        </header>
        {phase.phase === "unavailable" ? (
          <main id="main" className="sign-in-screen">
            <div className="card" role="alert">
              <h1>Lifebuoy could not start</h1>
              <p>{phase.message}</p>
            </div>
            <div className="actions">
              <button type="button" className="primary" onClick={resume}>
                Try again
              </button>
              <button type="button" onClick={() => { setPhase({ phase: "signed-out", notice: null }); }}>
                Sign in
              </button>
            </div>
          </main>
        ) : (
          <SignIn notice={phase.notice} onSignIn={() => connectivityEvents.current} onSignedIn={signedIn} />
        )}
      </>
    );
  }

  return (
    <NavigationContext.Provider value={setRoute}>
      <AppShell
        user={phase.session.user}
        connectivity={connectivity}
        route={route}
        onSignedOut={() => {
          setConnectivity(SIGNED_OUT);
          setRoute({ name: "tickets" });
          setFilter(NO_FILTER);
          setPhase({ phase: "signed-out", notice: null });
        }}
      >
        <Screen route={route} user={phase.session.user} filter={filter} onFilter={setFilter} />
      </AppShell>
    </NavigationContext.Provider>
  );
}

function Screen({
  route,
  user,
  filter,
  onFilter,
}: {
  route: Route;
  user: User;
  filter: TicketFilter;
  onFilter: (filter: TicketFilter) => void;
}) {
  // Agents and admins get the staff workspace on the same routes, so a notification's
  // Open (route "ticket") works for everyone.
  const staff = user.role !== "requester";
  switch (route.name) {
    case "tickets":
      return staff ? <Queue user={user} /> : <Tickets filter={filter} onFilter={onFilter} />;
    case "ticket":
      return staff ? (
        <StaffTicket key={route.key} ticketKey={route.key} user={user} />
      ) : (
        <TicketDetail key={route.key} ticketKey={route.key} />
      );
    case "new-ticket":
      return <NewTicket request={route} />;
    case "outbox":
      return <Outbox />;
    case "settings":
      return <SettingsScreen staff={staff} />;
    case "stats":
      return <Stats />;
    case "admin-users":
      return <AdminUsers me={user} />;
    case "admin-categories":
      return <AdminCategories />;
  }
}

import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../App";
import { ToastProvider } from "../state/toasts";
import { COUNTS, emitChanged, mockBackend, rejectWith } from "../test/backend";

function renderApp() {
  return render(
    <ToastProvider>
      <App />
    </ToastProvider>,
  );
}

const SESSION = {
  server: "https://help.example",
  user: { id: "u1", email: "rita@example.com", name: "Rita Requester", role: "requester" },
  connectivity: { state: "online" },
};

test("a wrong password shows the server's message in the sign-in error", async () => {
  const backend = mockBackend({
    resume: () => rejectWith("not_signed_in", "Nobody is signed in."),
    default_server: () => "https://help.example",
    settings: () => ({}),
    sign_in: () => rejectWith("rejected", "That email and password do not match."),
  });
  const user = userEvent.setup();
  renderApp();

  const server = await screen.findByRole("textbox", { name: "Server address" });
  await waitFor(() => { expect(server).toHaveProperty("value", "https://help.example"); });
  await user.type(screen.getByRole("textbox", { name: "Email" }), "rita@example.com");
  await user.type(screen.getByLabelText("Password"), "wrong");
  await user.click(screen.getByRole("button", { name: "Sign in" }));

  const error = await waitFor(() => {
    const el = document.getElementById("sign-in-error");
    expect(el?.textContent).toBe("That email and password do not match.");
    return el;
  });
  expect(error?.getAttribute("role")).toBe("alert");
  expect(backend.argsOf("sign_in")).toEqual([
    { server: "https://help.example", email: "rita@example.com", password: "wrong", remember: true },
  ]);
});

test("an expired session opens the sign-in screen with its explanation", async () => {
  mockBackend({
    resume: () => rejectWith("signed_out", "Your session has expired. Please sign in again."),
    default_server: () => "https://help.example",
    settings: () => ({}),
  });
  renderApp();
  expect(await screen.findByText("Your session has expired. Please sign in again.")).toBeTruthy();
  expect(document.querySelector("#sign-in")).not.toBeNull();
  expect(document.querySelector("#connectivity")?.getAttribute("data-state")).toBe("signed_out");
});

test("a resumed session shows the app, and losing the session returns to sign-in", async () => {
  mockBackend({
    resume: () => SESSION,
    default_server: () => "https://help.example",
    settings: () => ({}),
    outbox: () => [],
    ticket_counts: () => COUNTS,
    list_tickets: () => [],
  });
  renderApp();
  expect(await screen.findByText("Rita Requester")).toBeTruthy();
  expect(document.querySelector("#connectivity")?.getAttribute("data-state")).toBe("online");
  expect(await screen.findByText("No tickets yet.")).toBeTruthy();

  await emitChanged({ type: "connectivity_changed", state: "signed_out", reason: "Your account was signed out on the server." });
  expect(await screen.findByText("Your account was signed out on the server.")).toBeTruthy();
  expect(document.querySelector("#sign-in")).not.toBeNull();
});

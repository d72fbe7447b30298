import { useEffect, useState } from "react";
import type { SubmitEvent } from "react";
import { api, errorMessage, fieldErrors } from "../api";
import type { SessionInfo } from "../bindings";
import { Field, byField } from "../components/Field";
import { reportPainted } from "../startupProbe";

interface Props {
  /** Why the user is here again (session expired, signed out elsewhere), if they were in. */
  notice: string | null;
  /** Called as the request goes out; its value comes back with the session. */
  onSignIn: () => number;
  onSignedIn: (session: SessionInfo, eventsBefore: number) => void;
}

export function SignIn({ notice, onSignIn, onSignedIn }: Props) {
  const [server, setServer] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [remember, setRemember] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  useEffect(() => {
    reportPainted("sign-in");
  }, []);

  useEffect(() => {
    let active = true;
    // The user may already have typed by the time these arrive: never overwrite that.
    api.defaultServer().then(
      (url) => {
        if (active) setServer((s) => (s === "" ? url : s));
      },
      () => undefined,
    );
    api.settings().then(
      (s) => {
        if (!active) return;
        const lastEmail = s.last_email;
        const lastServer = s.last_server;
        if (lastEmail) setEmail((e) => (e === "" ? lastEmail : e));
        if (lastServer) setServer(lastServer);
      },
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, []);

  async function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFields({});
    try {
      const eventsBefore = onSignIn();
      onSignedIn(await api.signIn(server.trim(), email.trim(), password, remember), eventsBefore);
    } catch (e) {
      setError(errorMessage(e));
      setFields(byField(fieldErrors(e)));
      setBusy(false);
    }
  }

  return (
    <main className="sign-in-screen" id="main">
      <form id="sign-in" className="card sign-in" onSubmit={(e) => void submit(e)} noValidate>
        <h1>Sign in to Lifebuoy</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <Field id="server" label="Server address" error={fields.server}>
          {(aria) => (
            <input
              {...aria}
              name="server"
              type="url"
              autoComplete="url"
              required
              value={server}
              onChange={(e) => { setServer(e.target.value); }}
            />
          )}
        </Field>
        <Field id="email" label="Email" error={fields.email}>
          {(aria) => (
            <input
              {...aria}
              name="email"
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => { setEmail(e.target.value); }}
            />
          )}
        </Field>
        <Field id="password" label="Password" error={fields.password}>
          {(aria) => (
            <input
              {...aria}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => { setPassword(e.target.value); }}
            />
          )}
        </Field>
        <label className="check">
          <input
            type="checkbox"
            name="remember"
            checked={remember}
            onChange={(e) => { setRemember(e.target.checked); }}
          />
          Remember me on this computer
        </label>
        <div id="sign-in-error" role="alert" className="error">
          {error}
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}

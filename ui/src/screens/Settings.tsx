import { useEffect, useState } from "react";
import type { SubmitEvent } from "react";
import { api, errorMessage } from "../api";
import type { Settings } from "../bindings";
import { useToast } from "../state/toasts";

/**
 * Settings are read once when the screen opens, not on store changes: nothing else
 * changes them, and a re-read would throw away what the user is editing.
 */
/** The per-kind switches staff have for their notifications. */
type StaffMute =
  | "mute_new_ticket_notifications"
  | "mute_assignment_notifications"
  | "mute_requester_reply_notifications";

const STAFF_MUTES: { key: StaffMute; label: string }[] = [
  { key: "mute_new_ticket_notifications", label: "Mute notifications about new tickets" },
  {
    key: "mute_assignment_notifications",
    label: "Mute notifications when someone assigns a ticket to me",
  },
  {
    key: "mute_requester_reply_notifications",
    label: "Mute notifications about requesters' replies on my tickets",
  },
];

const NO_STAFF_MUTES: Record<StaffMute, boolean> = {
  mute_new_ticket_notifications: false,
  mute_assignment_notifications: false,
  mute_requester_reply_notifications: false,
};

export function SettingsScreen({ staff = false }: { staff?: boolean }) {
  const [loaded, setLoaded] = useState<Settings | null>(null);
  const [mute, setMute] = useState(false);
  const [staffMutes, setStaffMutes] = useState(NO_STAFF_MUTES);
  const [shortcut, setShortcut] = useState("");
  const [remember, setRemember] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const toast = useToast();

  function show(s: Settings) {
    setLoaded(s);
    setMute(s.mute_status_notifications ?? false);
    setStaffMutes({
      mute_new_ticket_notifications: s.mute_new_ticket_notifications ?? false,
      mute_assignment_notifications: s.mute_assignment_notifications ?? false,
      mute_requester_reply_notifications: s.mute_requester_reply_notifications ?? false,
    });
    setShortcut(s.shortcut ?? "");
    setRemember(s.remember_me ?? true);
  }

  useEffect(() => {
    let active = true;
    api.settings().then(
      (s) => {
        if (active) show(s);
      },
      (e: unknown) => {
        if (active) setError(errorMessage(e));
      },
    );
    return () => {
      active = false;
    };
  }, []);

  async function save(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!loaded) return;
    setBusy(true);
    setError(null);
    try {
      show(
        await api.saveSettings({
          ...loaded,
          ...staffMutes,
          mute_status_notifications: mute,
          shortcut: shortcut.trim(),
          remember_me: remember,
        }),
      );
      toast("Settings saved.");
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="screen settings" aria-labelledby="settings-title">
      <div className="screen-head">
        <h1 id="settings-title" tabIndex={-1}>
          Settings
        </h1>
      </div>
      <form id="settings-form" className="compose" onSubmit={(e) => void save(e)} noValidate>
        <label className="check">
          <input
            type="checkbox"
            name="mute_status_notifications"
            checked={mute}
            onChange={(e) => { setMute(e.target.checked); }}
          />
          Mute notifications about status changes (replies still notify)
        </label>
        {staff &&
          STAFF_MUTES.map(({ key, label }) => (
            <label key={key} className="check">
              <input
                type="checkbox"
                name={key}
                checked={staffMutes[key]}
                onChange={(e) => { setStaffMutes({ ...staffMutes, [key]: e.target.checked }); }}
              />
              {label}
            </label>
          ))}
        <div className="field">
          <label htmlFor="shortcut">Screenshot shortcut</label>
          <input
            id="shortcut"
            name="shortcut"
            value={shortcut}
            placeholder="e.g. CmdOrCtrl+Shift+H"
            aria-describedby="shortcut-hint"
            aria-invalid={error !== null}
            onChange={(e) => { setShortcut(e.target.value); }}
          />
          <p id="shortcut-hint" className="hint">
            Works in every app: captures the screen and opens a new ticket.
          </p>
        </div>
        <label className="check">
          <input
            type="checkbox"
            name="remember_me"
            checked={remember}
            onChange={(e) => { setRemember(e.target.checked); }}
          />
          Remember me: stay signed in when Lifebuoy restarts
        </label>
        <div id="settings-error" className="error" role="alert">
          {error}
        </div>
        <div className="actions">
          <button type="submit" id="save-settings" className="primary" disabled={busy || !loaded}>
            {busy ? "Saving…" : "Save settings"}
          </button>
        </div>
      </form>
    </section>
  );
}

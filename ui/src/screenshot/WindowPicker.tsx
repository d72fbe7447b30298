import { useId, useState } from "react";
import { errorMessage, unwrap } from "../api";
import type { ScreenshotCommands, Shot, WindowChoice } from "./api";

interface Props {
  commands: ScreenshotCommands;
  disabled: boolean;
  onCaptured: (shot: Shot) => void;
}

function describe(w: WindowChoice): string {
  const title = w.title || w.app || "Untitled window";
  const app = w.title && w.app ? ` – ${w.app}` : "";
  return `${title}${app} (${w.width} × ${w.height})`;
}

/**
 * Capturing one window instead of whole screens: the list is read when asked for, so it
 * shows the windows open now, and the capture is taken only once one is picked.
 */
export function WindowPicker({ commands, disabled, onCaptured }: Props) {
  const [windows, setWindows] = useState<WindowChoice[] | null>(null);
  const [chosen, setChosen] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const selectId = useId();

  async function list() {
    setBusy(true);
    setError(null);
    try {
      const listed = await unwrap(commands.listWindows());
      setWindows(listed);
      setChosen(listed[0]?.id ?? null);
    } catch (e) {
      setError(errorMessage(e));
    }
    setBusy(false);
  }

  async function capture() {
    if (chosen === null) return;
    setBusy(true);
    setError(null);
    try {
      const shot = await unwrap(commands.captureWindow(chosen));
      setWindows(null);
      onCaptured(shot);
    } catch (e) {
      // The window may have closed meanwhile: back to the button, which lists afresh.
      setWindows(null);
      setError(errorMessage(e));
    }
    setBusy(false);
  }

  return (
    <div className="window-picker">
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {windows === null ? (
        <button type="button" id="pick-window" disabled={disabled || busy} onClick={() => void list()}>
          {busy ? "Listing windows…" : "Capture one window instead…"}
        </button>
      ) : windows.length === 0 ? (
        <p className="hint">
          No other app has a window open to capture.{" "}
          <button type="button" onClick={() => { setWindows(null); }}>
            OK
          </button>
        </p>
      ) : (
        <>
          <label htmlFor={selectId}>Window</label>
          <select
            id={selectId}
            name="window"
            value={chosen ?? ""}
            disabled={busy}
            onChange={(e) => { setChosen(Number(e.target.value)); }}
          >
            {windows.map((w) => (
              <option key={w.id} value={w.id}>
                {describe(w)}
              </option>
            ))}
          </select>
          <button
            type="button"
            id="capture-window"
            disabled={disabled || busy || chosen === null}
            onClick={() => void capture()}
          >
            {busy ? "Capturing…" : "Capture this window"}
          </button>
          <button type="button" disabled={busy} onClick={() => { setWindows(null); }}>
            Cancel
          </button>
        </>
      )}
    </div>
  );
}

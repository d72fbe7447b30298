import { useId, useRef, useState } from "react";
import type { KeyboardEvent, PointerEvent } from "react";
import { errorMessage, unwrap } from "../api";
import type { Draft } from "../bindings";
import type { Rect, ScreenshotCommands, Shot } from "./api";
import { MIN_SIZE, keepInside, percentBox, pointOnPreview, spanned, toFullSize } from "./geometry";
import type { Point } from "./geometry";
import { WindowPicker } from "./WindowPicker";

type Tool = "crop" | "blackout";

interface Edit {
  crop: Rect | null;
  blackouts: Rect[];
}

const EMPTY: Edit = { crop: null, blackouts: [] };
/** Keyboard steps, in preview pixels; with Alt held, one pixel for fine work. */
const STEP = 10;

interface Props {
  shots: Shot[];
  draftKey: string;
  commands: ScreenshotCommands;
  onAttached: (draft: Draft) => void;
  onDropped: () => void;
}

/**
 * Crop and black out parts of a capture before it goes with a ticket. Everything is
 * drawn on the downscaled preview and converted to full-size pixels only when attached.
 * The user picks which screen to send, or captures one window instead.
 */
export function ScreenshotEditor({ shots: screens, draftKey, commands, onAttached, onDropped }: Props) {
  // Windows captured in this editor, after the screens it was opened with.
  const [windows, setWindows] = useState<Shot[]>([]);
  const shots = [...screens, ...windows];
  const [shotIndex, setShotIndex] = useState(0);
  const [tool, setTool] = useState<Tool>("blackout");
  // Every applied change pushes the whole edit, so undo is just a pop.
  const [history, setHistory] = useState<Edit[]>([EMPTY]);
  const [drag, setDrag] = useState<{ from: Point; to: Point } | null>(null);
  const [selection, setSelection] = useState<Rect | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const surface = useRef<HTMLDivElement>(null);
  const helpId = useId();
  const toolName = useId();

  const shot = shots[shotIndex] ?? shots[0];
  const edit = history.at(-1) ?? EMPTY;
  if (!shot) return null;
  const bounds = { width: shot.preview_width, height: shot.preview_height };

  function apply(rect: Rect) {
    if (rect.width < MIN_SIZE || rect.height < MIN_SIZE) return;
    const next: Edit =
      tool === "crop" ? { ...edit, crop: rect } : { ...edit, blackouts: [...edit.blackouts, rect] };
    setHistory((h) => [...h, next]);
  }

  function pickShot(index: number) {
    setShotIndex(index);
    setHistory([EMPTY]);
    setSelection(null);
  }

  function addWindow(captured: Shot) {
    setWindows((w) => [...w, captured]);
    pickShot(shots.length);
  }

  function pointFor(event: PointerEvent<HTMLDivElement>, current: Shot): Point {
    const box = event.currentTarget.getBoundingClientRect();
    return pointOnPreview(event.clientX, event.clientY, box, current);
  }

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    if (event.button !== 0 || !shot) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const p = pointFor(event, shot);
    setSelection(null);
    setDrag({ from: p, to: p });
  }

  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    if (!drag || !shot) return;
    setDrag({ from: drag.from, to: pointFor(event, shot) });
  }

  function onPointerUp(event: PointerEvent<HTMLDivElement>) {
    if (!drag || !shot) return;
    apply(spanned(drag.from, pointFor(event, shot), bounds));
    setDrag(null);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const current =
      selection ??
      keepInside(
        {
          x: bounds.width / 4,
          y: bounds.height / 4,
          width: bounds.width / 2,
          height: bounds.height / 2,
        },
        bounds,
      );
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      const step = event.altKey ? 1 : STEP;
      const [dx, dy] = move;
      setSelection(
        keepInside(
          event.shiftKey
            ? { ...current, width: current.width + dx * step, height: current.height + dy * step }
            : { ...current, x: current.x + dx * step, y: current.y + dy * step },
          bounds,
        ),
      );
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      if (selection) {
        apply(selection);
        setSelection(null);
      } else {
        setSelection(current);
      }
    } else if (event.key === "Escape" && selection) {
      event.preventDefault();
      setSelection(null);
    }
  }

  async function attach() {
    if (!shot) return;
    setBusy(true);
    setError(null);
    try {
      const draft = await unwrap(
        commands.attachScreenshot(draftKey, shot.index, {
          crop: edit.crop ? toFullSize(edit.crop, shot) : null,
          blackouts: edit.blackouts.map((r) => toFullSize(r, shot)),
        }),
      );
      onAttached(draft);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  }

  async function drop() {
    setBusy(true);
    try {
      await unwrap(commands.discardCapture());
    } catch {
      // The capture only lives in memory on the Rust side; if forgetting it failed there
      // is nothing the user could do about it.
    }
    onDropped();
  }

  const drawing = drag ? spanned(drag.from, drag.to, bounds) : null;
  const summary = [
    edit.crop
      ? (() => {
          const full = toFullSize(edit.crop, shot);
          return `Cropped to ${full.width} × ${full.height} pixels`;
        })()
      : "Not cropped",
    edit.blackouts.length === 1 ? "1 area blacked out" : `${edit.blackouts.length} areas blacked out`,
  ].join(", ");

  return (
    <section id="screenshot-editor" className="screenshot-editor" aria-label="Screenshot editor">
      {shots.length > 1 && (
        <fieldset className="shot-picker">
          <legend>Picture</legend>
          {shots.map((s, i) => (
            <label key={s.index} className="check">
              <input
                type="radio"
                name="screenshot_screen"
                checked={i === shotIndex}
                onChange={() => { pickShot(i); }}
              />
              {s.name} ({s.width} × {s.height})
            </label>
          ))}
        </fieldset>
      )}
      <WindowPicker commands={commands} disabled={busy} onCaptured={addWindow} />
      <fieldset className="tool-picker">
        <legend>Draw</legend>
        <label className="check">
          <input
            type="radio"
            name={toolName}
            value="blackout"
            checked={tool === "blackout"}
            onChange={() => { setTool("blackout"); }}
          />
          Black out (hide private details)
        </label>
        <label className="check">
          <input
            type="radio"
            name={toolName}
            value="crop"
            checked={tool === "crop"}
            onChange={() => { setTool("crop"); }}
          />
          Crop
        </label>
      </fieldset>
      <p id={helpId} className="hint">
        Drag on the picture to draw. With the keyboard: Enter shows a selection, arrow keys
        move it, Shift with arrow keys resizes it, Enter applies it, Escape cancels.
      </p>
      <div
        ref={surface}
        className="shot-surface"
        role="application"
        aria-roledescription="screenshot"
        aria-label={`Screenshot of ${shot.name}`}
        aria-describedby={helpId}
        tabIndex={0}
        style={{ maxWidth: shot.preview_width, aspectRatio: `${shot.preview_width} / ${shot.preview_height}` }}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => { setDrag(null); }}
        onKeyDown={onKeyDown}
      >
        <img src={shot.preview} alt="" draggable={false} />
        {edit.blackouts.map((r, i) => (
          <div key={i} className="blackout" style={percentBox(r, shot)} />
        ))}
        {edit.crop && <div className="crop" style={percentBox(edit.crop, shot)} />}
        {drawing && <div className={`drawing drawing-${tool}`} style={percentBox(drawing, shot)} />}
        {selection && <div className={`drawing drawing-${tool} selection`} style={percentBox(selection, shot)} />}
      </div>
      <p className="hint" role="status">
        {summary}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button
          type="button"
          disabled={history.length <= 1 || busy}
          onClick={() => { setHistory((h) => (h.length > 1 ? h.slice(0, -1) : h)); }}
        >
          Undo
        </button>
        <button type="button" id="attach-screenshot" className="primary" disabled={busy} onClick={() => void attach()}>
          Attach screenshot
        </button>
        <button type="button" id="drop-screenshot" disabled={busy} onClick={() => void drop()}>
          Drop screenshot
        </button>
      </div>
    </section>
  );
}

import { invoke } from "@tauri-apps/api/core";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Result } from "../api";
import type { AppError, Draft, WindowChoice } from "../bindings";
import { mockBackend, rejectWith } from "../test/backend";
import type { Handler } from "../test/backend";
import type { ScreenshotCommands, Shot } from "./api";
import { ScreenshotEditor } from "./ScreenshotEditor";

/**
 * The commands as the generated bindings will call them (same IPC names and arguments),
 * so the test goes through Tauri's IPC mock like every other test.
 */
async function asResult<T>(pending: Promise<T>): Promise<Result<T>> {
  try {
    return { status: "ok", data: await pending };
  } catch (e) {
    return { status: "error", error: e as AppError };
  }
}

const viaIpc: ScreenshotCommands = {
  captureScreen: () => asResult(invoke<Shot[]>("capture_screen")),
  attachScreenshot: (key, index, edit) => asResult(invoke<Draft>("attach_screenshot", { key, index, edit })),
  discardCapture: () => asResult(invoke<null>("discard_capture")),
  listWindows: () => asResult(invoke<WindowChoice[]>("list_windows")),
  captureWindow: (id) => asResult(invoke<Shot>("capture_window", { id })),
};

// A 2000×1000 monitor with a 500×250 preview: every preview pixel is 4 real ones.
const SHOT: Shot = {
  index: 1,
  name: "Built-in display",
  width: 2000,
  height: 1000,
  preview: "data:image/png;base64,iVBORw0KGgo=",
  preview_width: 500,
  preview_height: 250,
};

function setup(shown: { width: number; height: number }, shots: Shot[] = [SHOT], more: Record<string, Handler> = {}) {
  const backend = mockBackend({
    attach_screenshot: ({ key }) => ({ key, files: [{ path: "/d/shot.png", name: "screenshot.png", size: 1 }] }),
    discard_capture: () => null,
    ...more,
  });
  const onAttached = vi.fn();
  const onDropped = vi.fn();
  render(
    <ScreenshotEditor shots={shots} draftKey="new-ticket" commands={viaIpc} onAttached={onAttached} onDropped={onDropped} />,
  );
  const surface = screen.getByRole("application");
  // jsdom does no layout: place the preview where the webview would draw it.
  vi.spyOn(surface, "getBoundingClientRect").mockReturnValue(
    DOMRect.fromRect({ x: 100, y: 50, width: shown.width, height: shown.height }),
  );
  return { backend, surface, onAttached, onDropped };
}

function drag(surface: HTMLElement, from: [number, number], to: [number, number]) {
  fireEvent.pointerDown(surface, { button: 0, clientX: from[0], clientY: from[1], pointerId: 1 });
  fireEvent.pointerMove(surface, { clientX: to[0], clientY: to[1], pointerId: 1 });
  fireEvent.pointerUp(surface, { clientX: to[0], clientY: to[1], pointerId: 1 });
}

test("rectangles drawn on the preview are sent in full-size pixels", async () => {
  const { backend, surface, onAttached } = setup({ width: 500, height: 250 });
  const user = userEvent.setup();

  // Black out preview (10,20)–(60,45): shown at once, as a black box.
  drag(surface, [110, 70], [160, 95]);
  expect(surface.querySelectorAll(".blackout")).toHaveLength(1);

  await user.click(screen.getByRole("radio", { name: "Crop" }));
  // Drawn right-to-left: the rectangle is the same whichever way the drag goes.
  drag(surface, [500, 250], [200, 100]);

  await user.click(screen.getByRole("button", { name: "Attach screenshot" }));
  await waitFor(() => { expect(onAttached).toHaveBeenCalledOnce(); });
  expect(backend.argsOf("attach_screenshot")).toEqual([
    {
      key: "new-ticket",
      index: 1,
      edit: {
        crop: { x: 400, y: 200, width: 1200, height: 600 },
        blackouts: [{ x: 40, y: 80, width: 200, height: 100 }],
      },
    },
  ]);
});

test("a preview shown smaller than its natural size still maps to the right pixels", async () => {
  const { backend, surface } = setup({ width: 250, height: 125 });
  const user = userEvent.setup();
  // Half size on screen: 25 shown pixels are 50 preview pixels, 200 real ones.
  drag(surface, [125, 75], [150, 100]);
  await user.click(screen.getByRole("button", { name: "Attach screenshot" }));
  await waitFor(() => { expect(backend.argsOf("attach_screenshot")).toHaveLength(1); });
  expect(backend.argsOf("attach_screenshot")[0]).toMatchObject({
    edit: { crop: null, blackouts: [{ x: 200, y: 200, width: 200, height: 200 }] },
  });
});

test("undo takes back the last rectangle, and the keyboard can draw too", async () => {
  const { backend, surface } = setup({ width: 500, height: 250 });
  const user = userEvent.setup();
  drag(surface, [110, 60], [130, 80]);
  expect(surface.querySelectorAll(".blackout")).toHaveLength(1);
  await user.click(screen.getByRole("button", { name: "Undo" }));
  expect(surface.querySelectorAll(".blackout")).toHaveLength(0);

  // Enter shows a selection (a quarter in from each side), an arrow moves it by 10,
  // Enter applies it.
  surface.focus();
  await user.keyboard("{Enter}{ArrowRight}{Enter}");
  expect(surface.querySelectorAll(".blackout")).toHaveLength(1);
  await user.click(screen.getByRole("button", { name: "Attach screenshot" }));
  await waitFor(() => { expect(backend.argsOf("attach_screenshot")).toHaveLength(1); });
  expect(backend.argsOf("attach_screenshot")[0]).toMatchObject({
    edit: { blackouts: [{ x: 540, y: 250, width: 1000, height: 500 }] },
  });
});

test("Drop screenshot forgets the capture", async () => {
  const { backend, onDropped } = setup({ width: 500, height: 250 });
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: "Drop screenshot" }));
  await waitFor(() => { expect(onDropped).toHaveBeenCalledOnce(); });
  expect(backend.argsOf("discard_capture")).toHaveLength(1);
  expect(backend.argsOf("attach_screenshot")).toHaveLength(0);
});

const SECOND: Shot = { ...SHOT, index: 2, name: "Screen 2", width: 1280, height: 1024, preview_width: 1280, preview_height: 1024 };

test("with two monitors the user picks one, and that one is attached", async () => {
  const { backend } = setup({ width: 500, height: 250 }, [SHOT, SECOND]);
  const user = userEvent.setup();
  expect(screen.getByRole("application", { name: "Screenshot of Built-in display" })).toBeTruthy();
  await user.click(screen.getByRole("radio", { name: /Screen 2/ }));
  expect(screen.getByRole("application", { name: "Screenshot of Screen 2" })).toBeTruthy();
  await user.click(screen.getByRole("button", { name: "Attach screenshot" }));
  await waitFor(() => { expect(backend.argsOf("attach_screenshot")).toHaveLength(1); });
  expect(backend.argsOf("attach_screenshot")[0]).toMatchObject({ index: 2, edit: { crop: null, blackouts: [] } });
});

const WINDOWS: WindowChoice[] = [
  { id: 71, app: "Term", title: "bash", width: 640, height: 400 },
  { id: 42, app: "Mail", title: "Inbox – Mail", width: 800, height: 600 },
];
const MAIL: Shot = { ...SHOT, index: 3, name: "Inbox – Mail", width: 800, height: 600, preview_width: 800, preview_height: 600 };

test("one window can be captured instead: listed, picked, shown, and attached by its index", async () => {
  const { backend } = setup({ width: 500, height: 250 }, [SHOT], {
    list_windows: () => WINDOWS,
    capture_window: () => MAIL,
  });
  const user = userEvent.setup();
  // One monitor: nothing to pick between yet, and the window list is not read until asked.
  expect(screen.queryByRole("radio", { name: /Built-in display/ })).toBeNull();
  expect(backend.argsOf("list_windows")).toHaveLength(0);

  await user.click(screen.getByRole("button", { name: "Capture one window instead…" }));
  const list = await screen.findByRole("combobox", { name: "Window" });
  expect(screen.getAllByRole("option").map((o) => o.textContent)).toEqual([
    "bash – Term (640 × 400)",
    "Inbox – Mail – Mail (800 × 600)",
  ]);
  await user.selectOptions(list, "42");
  await user.click(screen.getByRole("button", { name: "Capture this window" }));

  // The window's picture replaces the screen's in the editor; the screen stays pickable.
  expect(await screen.findByRole("application", { name: "Screenshot of Inbox – Mail" })).toBeTruthy();
  expect(backend.argsOf("capture_window")).toEqual([{ id: 42 }]);
  expect(screen.getByRole<HTMLInputElement>("radio", { name: /Inbox – Mail/ }).checked).toBe(true);
  expect(screen.getByRole<HTMLInputElement>("radio", { name: /Built-in display/ }).checked).toBe(false);

  await user.click(screen.getByRole("button", { name: "Attach screenshot" }));
  await waitFor(() => { expect(backend.argsOf("attach_screenshot")).toHaveLength(1); });
  expect(backend.argsOf("attach_screenshot")[0]).toMatchObject({ index: 3 });
});

test("with no other window open the picker says so", async () => {
  setup({ width: 500, height: 250 }, [SHOT], { list_windows: () => [] });
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: "Capture one window instead…" }));
  expect(await screen.findByText(/No other app has a window open/)).toBeTruthy();
  expect(screen.queryByRole("combobox")).toBeNull();
});

test("a window that closed before its capture: the error shows, the screen stays, the list is read again", async () => {
  const { backend } = setup({ width: 500, height: 250 }, [SHOT], {
    list_windows: () => WINDOWS,
    capture_window: () => rejectWith("screenshot", "Cannot take the screenshot: there is no window 71."),
  });
  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: "Capture one window instead…" }));
  await user.click(await screen.findByRole("button", { name: "Capture this window" }));
  expect((await screen.findByRole("alert")).textContent).toContain("there is no window 71");
  expect(backend.argsOf("capture_window")).toEqual([{ id: 71 }]);
  expect(screen.getByRole("application", { name: "Screenshot of Built-in display" })).toBeTruthy();

  await user.click(screen.getByRole("button", { name: "Capture one window instead…" }));
  await screen.findByRole("combobox", { name: "Window" });
  expect(backend.argsOf("list_windows")).toHaveLength(2);
});

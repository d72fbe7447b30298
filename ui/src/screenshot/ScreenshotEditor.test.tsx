import { invoke } from "@tauri-apps/api/core";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { Result } from "../api";
import type { AppError, Draft } from "../bindings";
import { mockBackend } from "../test/backend";
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

function setup(shown: { width: number; height: number }) {
  const backend = mockBackend({
    attach_screenshot: ({ key }) => ({ key, files: [{ path: "/d/shot.png", name: "screenshot.png", size: 1 }] }),
    discard_capture: () => null,
  });
  const onAttached = vi.fn();
  const onDropped = vi.fn();
  render(
    <ScreenshotEditor shots={[SHOT]} draftKey="new-ticket" commands={viaIpc} onAttached={onAttached} onDropped={onDropped} />,
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

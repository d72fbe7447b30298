import type { Result } from "../api";
import { commands, type Draft, type WindowChoice } from "../bindings";

export type { WindowChoice };

/** A rectangle in image pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One monitor's (or one window's) capture: full size, plus a downscaled preview to draw on. */
export interface Shot {
  index: number;
  name: string;
  width: number;
  height: number;
  /** A `data:` URL (the CSP allows no other image source). */
  preview: string;
  preview_width: number;
  preview_height: number;
}

/** Crop and black-outs in FULL-SIZE pixels; Rust applies them to the original capture. */
export interface ScreenshotEdit {
  crop: Rect | null;
  blackouts: Rect[];
}

/**
 * The screenshot commands, shaped exactly as the generated `commands` will have them
 * (same names, same `Result` wrapping), so the generated object fits this interface.
 */
export interface ScreenshotCommands {
  captureScreen: () => Promise<Result<Shot[]>>;
  attachScreenshot: (key: string, index: number, edit: ScreenshotEdit) => Promise<Result<Draft>>;
  discardCapture: () => Promise<Result<null>>;
  /** Windows of other apps, front-most first. */
  listWindows: () => Promise<Result<WindowChoice[]>>;
  /** Captures one window and keeps it beside the screens; its `index` is for attaching. */
  captureWindow: (id: number) => Promise<Result<Shot>>;
}

/** The generated commands fit this interface; the check below keeps them in step. */
export const screenshotCommands: ScreenshotCommands | null = commands;

import type { Result } from "../api";
import type { Draft } from "../bindings";

/** A rectangle in image pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One monitor's capture: full size, plus a downscaled preview to draw on. */
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
}

/**
 * Null while the Rust side has no screenshot commands: the New ticket form then shows
 * no screenshot area and nothing calls a command that does not exist. Once the
 * bindings have them, this line becomes
 * `export const screenshotCommands: ScreenshotCommands | null = commands;`
 * with `import { commands } from "../bindings";`, and the feature is on.
 */
export const screenshotCommands: ScreenshotCommands | null = null;

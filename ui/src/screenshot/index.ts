export { ScreenshotEditor } from "./ScreenshotEditor";
export { ScreenshotSection } from "./ScreenshotSection";
export { screenshotCommands } from "./api";
export type { Rect, ScreenshotCommands, ScreenshotEdit, Shot, WindowChoice } from "./api";
export { toFullSize } from "./geometry";

import type { Rect, Shot } from "./api";

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

/** Rectangles smaller than this (preview pixels) are stray clicks, not drawings. */
export const MIN_SIZE = 4;

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** The rectangle spanned by two corners, in any drag direction, kept inside `bounds`. */
export function spanned(a: Point, b: Point, bounds: Size): Rect {
  const x1 = clamp(Math.min(a.x, b.x), 0, bounds.width);
  const y1 = clamp(Math.min(a.y, b.y), 0, bounds.height);
  const x2 = clamp(Math.max(a.x, b.x), 0, bounds.width);
  const y2 = clamp(Math.max(a.y, b.y), 0, bounds.height);
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

/** Keeps a rectangle inside `bounds`, moving it rather than shrinking it where it can. */
export function keepInside(rect: Rect, bounds: Size): Rect {
  const width = clamp(rect.width, MIN_SIZE, bounds.width);
  const height = clamp(rect.height, MIN_SIZE, bounds.height);
  return {
    x: clamp(rect.x, 0, bounds.width - width),
    y: clamp(rect.y, 0, bounds.height - height),
    width,
    height,
  };
}

/**
 * A pointer position on the shown preview, in preview pixels. The preview may be shown
 * smaller than its natural size (narrow window), hence the second scaling.
 */
export function pointOnPreview(clientX: number, clientY: number, box: DOMRect, shot: Shot): Point {
  const sx = box.width > 0 ? shot.preview_width / box.width : 1;
  const sy = box.height > 0 ? shot.preview_height / box.height : 1;
  return { x: (clientX - box.left) * sx, y: (clientY - box.top) * sy };
}

/**
 * From preview pixels to full-size pixels. Edges round outwards, so a black-out drawn
 * over something always covers all of it in the original.
 */
export function toFullSize(rect: Rect, shot: Shot): Rect {
  const sx = shot.width / shot.preview_width;
  const sy = shot.height / shot.preview_height;
  const left = clamp(Math.floor(rect.x * sx), 0, shot.width);
  const top = clamp(Math.floor(rect.y * sy), 0, shot.height);
  const right = clamp(Math.ceil((rect.x + rect.width) * sx), 0, shot.width);
  const bottom = clamp(Math.ceil((rect.y + rect.height) * sy), 0, shot.height);
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** CSS placement in percentages, so overlays follow the preview however it is scaled. */
export function percentBox(rect: Rect, shot: Shot) {
  return {
    left: `${(rect.x / shot.preview_width) * 100}%`,
    top: `${(rect.y / shot.preview_height) * 100}%`,
    width: `${(rect.width / shot.preview_width) * 100}%`,
    height: `${(rect.height / shot.preview_height) * 100}%`,
  };
}

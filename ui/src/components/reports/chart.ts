import type { DayCount } from "../../bindings";

/** The size drawn until the chart's box has been measured (and in tests). */
export const CHART_WIDTH = 600;
export const CHART_HEIGHT = 200;
/** Room under the bars for the day labels, left of them for the scale, and above the top
 * line for its number. */
export const AXIS_BOTTOM = 24;
export const AXIS_LEFT = 32;
export const AXIS_TOP = 10;
/** Day labels closer than this (in pixels) would run into each other. */
const LABEL_SPACING = 56;

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
}

export interface ChartDay {
  date: string;
  /** "Mar 3": shown under some bars, and in the table for every day. */
  label: string;
  showLabel: boolean;
  labelX: number;
  /** Today's label ends at the right edge instead of hanging half outside it. */
  labelAnchor: "middle" | "end";
  created: Bar;
  resolved: Bar;
}

export interface ChartData {
  days: ChartDay[];
  /** The top of the scale: a round number at or above the busiest day. */
  max: number;
  /** Scale lines: value and y. */
  ticks: { value: number; y: number }[];
  totalCreated: number;
  totalResolved: number;
}

const dayLabel = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });

export function labelForDay(date: string): string {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(ms) ? date : dayLabel.format(ms);
}

/** 1, 2, 5, 10, 20, 50, …: the smallest such number at or above `n` (at least 1). */
export function niceMax(n: number): number {
  if (n <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= n) return step * magnitude;
  }
  return 10 * magnitude;
}

/**
 * Maps days to grouped bars (created, then resolved) in the chart's own pixels, so text
 * is never stretched. Day labels go under today and every seventh day back from it (every
 * fourteenth when a week is too narrow for a label), so they never crowd.
 */
export function chartData(days: DayCount[], width = CHART_WIDTH, height = CHART_HEIGHT): ChartData {
  const plotWidth = Math.max(1, width - AXIS_LEFT);
  const plotHeight = Math.max(1, height - AXIS_BOTTOM - AXIS_TOP);
  const busiest = Math.max(0, ...days.map((d) => Math.max(d.created, d.resolved)));
  const max = niceMax(busiest);
  const slot = days.length > 0 ? plotWidth / days.length : plotWidth;
  const barWidth = slot * 0.38;
  const every = slot * 7 >= LABEL_SPACING ? 7 : 14;
  const bottom = AXIS_TOP + plotHeight;
  const bar = (value: number, x: number): Bar => {
    const barHeight = (value / max) * plotHeight;
    return { x, y: bottom - barHeight, width: barWidth, height: barHeight, value };
  };
  const mapped = days.map((d, i) => {
    const left = AXIS_LEFT + i * slot + slot * 0.12;
    const today = i === days.length - 1;
    return {
      date: d.date,
      label: labelForDay(d.date),
      showLabel: (days.length - 1 - i) % every === 0,
      labelX: today ? AXIS_LEFT + plotWidth : AXIS_LEFT + i * slot + slot / 2,
      labelAnchor: today ? ("end" as const) : ("middle" as const),
      created: bar(d.created, left),
      resolved: bar(d.resolved, left + barWidth),
    };
  });
  const ticks = [0, max / 2, max]
    .filter((v) => Number.isInteger(v))
    .map((value) => ({ value, y: bottom - (value / max) * plotHeight }));
  return {
    days: mapped,
    max,
    ticks,
    totalCreated: days.reduce((s, d) => s + d.created, 0),
    totalResolved: days.reduce((s, d) => s + d.resolved, 0),
  };
}

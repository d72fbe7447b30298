import type { DayCount } from "../../bindings";

export const CHART_WIDTH = 600;
export const CHART_HEIGHT = 200;
/** Room under the bars for the day labels, and left of them for the scale. */
export const AXIS_BOTTOM = 24;
export const AXIS_LEFT = 32;

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
 * Maps days to grouped bars (created, then resolved) in SVG units. Day labels go under
 * the first day, every seventh after it and the last, so they never crowd.
 */
export function chartData(days: DayCount[]): ChartData {
  const plotWidth = CHART_WIDTH - AXIS_LEFT;
  const plotHeight = CHART_HEIGHT - AXIS_BOTTOM;
  const busiest = Math.max(0, ...days.map((d) => Math.max(d.created, d.resolved)));
  const max = niceMax(busiest);
  const slot = days.length > 0 ? plotWidth / days.length : plotWidth;
  const barWidth = slot * 0.38;
  const bar = (value: number, x: number): Bar => {
    const height = (value / max) * plotHeight;
    return { x, y: plotHeight - height, width: barWidth, height, value };
  };
  const mapped = days.map((d, i) => {
    const left = AXIS_LEFT + i * slot + slot * 0.12;
    return {
      date: d.date,
      label: labelForDay(d.date),
      showLabel: i % 7 === 0 || i === days.length - 1,
      labelX: AXIS_LEFT + i * slot + slot / 2,
      created: bar(d.created, left),
      resolved: bar(d.resolved, left + barWidth),
    };
  });
  const ticks = [0, max / 2, max]
    .filter((v) => Number.isInteger(v))
    .map((value) => ({ value, y: plotHeight - (value / max) * plotHeight }));
  return {
    days: mapped,
    max,
    ticks,
    totalCreated: days.reduce((s, d) => s + d.created, 0),
    totalResolved: days.reduce((s, d) => s + d.resolved, 0),
  };
}

import type { DayCount } from "../../bindings";
import { AXIS_BOTTOM, CHART_HEIGHT, chartData, niceMax } from "./chart";

function days(n: number, f: (i: number) => [number, number]): DayCount[] {
  return Array.from({ length: n }, (_, i) => {
    const [created, resolved] = f(i);
    const date = new Date(Date.UTC(2026, 2, 1 + i)).toISOString().slice(0, 10);
    return { date, created, resolved };
  });
}

test("the scale tops out at a round number at or above the busiest day", () => {
  expect([0, 1, 3, 7, 10, 11, 46, 180].map(niceMax)).toEqual([1, 1, 5, 10, 10, 20, 50, 200]);
});

test("bars are proportional, side by side, oldest day first", () => {
  const data = chartData(days(30, (i) => (i === 29 ? [8, 4] : [0, 0])));
  const plot = CHART_HEIGHT - AXIS_BOTTOM;
  expect(data.max).toBe(10);
  expect(data.days).toHaveLength(30);
  const last = data.days[29];
  expect(last?.created.height).toBeCloseTo(plot * 0.8);
  expect(last?.resolved.height).toBeCloseTo(plot * 0.4);
  // Bars stand on the axis.
  expect((last?.created.y ?? 0) + (last?.created.height ?? 0)).toBeCloseTo(plot);
  expect(last?.resolved.x).toBeGreaterThan(last?.created.x ?? Infinity);
  expect(data.days[0]?.created.x).toBeLessThan(last?.created.x ?? 0);
  expect(data.totalCreated).toBe(8);
  expect(data.totalResolved).toBe(4);
});

test("day labels go on the first day, each week after, and today only", () => {
  const data = chartData(days(30, () => [1, 1]));
  const labelled = data.days.flatMap((d, i) => (d.showLabel ? [i] : []));
  expect(labelled).toEqual([0, 7, 14, 21, 28, 29]);
  expect(data.days[0]?.label).toMatch(/1/);
});

test("an empty month still draws a scale from 0 to 1", () => {
  const data = chartData(days(30, () => [0, 0]));
  expect(data.max).toBe(1);
  expect(data.days.every((d) => d.created.height === 0 && d.resolved.height === 0)).toBe(true);
  expect(data.ticks.map((t) => t.value)).toEqual([0, 1]);
});

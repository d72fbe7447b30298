import type { DayCount } from "../../bindings";
import { AXIS_BOTTOM, AXIS_LEFT, AXIS_TOP, CHART_HEIGHT, chartData, niceMax } from "./chart";

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
  const plot = CHART_HEIGHT - AXIS_BOTTOM - AXIS_TOP;
  expect(data.max).toBe(10);
  expect(data.days).toHaveLength(30);
  const last = data.days[29];
  expect(last?.created.height).toBeCloseTo(plot * 0.8);
  expect(last?.resolved.height).toBeCloseTo(plot * 0.4);
  // Bars stand on the axis.
  expect((last?.created.y ?? 0) + (last?.created.height ?? 0)).toBeCloseTo(AXIS_TOP + plot);
  expect(last?.resolved.x).toBeGreaterThan(last?.created.x ?? Infinity);
  expect(data.days[0]?.created.x).toBeLessThan(last?.created.x ?? 0);
  expect(data.totalCreated).toBe(8);
  expect(data.totalResolved).toBe(4);
});

test("day labels go under today and each week back from it, never side by side", () => {
  const data = chartData(days(30, () => [1, 1]));
  const labelled = data.days.flatMap((d, i) => (d.showLabel ? [i] : []));
  expect(labelled).toEqual([1, 8, 15, 22, 29]);
  expect(data.days[29]?.label).toMatch(/30/);
  // In a narrow window a week is too little room for a label: every other week.
  const narrow = chartData(days(30, () => [1, 1]), 200);
  expect(narrow.days.flatMap((d, i) => (d.showLabel ? [i] : []))).toEqual([1, 15, 29]);
});

test("the drawing fills the measured box, with room above for the top number", () => {
  const data = chartData(days(30, (i) => (i === 0 ? [5, 0] : [0, 0])), 900, 240);
  const top = data.ticks.find((t) => t.value === data.max);
  expect(top?.y).toBe(AXIS_TOP);
  const first = data.days[0];
  expect(first?.created.y).toBeCloseTo(AXIS_TOP);
  expect((first?.created.y ?? 0) + (first?.created.height ?? 0)).toBeCloseTo(240 - AXIS_BOTTOM);
  const last = data.days[29];
  expect((last?.resolved.x ?? 0) + (last?.resolved.width ?? 0)).toBeLessThanOrEqual(900);
  expect(first?.created.x).toBeGreaterThanOrEqual(AXIS_LEFT);
  // Today's label ends at the edge; the others are centred under their day.
  expect(last).toMatchObject({ labelAnchor: "end", labelX: 900 });
  expect(data.days[22]?.labelAnchor).toBe("middle");
});

test("an empty month still draws a scale from 0 to 1", () => {
  const data = chartData(days(30, () => [0, 0]));
  expect(data.max).toBe(1);
  expect(data.days.every((d) => d.created.height === 0 && d.resolved.height === 0)).toBe(true);
  expect(data.ticks.map((t) => t.value)).toEqual([0, 1]);
});

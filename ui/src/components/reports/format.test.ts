import { humanDuration, percent } from "./format";

test("durations read the way people say them", () => {
  expect(humanDuration(null)).toBe("—");
  expect(humanDuration(12)).toBe("under 1 min");
  expect(humanDuration(45 * 60)).toBe("45 min");
  expect(humanDuration(3 * 3600 + 5 * 60 + 20)).toBe("3 h 5 min");
  expect(humanDuration(2 * 3600)).toBe("2 h");
  expect(humanDuration(59 * 60 + 50)).toBe("1 h");
  expect(humanDuration(2 * 86400 + 4 * 3600 + 10 * 60)).toBe("2 d 4 h");
  expect(humanDuration(86400 * 3 + 23.9 * 3600)).toBe("4 d");
  expect(humanDuration(Number.NaN)).toBe("—");
});

test("rates are whole percentages, and no rate is a dash", () => {
  expect(percent(0.6666)).toBe("67 %");
  expect(percent(1)).toBe("100 %");
  expect(percent(null)).toBe("—");
});

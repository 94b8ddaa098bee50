import { describe, expect, it } from "vitest";
import type { GroupMetrics, ThresholdPoint } from "../../api/analyses";
import { nearestThreshold, waterfall } from "./contributions";

describe("waterfall", () => {
  it("walks from the base value to the output, largest contributions first, the rest summed", () => {
    const fall = waterfall(-1, ["a", "b", "c", "d"], [0.5, -2, 0.1, 0.2], [1, "x", 3, 4], 2);
    expect(fall.steps.map((s) => [s.label, s.value, s.contribution])).toEqual([
      ["b", "x", -2],
      ["a", 1, 0.5],
      ["2 other features", null, expect.closeTo(0.3, 12)],
    ]);
    expect(fall.steps[0]).toMatchObject({ start: -1, end: -3 });
    expect(fall.output).toBeCloseTo(-1 - 2 + 0.5 + 0.1 + 0.2, 12);
    expect([fall.low, fall.high]).toEqual([-3, -1]);
  });

  it("has no 'other' step when every feature is shown", () => {
    expect(waterfall(0, ["a"], [1], null).steps).toEqual([{ label: "a", value: null, contribution: 1, start: 0, end: 1 }]);
  });
});

describe("nearestThreshold", () => {
  const point = (threshold: number) => ({ threshold, overall: {} as GroupMetrics, groups: [], disparities: {} }) as unknown as ThresholdPoint;
  it("picks the grid point closest to the threshold", () => {
    const grid = [0.1, 0.3, 0.5, 0.7].map(point);
    expect(nearestThreshold(grid, 0.5)).toBe(2);
    expect(nearestThreshold(grid, 0.62)).toBe(3);
    expect(nearestThreshold(grid, 0)).toBe(0);
  });
});

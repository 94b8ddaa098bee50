// The compare view's logic: values side by side with differences marked, metric histories overlaid by step.
import type { MetricHistory } from "../../api/jobs";

export type CompareRow = { key: string; values: (string | undefined)[]; differs: boolean };

/** One row per key found in any column, keys sorted; `differs` when the columns do not all hold the same value. */
export function compareRows(columns: Record<string, unknown>[]): CompareRow[] {
  const keys = [...new Set(columns.flatMap((column) => Object.keys(column)))].sort();
  return keys.map((key) => {
    const values = columns.map((column) => (key in column ? shown(column[key]) : undefined));
    return { key, values, differs: new Set(values).size > 1 };
  });
}

function shown(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  return typeof value === "string" ? value : JSON.stringify(value);
}

export type OverlayPoint = { step: number } & Record<string, number>;

/** Each metric's points of every run merged by step: `{step, [run]: value}` rows, for one chart per metric. */
export function overlay(histories: { run: string; history: MetricHistory }[]): Record<string, OverlayPoint[]> {
  const byMetric: Record<string, Map<number, OverlayPoint>> = {};
  for (const { run, history } of histories) {
    for (const [metric, points] of Object.entries(history)) {
      const steps = (byMetric[metric] ??= new Map());
      for (const point of points) {
        const row = steps.get(point.step) ?? ({ step: point.step } as OverlayPoint);
        row[run] = point.value;
        steps.set(point.step, row);
      }
    }
  }
  return Object.fromEntries(
    Object.entries(byMetric)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([metric, steps]) => [metric, [...steps.values()].sort((a, b) => a.step - b.step)]),
  );
}

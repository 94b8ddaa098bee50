import type { ThresholdPoint } from "../../api/analyses";

export type Step = { label: string; value: number | null; contribution: number; start: number; end: number };
export type Waterfall = { base: number; output: number; steps: Step[]; low: number; high: number };

/**
 * One row's contributions as a waterfall from the base value to the model's output: the `top` largest by magnitude,
 * then the rest summed into one step; `low` and `high` bound the running total (for drawing).
 */
export function waterfall(base: number, features: string[], contributions: number[], values: unknown[] | null, top = 10): Waterfall {
  const order = features.map((_, i) => i).sort((a, b) => Math.abs(contributions[b]) - Math.abs(contributions[a]));
  const kept = order.slice(0, top);
  const rest = order.slice(top);
  const parts = kept.map((i) => ({ label: features[i], value: values ? (values[i] as number | null) : null, contribution: contributions[i] }));
  if (rest.length) parts.push({ label: `${rest.length} other features`, value: null, contribution: rest.reduce((sum, i) => sum + contributions[i], 0) });
  let total = base;
  let [low, high] = [base, base];
  const steps = parts.map((part) => {
    const start = total;
    total += part.contribution;
    low = Math.min(low, total);
    high = Math.max(high, total);
    return { ...part, start, end: total };
  });
  return { base, output: total, steps, low, high };
}

/** The point of the threshold grid closest to `threshold` (the report's decision threshold, or the slider's). */
export function nearestThreshold(points: ThresholdPoint[], threshold: number): number {
  let best = 0;
  points.forEach((p, i) => {
    if (Math.abs(p.threshold - threshold) < Math.abs(points[best].threshold - threshold)) best = i;
  });
  return best;
}

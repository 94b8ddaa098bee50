// What the Monitoring page shows, computed from the API's records: status over time, features ranked by drift,
// and a feature's two distributions on the same bins.
import type { FeatureResult, Histogram, MetricResult, MonitorHistoryEntry, SignalResult } from "../../api/monitors";
import { formatValue } from "../../components/format";

const P_VALUES = new Set(["two_sample_kolmogorov_smirnov_test", "pearsons_chi_squared_test"]);

export type StatusPoint = {
  job: string;
  /** The period's end (its run's creation when the run had no window), in ms since the epoch. */
  time: number;
  status: string;
  /** Failed features over every signal of the period. */
  failed: number;
  entry: MonitorHistoryEntry;
};

/** One point per period of a completed run, oldest first: what the status-over-time chart draws. */
export function statusPoints(entries: MonitorHistoryEntry[]): StatusPoint[] {
  return entries
    .filter((e) => e.status)
    .map((e) => ({
      job: e.job,
      time: Date.parse(e.window_end ?? e.created_at),
      status: e.status as string,
      failed: Object.values(e.failed_features ?? {}).reduce((n, features) => n + features.length, 0),
      entry: e,
    }))
    .sort((a, b) => a.time - b.time);
}

export type TrendPoint = { job: string; time: number; value: number; threshold: number; feature: string; passed: boolean };
export type MetricTrend = { signal: string; metric: string; points: TrendPoint[] };

/** One series per signal and checked metric over the periods, oldest first: each period's worst feature's value
 * and its threshold, what the small status-over-time charts draw. Signals and metrics keep their first order. */
export function metricTrends(entries: MonitorHistoryEntry[]): MetricTrend[] {
  const series = new Map<string, MetricTrend>();
  for (const point of statusPoints(entries)) {
    for (const [signal, metrics] of Object.entries(point.entry.worst_metrics ?? {})) {
      for (const m of metrics) {
        const key = `${signal}\u0000${m.metric}`;
        if (!series.has(key)) series.set(key, { signal, metric: m.metric, points: [] });
        series.get(key)?.points.push({ job: point.job, time: point.time, value: m.value, threshold: m.threshold, feature: m.feature, passed: m.passed });
      }
    }
  }
  return [...series.values()];
}

/** The features of a ranked list that have histograms, at most ``count``: the small multiples' cells. */
export function smallMultiples(rows: FeatureRow[], count: number): FeatureRow[] {
  return rows.filter((row) => row.result.histogram).slice(0, count);
}

/** The newest run that completed (entries come newest run first). */
export function latestCompletedJob(entries: MonitorHistoryEntry[]): string | undefined {
  return entries.find((e) => e.job_status === "Completed")?.job;
}

/** The period a run's result opens at: its last one with production data (else its last). */
export function defaultPeriod(periods: { status: string }[]): number {
  for (let i = periods.length - 1; i >= 0; i -= 1) if (periods[i].status !== "no_production_data") return i;
  return Math.max(periods.length - 1, 0);
}

/** How far a metric is past its threshold: above 1 fails (for p-values, a small value is the drift). */
export function severity(metric: MetricResult): number | null {
  if (metric.value == null || metric.threshold == null) return null;
  if (P_VALUES.has(metric.metric)) return metric.value === 0 ? Infinity : metric.threshold / metric.value;
  if (metric.threshold === 0) return metric.value === 0 ? 0 : Infinity;
  return metric.value / metric.threshold;
}

export type FeatureRow = {
  feature: string;
  columnType: string;
  passed: boolean | null | undefined;
  /** The checked metric that decides the row (the worst one), or the first metric when none is checked. */
  metric: MetricResult | undefined;
  severity: number | null;
  result: FeatureResult;
};

/** The features of a signal, most drifted first: failed ones, then by how close the worst checked metric is to
 * its threshold, then by name. */
export function rankedFeatures(signal: SignalResult): FeatureRow[] {
  const rows = (signal.features ?? []).map((result) => {
    const checked = result.metrics.filter((m) => severity(m) !== null);
    const worst = checked.sort((a, b) => (severity(b) ?? 0) - (severity(a) ?? 0))[0];
    return {
      feature: result.feature,
      columnType: result.column_type,
      passed: result.passed,
      metric: worst ?? result.metrics[0],
      severity: worst ? severity(worst) : null,
      result,
    };
  });
  const rank = (row: FeatureRow) => (row.passed === false ? 0 : 1);
  return rows.sort((a, b) => rank(a) - rank(b) || (b.severity ?? -1) - (a.severity ?? -1) || a.feature.localeCompare(b.feature));
}

export type OverlaidBin = { bin: string; reference: number; production: number };

/** Both sides' counts on the histogram's bins as shares of their side (the sides have different row counts). */
export function overlaidBins(histogram: Histogram): OverlaidBin[] {
  const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0) || 1;
  const ref = total(histogram.reference);
  const prod = total(histogram.production);
  const labels = histogram.categories
    ? histogram.categories
    : (histogram.edges ?? []).slice(0, -1).map((lower, i) => `${formatValue(lower)} – ${formatValue((histogram.edges ?? [])[i + 1])}`);
  return labels.map((bin, i) => ({
    bin,
    reference: (histogram.reference[i] ?? 0) / ref,
    production: (histogram.production[i] ?? 0) / prod,
  }));
}

/** A metric's name as people say it. */
export function metricLabel(metric: string): string {
  return (
    {
      normalized_wasserstein_distance: "Norm. Wasserstein",
      two_sample_kolmogorov_smirnov_test: "KS p-value",
      population_stability_index: "PSI",
      jensen_shannon_distance: "Jensen-Shannon",
      pearsons_chi_squared_test: "Chi² p-value",
      null_value_rate: "Null value rate",
      data_type_error_rate: "Data type error rate",
      out_of_bounds_rate: "Out-of-bounds rate",
    }[metric] ?? metric
  );
}

/** "drift: Age, MonthlyIncome; quality: Age", or "" when nothing failed. */
export function describeFailed(failed: Record<string, string[]> | undefined): string {
  return Object.entries(failed ?? {})
    .map(([signal, features]) => `${signal}: ${features.join(", ")}`)
    .join("; ");
}

import { describe, expect, it } from "vitest";
import type { MonitorHistoryEntry, SignalResult } from "../../api/monitors";
import { defaultPeriod, describeFailed, latestCompletedJob, metricTrends, overlaidBins, rankedFeatures, severity, smallMultiples, statusPoints } from "./monitoring";

const entry = (job: string, end: string | null, status: string | null, failed: Record<string, string[]> = {}) =>
  ({
    job,
    job_status: status ? "Completed" : "Running",
    created_at: "2026-01-10T00:00:00Z",
    window_end: end,
    status,
    failed_features: failed,
  }) as unknown as MonitorHistoryEntry;

const metric = (name: string, value: number | null, threshold: number | null) =>
  ({ metric: name, value, threshold, passed: threshold == null || value == null ? null : undefined });

describe("status over time", () => {
  it("draws completed periods oldest first with their failed feature counts", () => {
    const points = statusPoints([
      entry("b", "2026-01-03T00:00:00Z", "failed", { drift: ["Age", "MonthlyIncome"], quality: ["Age"] }),
      entry("running", null, null),
      entry("a", "2026-01-02T00:00:00Z", "passed"),
    ]);
    expect(points.map((p) => [p.job, p.status, p.failed])).toEqual([
      ["a", "passed", 0],
      ["b", "failed", 3],
    ]);
  });

  it("opens a run at its last period with production data", () => {
    expect(defaultPeriod([{ status: "failed" }, { status: "passed" }, { status: "no_production_data" }])).toBe(1);
    expect(defaultPeriod([{ status: "no_production_data" }])).toBe(0);
  });

  it("says which features failed per signal", () => {
    expect(describeFailed({ drift: ["Age", "MonthlyIncome"], quality: ["Age"] })).toBe("drift: Age, MonthlyIncome; quality: Age");
    expect(describeFailed(undefined)).toBe("");
  });

  it("picks the newest completed run", () => {
    expect(latestCompletedJob([entry("running", null, null), entry("done", null, "passed")])).toBe("done");
    expect(latestCompletedJob([])).toBeUndefined();
  });
});

describe("features ranked by drift", () => {
  it("puts failed features first, then the ones nearest their threshold", () => {
    const signal = {
      features: [
        { feature: "Calm", column_type: "numerical", passed: true, metrics: [metric("normalized_wasserstein_distance", 0.02, 0.1)] },
        { feature: "Close", column_type: "numerical", passed: true, metrics: [metric("normalized_wasserstein_distance", 0.09, 0.1)] },
        {
          feature: "Shifted",
          column_type: "categorical",
          passed: false,
          metrics: [metric("jensen_shannon_distance", 0.3, 0.1), metric("pearsons_chi_squared_test", 0.0001, 0.05)],
        },
        { feature: "Unchecked", column_type: "numerical", passed: null, metrics: [metric("population_stability_index", 0.5, null)] },
      ],
    } as unknown as SignalResult;
    const rows = rankedFeatures(signal);
    expect(rows.map((r) => r.feature)).toEqual(["Shifted", "Close", "Calm", "Unchecked"]);
    expect(rows[0].metric?.metric).toBe("pearsons_chi_squared_test"); // 500x past its threshold, JS only 3x
    expect(rows[3].severity).toBeNull();
  });

  it("measures p-values the other way round", () => {
    expect(severity(metric("two_sample_kolmogorov_smirnov_test", 0.5, 0.05) as never)).toBeCloseTo(0.1);
    expect(severity(metric("normalized_wasserstein_distance", 0.2, 0.1) as never)).toBeCloseTo(2);
    expect(severity(metric("null_value_rate", 0.01, 0) as never)).toBe(Infinity);
  });
});

describe("overlaid distributions", () => {
  it("turns both sides' counts into shares on the same bins", () => {
    const bins = overlaidBins({ edges: [0, 10, 20], reference: [30, 10], production: [1, 3] });
    expect(bins).toEqual([
      { bin: "0 – 10", reference: 0.75, production: 0.25 },
      { bin: "10 – 20", reference: 0.25, production: 0.75 },
    ]);
    const categories = overlaidBins({ categories: ["a", "new"], reference: [5, 0], production: [0, 0] });
    expect(categories).toEqual([
      { bin: "a", reference: 1, production: 0 },
      { bin: "new", reference: 0, production: 0 },
    ]);
  });
});

describe("metric trends", () => {
  const worst = (metric: string, feature: string, value: number, threshold: number) => ({ metric, feature, value, threshold, passed: value <= threshold });
  const period = (job: string, end: string, metrics: Record<string, ReturnType<typeof worst>[]>) =>
    ({ ...entry(job, end, "passed"), worst_metrics: metrics }) as unknown as MonitorHistoryEntry;

  it("makes one series per signal and metric, oldest period first, with each period's threshold", () => {
    const trends = metricTrends([
      period("c", "2026-01-03T00:00:00Z", {
        drift: [worst("normalized_wasserstein_distance", "Age", 0.4, 0.1), worst("jensen_shannon_distance", "BusinessTravel", 0.2, 0.1)],
      }),
      entry("running", null, null),
      period("b", "2026-01-02T00:00:00Z", { drift: [worst("normalized_wasserstein_distance", "DailyRate", 0.03, 0.1)], quality: [worst("null_value_rate", "Age", 0, 0)] }),
      period("a", "2026-01-01T00:00:00Z", {}),
    ]);
    expect(trends.map((t) => [t.signal, t.metric, t.points.map((p) => [p.job, p.value, p.threshold, p.feature, p.passed])])).toEqual([
      ["drift", "normalized_wasserstein_distance", [["b", 0.03, 0.1, "DailyRate", true], ["c", 0.4, 0.1, "Age", false]]],
      ["quality", "null_value_rate", [["b", 0, 0, "Age", true]]],
      ["drift", "jensen_shannon_distance", [["c", 0.2, 0.1, "BusinessTravel", false]]],
    ]);
  });

  it("has no series without checked metrics", () => {
    expect(metricTrends([entry("a", "2026-01-01T00:00:00Z", "no_production_data")])).toEqual([]);
  });
});

describe("small multiples", () => {
  it("keeps the ranked features that have histograms, at most the count", () => {
    const row = (feature: string, histogram: boolean) => ({ feature, result: { histogram: histogram ? { reference: [1], production: [1], categories: ["a"] } : null } });
    const rows = [row("A", true), row("B", false), row("C", true), row("D", true)] as never;
    expect(smallMultiples(rows, 2).map((r) => r.feature)).toEqual(["A", "C"]);
  });
});

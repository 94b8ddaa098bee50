// Chart data adapters: a trial's charts.json (automl/_charts.py) -> points recharts draws.

export type Curve = { fpr: number[]; tpr: number[]; auc?: number };
export type PrCurve = { precision: number[]; recall: number[]; average_precision?: number };
export type CalibrationBin = { lower: number; upper: number; count: number; mean_predicted: number; fraction_positive: number };
export type ClassificationCharts = {
  task: "classification";
  classes: string[];
  roc: { per_class: Record<string, Curve>; micro: Curve; macro: Curve };
  precision_recall: { per_class: Record<string, PrCurve>; micro: PrCurve; macro: PrCurve };
  calibration: { per_class: Record<string, CalibrationBin[]> };
  confusion_matrix: { labels: string[]; counts: number[][]; normalized: number[][] };
  cumulative_gains: { percentiles: number[]; per_class: Record<string, number[]> };
  lift: { percentiles: number[]; per_class: Record<string, number[]> };
};
export type RegressionBin = { lower: number; upper: number; count: number; true_mean: number; predicted_mean: number; predicted_std: number };
export type RegressionCharts = {
  task: "regression";
  predicted_vs_true: { bins: RegressionBin[] };
  residuals: { bin_edges: number[]; counts: number[]; mean: number; std: number };
};
export type TrialCharts = ClassificationCharts | RegressionCharts;

export type Point = { x: number; y: number };

export function isTrialCharts(value: unknown): value is TrialCharts {
  const task = (value as { task?: unknown } | null)?.task;
  return task === "classification" || task === "regression";
}

function zip(xs: number[], ys: number[]): Point[] {
  return xs.slice(0, ys.length).map((x, i) => ({ x, y: ys[i] }));
}

/** The class the curves show first: the positive (last) class of a binary task, else the first one with curves. */
export function defaultClass(charts: ClassificationCharts): string {
  const drawn = charts.classes.filter((c) => c in charts.roc.per_class);
  if (drawn.length === 0) return "";
  return charts.classes.length === 2 ? drawn[drawn.length - 1] : drawn[0];
}

/** ROC curve points (false positive rate -> true positive rate) of one class, or "micro"/"macro". */
export function rocPoints(charts: ClassificationCharts, which: string): Point[] {
  const curve = which === "micro" || which === "macro" ? charts.roc[which] : charts.roc.per_class[which];
  return curve ? zip(curve.fpr, curve.tpr) : [];
}

/** Precision-recall curve points (recall -> precision). */
export function precisionRecallPoints(charts: ClassificationCharts, which: string): Point[] {
  const curve = which === "micro" || which === "macro" ? charts.precision_recall[which] : charts.precision_recall.per_class[which];
  return curve ? zip(curve.recall, curve.precision) : [];
}

/** Calibration: mean predicted probability -> observed share of the class, per probability bin. */
export function calibrationPoints(charts: ClassificationCharts, which: string): (Point & { count: number })[] {
  return (charts.calibration.per_class[which] ?? []).map((b) => ({ x: b.mean_predicted, y: b.fraction_positive, count: b.count }));
}

/** Cumulative gains in percent: share of the sample (best scores first) -> share of the class captured. */
export function gainsPoints(charts: ClassificationCharts, which: string): Point[] {
  return zip(charts.cumulative_gains.percentiles, (charts.cumulative_gains.per_class[which] ?? []).map((v) => v * 100));
}

/** Lift over random at each percentile of the sample (the 0th is left out: lift is undefined there). */
export function liftPoints(charts: ClassificationCharts, which: string): Point[] {
  return zip(charts.lift.percentiles, charts.lift.per_class[which] ?? []).filter((p) => p.x > 0);
}

export type ConfusionCell = { actual: string; predicted: string; count: number; share: number };

/** One row per true class, one cell per predicted class, with the count and the share of the true class's rows. */
export function confusionRows(charts: ClassificationCharts): { actual: string; cells: ConfusionCell[] }[] {
  const { labels, counts, normalized } = charts.confusion_matrix;
  return labels.map((actual, i) => ({
    actual,
    cells: labels.map((predicted, j) => ({ actual, predicted, count: counts[i]?.[j] ?? 0, share: normalized[i]?.[j] ?? 0 })),
  }));
}

/** Predicted vs true: per bin of the true value, its mean (x) and the mean prediction (y) with +-1 std. */
export function predictedVsTruePoints(charts: RegressionCharts): { x: number; y: number; low: number; high: number; count: number }[] {
  return charts.predicted_vs_true.bins.map((b) => ({
    x: b.true_mean,
    y: b.predicted_mean,
    low: b.predicted_mean - b.predicted_std,
    high: b.predicted_mean + b.predicted_std,
    count: b.count,
  }));
}

/** The residuals histogram: one bar per bin, labelled by its centre. */
export function residualBars(charts: RegressionCharts): { centre: number; lower: number; upper: number; count: number }[] {
  const edges = charts.residuals.bin_edges;
  return charts.residuals.counts.map((count, i) => ({ centre: (edges[i] + edges[i + 1]) / 2, lower: edges[i], upper: edges[i + 1], count }));
}

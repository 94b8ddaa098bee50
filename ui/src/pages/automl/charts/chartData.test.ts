import { describe, expect, it } from "vitest";
import {
  calibrationPoints,
  confusionRows,
  defaultClass,
  gainsPoints,
  isTrialCharts,
  liftPoints,
  precisionRecallPoints,
  predictedVsTruePoints,
  residualBars,
  rocPoints,
  type ClassificationCharts,
  type RegressionCharts,
} from "./chartData";

// The shape automl/_charts.py writes (trimmed to a few points).
const binary: ClassificationCharts = {
  task: "classification",
  classes: ["No", "Yes"],
  roc: {
    per_class: { No: { fpr: [0, 0.3, 1], tpr: [0, 0.7, 1], auc: 0.7 }, Yes: { fpr: [0, 0.2, 1], tpr: [0, 0.8, 1], auc: 0.8 } },
    micro: { fpr: [0, 0.25, 1], tpr: [0, 0.75, 1], auc: 0.75 },
    macro: { fpr: [0, 0.5, 1], tpr: [0, 0.75, 1] },
  },
  precision_recall: {
    per_class: { Yes: { precision: [1, 0.6, 0.16], recall: [0, 0.5, 1], average_precision: 0.55 } },
    micro: { precision: [1, 0.5], recall: [0, 1] },
    macro: { recall: [0, 1], precision: [1, 0.4] },
  },
  calibration: { per_class: { Yes: [{ lower: 0, upper: 0.1, count: 800, mean_predicted: 0.04, fraction_positive: 0.05 }] } },
  confusion_matrix: { labels: ["No", "Yes"], counts: [[1200, 33], [150, 87]], normalized: [[0.973, 0.027], [0.633, 0.367]] },
  cumulative_gains: { percentiles: [0, 50, 100], per_class: { Yes: [0, 0.8, 1] } },
  lift: { percentiles: [0, 50, 100], per_class: { Yes: [1, 1.6, 1] } },
};

const regression: RegressionCharts = {
  task: "regression",
  predicted_vs_true: {
    bins: [
      { lower: 0, upper: 10, count: 5, true_mean: 4, predicted_mean: 5, predicted_std: 1 },
      { lower: 10, upper: 20, count: 5, true_mean: 15, predicted_mean: 14, predicted_std: 2 },
    ],
  },
  residuals: { bin_edges: [-2, 0, 2], counts: [3, 7], mean: 0.1, std: 1.2 },
};

describe("classification chart adapters", () => {
  it("shows the positive (last) class of a binary task first", () => {
    expect(defaultClass(binary)).toBe("Yes");
    expect(defaultClass({ ...binary, classes: ["a", "b", "c"], roc: { ...binary.roc, per_class: { b: binary.roc.per_class.Yes, c: binary.roc.per_class.No } } })).toBe("b");
  });

  it("zips curves into points for a class, micro and macro; an unknown class has none", () => {
    expect(rocPoints(binary, "Yes")).toEqual([{ x: 0, y: 0 }, { x: 0.2, y: 0.8 }, { x: 1, y: 1 }]);
    expect(rocPoints(binary, "macro")[1]).toEqual({ x: 0.5, y: 0.75 });
    expect(rocPoints(binary, "Maybe")).toEqual([]);
    expect(precisionRecallPoints(binary, "Yes")).toEqual([{ x: 0, y: 1 }, { x: 0.5, y: 0.6 }, { x: 1, y: 0.16 }]);
    expect(precisionRecallPoints(binary, "micro")).toEqual([{ x: 0, y: 1 }, { x: 1, y: 0.5 }]);
  });

  it("calibration, gains in percent and lift without its undefined 0th percentile", () => {
    expect(calibrationPoints(binary, "Yes")).toEqual([{ x: 0.04, y: 0.05, count: 800 }]);
    expect(gainsPoints(binary, "Yes")).toEqual([{ x: 0, y: 0 }, { x: 50, y: 80 }, { x: 100, y: 100 }]);
    expect(liftPoints(binary, "Yes")).toEqual([{ x: 50, y: 1.6 }, { x: 100, y: 1 }]);
    expect(calibrationPoints(binary, "No")).toEqual([]);
  });

  it("confusion matrix rows are true classes with counts and shares per predicted class", () => {
    const rows = confusionRows(binary);
    expect(rows.map((r) => r.actual)).toEqual(["No", "Yes"]);
    expect(rows[1].cells).toEqual([
      { actual: "Yes", predicted: "No", count: 150, share: 0.633 },
      { actual: "Yes", predicted: "Yes", count: 87, share: 0.367 },
    ]);
  });
});

describe("regression chart adapters", () => {
  it("predicted vs true per bin with a one-std band, and residual bars at bin centres", () => {
    expect(predictedVsTruePoints(regression)).toEqual([
      { x: 4, y: 5, low: 4, high: 6, count: 5 },
      { x: 15, y: 14, low: 12, high: 16, count: 5 },
    ]);
    expect(residualBars(regression)).toEqual([
      { centre: -1, lower: -2, upper: 0, count: 3 },
      { centre: 1, lower: 0, upper: 2, count: 7 },
    ]);
  });
});

describe("isTrialCharts", () => {
  it("accepts the two tasks only", () => {
    expect(isTrialCharts(binary)).toBe(true);
    expect(isTrialCharts(regression)).toBe(true);
    expect(isTrialCharts({ task: "forecasting" })).toBe(false);
    expect(isTrialCharts(null)).toBe(false);
  });
});

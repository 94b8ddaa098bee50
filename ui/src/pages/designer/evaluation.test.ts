import { describe, expect, it } from "vitest";
import { countsAt, evaluatedSides, isBinary, type BinaryEvaluation } from "./evaluation";

// scikit-learn's example: truth [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8]; roc_curve with drop_intermediate=False
// answers thresholds [inf, 0.8, 0.4, 0.35, 0.1] (the module clips inf to 1), fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1]
const evaluation: BinaryEvaluation = {
  metrics: { Accuracy: 0.75 },
  classes: ["No", "Yes"],
  positive_class: "Yes",
  threshold: 0.5,
  confusion_matrix: [
    [2, 0],
    [1, 1],
  ],
  roc: { false_positive_rate: [0, 0, 0.5, 0.5, 1], true_positive_rate: [0, 0.5, 0.5, 1, 1], threshold: [1, 0.8, 0.4, 0.35, 0.1] },
  precision_recall: { recall: [], precision: [] },
  lift: { depth: [], true_positives: [], lift: [] },
};

describe("countsAt", () => {
  it("recounts the stored threshold's confusion matrix from the ROC points", () => {
    expect(countsAt(evaluation, 0.5)).toMatchObject({ threshold: 0.8, matrix: [[2, 0], [1, 1]] });
  });
  it("counts what a lower threshold predicts positive, with its metrics", () => {
    // scores >= 0.36: 0.4 (a negative) and 0.8 (a positive)
    const at = countsAt(evaluation, 0.36);
    expect(at.threshold).toBe(0.4);
    expect(at.matrix).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(at.metrics).toEqual({ Accuracy: 0.5, Precision: 0.5, Recall: 0.5, "F1 Score": 0.5 });
    expect(countsAt(evaluation, 0).matrix).toEqual([
      [0, 2],
      [0, 2],
    ]);
  });
  it("predicts nothing positive above every score", () => {
    expect(countsAt(evaluation, 1).matrix).toEqual([
      [2, 0],
      [2, 0],
    ]);
  });
});

describe("evaluatedSides", () => {
  it("lists the left and the compared right result, and tells binary ones", () => {
    const sides = evaluatedSides({ left: evaluation, right: { metrics: { "Mean Absolute Error": 1 } } });
    expect(sides.map(([side]) => side)).toEqual(["left", "right"]);
    expect(sides.map(([, e]) => isBinary(e))).toEqual([true, false]);
  });
});

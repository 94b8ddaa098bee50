// Evaluate Model's stored result (designer/_evaluate.py) -> what its view draws: curves, and the confusion matrix at
// another threshold, recounted from the stored ROC points (no scores travel to the browser).

export type BinaryEvaluation = {
  metrics: Record<string, number>;
  classes: string[];
  positive_class: string;
  threshold: number;
  confusion_matrix: number[][]; // [[TN, FP], [FN, TP]]
  roc: { false_positive_rate: number[]; true_positive_rate: number[]; threshold: number[] };
  precision_recall: { recall: number[]; precision: number[] };
  lift: { depth: number[]; true_positives: number[]; lift: number[] };
};
export type Evaluation = { metrics?: Record<string, number>; confusion_matrix?: number[][]; classes?: string[] } & Partial<BinaryEvaluation>;

export const isBinary = (e: Evaluation | undefined): e is BinaryEvaluation => !!e?.roc && !!e.confusion_matrix && e.confusion_matrix.length === 2;

/** The evaluated sides of an Evaluate Model result: left, and right when two scored datasets were compared. */
export function evaluatedSides(value: unknown): [string, Evaluation][] {
  const sides = (value ?? {}) as Record<string, Evaluation | undefined>;
  return (["left", "right"] as const).flatMap((side) => (sides[side]?.metrics ? [[side, sides[side]!] as [string, Evaluation]] : []));
}

export const curvePoints = (xs: number[], ys: number[]) => xs.map((x, i) => ({ x, y: ys[i] }));

export type ThresholdCounts = { threshold: number; matrix: number[][]; metrics: Record<string, number> };

/**
 * The confusion matrix and threshold metrics when rows score positive at `wanted` or above. The stored ROC points
 * (thresholds falling) say the rates at their thresholds: the point used is the one with the smallest threshold
 * at or above `wanted`, and its threshold is answered, since at most 101 points are stored.
 */
export function countsAt(evaluation: BinaryEvaluation, wanted: number): ThresholdCounts {
  const { threshold: thresholds, true_positive_rate: tpr, false_positive_rate: fpr } = evaluation.roc;
  let at = 0;
  thresholds.forEach((t, i) => {
    if (t >= wanted) at = i;
  });
  const [[tn, fp], [fn, tp]] = evaluation.confusion_matrix;
  const negatives = tn + fp;
  const positives = fn + tp;
  const truePositives = Math.round(tpr[at] * positives);
  const falsePositives = Math.round(fpr[at] * negatives);
  const matrix = [
    [negatives - falsePositives, falsePositives],
    [positives - truePositives, truePositives],
  ];
  const precision = truePositives + falsePositives ? truePositives / (truePositives + falsePositives) : 0;
  const recall = positives ? truePositives / positives : 0;
  return {
    threshold: thresholds[at],
    matrix,
    metrics: {
      Accuracy: (truePositives + matrix[0][0]) / (positives + negatives),
      Precision: precision,
      Recall: recall,
      "F1 Score": precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    },
  };
}

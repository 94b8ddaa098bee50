"""Evaluate Model: Azure's metrics of one scored dataset, or two side by side, with curve data.

Binary (the positive class is the second of the sorted labels, e.g. "Yes" of No/Yes; a row is
predicted positive when its "Scored Probabilities" is at least ``threshold``): Accuracy, Precision,
Recall, F1 Score, AUC, Average Log Loss; the confusion matrix ``[[TN, FP], [FN, TP]]``; ROC,
precision-recall and lift curves (at most 101 points each). Multiclass: Overall Accuracy, Average
Accuracy, Micro/Macro Precision and Recall, Average Log Loss, the confusion matrix. Regression:
Mean Absolute Error, Root Mean Squared Error, Relative Absolute Error, Relative Squared Error,
Coefficient of Determination.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modelyard.errors import InvalidInput

from modelyard.designer._registry import module, parameter, port
from modelyard.designer._train import SCORE_ATTR, SCORED_LABELS, SCORED_PROBABILITIES

CURVE_POINTS = 101
LOWER_IS_BETTER = frozenset({"Average Log Loss", "Mean Absolute Error", "Root Mean Squared Error",
                             "Relative Absolute Error", "Relative Squared Error"})


def thin(*arrays: np.ndarray) -> list[list[float]]:
    """The arrays at no more than CURVE_POINTS evenly spaced positions (first and last kept)."""
    n = len(arrays[0])
    keep = np.unique(np.linspace(0, n - 1, CURVE_POINTS).round().astype(int)) if n > CURVE_POINTS else np.arange(n)
    return [[float(v) for v in np.asarray(a, dtype=float)[keep]] for a in arrays]


def regression_metrics(truth, predicted) -> dict[str, float]:
    truth, predicted = np.asarray(truth, dtype=float), np.asarray(predicted, dtype=float)
    errors = truth - predicted
    spread = truth - truth.mean()
    rse = float((errors ** 2).sum() / (spread ** 2).sum())
    return {"Mean Absolute Error": float(np.abs(errors).mean()),
            "Root Mean Squared Error": float(np.sqrt((errors ** 2).mean())),
            "Relative Absolute Error": float(np.abs(errors).sum() / np.abs(spread).sum()),
            "Relative Squared Error": rse, "Coefficient of Determination": 1 - rse}


def binary_metrics(positive_truth, probability, threshold: float) -> dict[str, Any]:
    from sklearn import metrics

    truth = np.asarray(positive_truth, dtype=int)
    probability = np.asarray(probability, dtype=float)
    predicted = (probability >= threshold).astype(int)
    fpr, tpr, roc_thresholds = metrics.roc_curve(truth, probability, drop_intermediate=False)
    precision, recall, _ = metrics.precision_recall_curve(truth, probability)
    positives, rows = truth.sum(), len(truth)
    depth = (tpr * positives + fpr * (rows - positives)) / rows
    true_positives = tpr * positives
    lift = np.divide(true_positives / positives, depth, out=np.zeros_like(depth), where=depth > 0)
    roc = thin(fpr, tpr, np.minimum(roc_thresholds, 1.0))
    return {
        "metrics": {"Accuracy": float(metrics.accuracy_score(truth, predicted)),
                    "Precision": float(metrics.precision_score(truth, predicted, zero_division=0)),
                    "Recall": float(metrics.recall_score(truth, predicted, zero_division=0)),
                    "F1 Score": float(metrics.f1_score(truth, predicted, zero_division=0)),
                    "AUC": float(metrics.roc_auc_score(truth, probability)),
                    "Average Log Loss": float(metrics.log_loss(truth, probability, labels=[0, 1]))},
        "confusion_matrix": metrics.confusion_matrix(truth, predicted, labels=[0, 1]).tolist(),
        "roc": dict(zip(("false_positive_rate", "true_positive_rate", "threshold"), roc)),
        "precision_recall": dict(zip(("recall", "precision"), thin(recall[::-1], precision[::-1]))),
        "lift": dict(zip(("depth", "true_positives", "lift"), thin(depth, true_positives, lift))),
    }


def multiclass_metrics(truth, predicted, probabilities, classes: list) -> dict[str, Any]:
    from sklearn import metrics

    truth, predicted = np.asarray(truth, dtype=object), np.asarray(predicted, dtype=object)
    matrix = metrics.confusion_matrix(truth, predicted, labels=classes)
    per_class_accuracy = [((truth == c) == (predicted == c)).mean() for c in classes]
    return {"metrics": {
        "Overall Accuracy": float(metrics.accuracy_score(truth, predicted)),
        "Average Accuracy": float(np.mean(per_class_accuracy)),
        "Micro Precision": float(metrics.precision_score(truth, predicted, labels=classes, average="micro",
                                                         zero_division=0)),
        "Macro Precision": float(metrics.precision_score(truth, predicted, labels=classes, average="macro",
                                                         zero_division=0)),
        "Micro Recall": float(metrics.recall_score(truth, predicted, labels=classes, average="micro", zero_division=0)),
        "Macro Recall": float(metrics.recall_score(truth, predicted, labels=classes, average="macro", zero_division=0)),
        "Average Log Loss": float(metrics.log_loss(truth, probabilities, labels=classes))},
        "confusion_matrix": matrix.tolist()}


def evaluate_scores(scored, threshold: float = 0.5) -> dict[str, Any]:
    """Metrics and curves of a Score Model output."""
    info = scored.attrs.get(SCORE_ATTR)
    if not info:
        raise InvalidInput("the dataset carries no scores; connect Score Model's (or Cross Validate Model's) "
                           "scored dataset")
    label, task, classes = info["label"], info["task"], info["classes"]
    if label not in scored.columns or SCORED_LABELS not in scored.columns:
        missing = [name for name in (label, SCORED_LABELS) if name not in scored.columns]
        raise InvalidInput(f"the scored dataset lacks {', '.join(missing)}; keep the label and score columns "
                           "(Score Model with 'Append score columns to output')")
    truth = scored[label]
    if not len(scored):
        raise InvalidInput("the scored dataset has no rows; there is nothing to evaluate")
    if truth.isna().any():
        raise InvalidInput(f"label column '{label}' has {int(truth.isna().sum())} missing values; remove those rows "
                           "before scoring")
    if task != "regression" and truth.nunique() < 2:
        raise InvalidInput(f"the scored rows hold one class of '{label}' only; metrics such as AUC need rows of "
                           "both classes, so score more rows")
    result: dict[str, Any] = {"task": task, "label": label}
    if task == "regression":
        return {**result, "metrics": regression_metrics(truth, scored[SCORED_LABELS])}
    if task == "binary":
        positive = classes[1]
        return {**result, "classes": classes, "positive_class": positive, "threshold": threshold,
                **binary_metrics(truth == positive, scored[SCORED_PROBABILITIES], threshold)}
    probabilities = scored[[f"{SCORED_PROBABILITIES}_{c}" for c in classes]].to_numpy()
    return {**result, "classes": classes, **multiclass_metrics(truth, scored[SCORED_LABELS], probabilities, classes)}


@module("evaluate_model", "Evaluate Model", "Model Scoring & Evaluation",
        "Metrics and curves of scored data (classification or regression); two scored inputs side by side.",
        inputs=[port("scored_dataset", "Scored dataset", requires_columns=(SCORED_LABELS,)),
                port("scored_dataset_to_compare", "Scored dataset to compare", optional=True,
                     requires_columns=(SCORED_LABELS,))],
        outputs=[port("evaluation_results", "Evaluation results", "EvaluationResult")],
        parameters=[parameter("number", "threshold", "Threshold", 0.5, minimum=0, maximum=1,
                              description="binary: a probability at least this predicts the positive class")])
def evaluate_model(scored_dataset, scored_dataset_to_compare, *, threshold):
    results = {"left": evaluate_scores(scored_dataset, threshold)}
    if scored_dataset_to_compare is not None:
        results["right"] = evaluate_scores(scored_dataset_to_compare, threshold)
    return results

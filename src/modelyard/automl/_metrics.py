"""Azure AutoML's metrics, with their names and meanings, computed from out-of-fold predictions.

Classification metrics take ``y`` as class indices ``0..C-1`` and ``proba`` as an ``(n, C)`` array;
regression metrics take true and predicted values and the range of the training target (Azure
normalises errors by it).
"""

from __future__ import annotations

import math
import warnings

import numpy as np

LOWER_IS_BETTER = frozenset({
    "log_loss", "normalized_root_mean_squared_error", "normalized_mean_absolute_error",
    "normalized_median_absolute_error", "root_mean_squared_error", "mean_absolute_error",
    "median_absolute_error", "root_mean_squared_log_error", "normalized_root_mean_squared_log_error",
})


def greater_is_better(metric: str) -> bool:
    return metric not in LOWER_IS_BETTER


def to_score(metric: str, value: float) -> float:
    """A value where larger is always better (the search maximises it)."""
    if value is None or not math.isfinite(value):
        return -math.inf
    return value if greater_is_better(metric) else -value


def _one_hot(y: np.ndarray, n_classes: int) -> np.ndarray:
    out = np.zeros((len(y), n_classes))
    out[np.arange(len(y)), y] = 1.0
    return out


def _per_class(score_fn, onehot, proba, w, present):
    values = []
    for c in present:
        values.append(score_fn(onehot[:, c], proba[:, c], sample_weight=w))
    return np.asarray(values)


def _averaged(score_fn, y, proba, w, prefix: str) -> dict[str, float]:
    n_classes = proba.shape[1]
    onehot = _one_hot(y, n_classes)
    counts = onehot.sum(axis=0) if w is None else (onehot * w[:, None]).sum(axis=0)
    present = [c for c in range(n_classes) if 0 < onehot[:, c].sum() < len(y)]
    if not present:
        return {}
    per_class = _per_class(score_fn, onehot, proba, w, present)
    support = counts[present]
    micro_w = None if w is None else np.repeat(w, n_classes)
    return {
        f"{prefix}_macro": float(per_class.mean()),
        f"{prefix}_weighted": float(np.average(per_class, weights=support)),
        f"{prefix}_micro": float(score_fn(onehot.ravel(), proba.ravel(), sample_weight=micro_w)),
    }


def _fast_auc(truth: np.ndarray, score: np.ndarray, sample_weight=None) -> float:
    """ROC AUC from ranks (Mann-Whitney U); unweighted only. Much cheaper than sklearn's checks."""
    if sample_weight is not None:
        from sklearn.metrics import roc_auc_score

        return float(roc_auc_score(truth, score, sample_weight=sample_weight))
    from scipy.stats import rankdata

    positive = truth == 1
    n_pos = int(positive.sum())
    n_neg = len(truth) - n_pos
    ranks = rankdata(score)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def primary_classification(metric: str, y: np.ndarray, proba: np.ndarray, w: np.ndarray | None = None) -> float:
    """One metric, fast (used inside the search and by ensemble selection)."""
    from sklearn import metrics as m

    if metric == "accuracy":
        return float(m.accuracy_score(y, proba.argmax(axis=1), sample_weight=w))
    if metric.startswith("AUC_"):
        if proba.shape[1] == 2 and metric != "AUC_micro" and 0 < y.sum() < len(y):
            return _fast_auc(y, proba[:, 1], w)   # binary: every averaging gives the positive class's AUC
        return _averaged(_fast_auc, y, proba, w, "AUC").get(metric, math.nan)
    if metric.startswith("average_precision_score_"):
        return _averaged(m.average_precision_score, y, proba, w, "average_precision_score").get(metric, math.nan)
    if metric == "log_loss":
        return float(m.log_loss(y, np.clip(proba, 1e-15, 1), labels=list(range(proba.shape[1])), sample_weight=w))
    return classification_metrics(y, proba, w)[metric]


def classification_metrics(y: np.ndarray, proba: np.ndarray, w: np.ndarray | None = None) -> dict[str, float]:
    """Every Azure classification metric for class indices ``y`` and probabilities ``proba``."""
    from sklearn import metrics as m

    n_classes = proba.shape[1]
    labels = list(range(n_classes))
    pred = proba.argmax(axis=1)
    out: dict[str, float] = {"accuracy": float(m.accuracy_score(y, pred, sample_weight=w))}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out.update(_averaged(m.roc_auc_score, y, proba, w, "AUC"))
        out.update(_averaged(m.average_precision_score, y, proba, w, "average_precision_score"))
        present = sorted(set(np.unique(y).tolist()))
        for avg in ("macro", "micro", "weighted"):
            p, r, f, _ = m.precision_recall_fscore_support(y, pred, labels=present, average=avg,
                                                           sample_weight=w, zero_division=0)
            out[f"precision_score_{avg}"] = float(p)
            out[f"recall_score_{avg}"] = float(r)
            out[f"f1_score_{avg}"] = float(f)
        out["balanced_accuracy"] = out["recall_score_macro"]
        chance = 1.0 / max(len(present), 2)
        out["norm_macro_recall"] = float((out["recall_score_macro"] - chance) / (1 - chance))
        out["log_loss"] = float(m.log_loss(y, np.clip(proba, 1e-15, 1), labels=labels, sample_weight=w))
        out["matthews_correlation"] = float(m.matthews_corrcoef(y, pred, sample_weight=w))
        # Azure: each sample weighted by the number of samples of its class
        freq = np.bincount(y, minlength=n_classes).astype(float)
        class_w = freq[y] * (1.0 if w is None else w)
        out["weighted_accuracy"] = float(m.accuracy_score(y, pred, sample_weight=class_w))
    return {k: v for k, v in out.items() if math.isfinite(v)}


def regression_metrics(y: np.ndarray, pred: np.ndarray, w: np.ndarray | None = None,
                       y_range: float | None = None) -> dict[str, float]:
    """Every Azure regression metric; errors are normalised by the training target's range."""
    from scipy.stats import spearmanr
    from sklearn import metrics as m

    y = np.asarray(y, dtype=float)
    pred = np.asarray(pred, dtype=float)
    span = y_range if y_range and y_range > 0 else float(np.ptp(y)) or 1.0
    rmse = float(np.sqrt(m.mean_squared_error(y, pred, sample_weight=w)))
    mae = float(m.mean_absolute_error(y, pred, sample_weight=w))
    medae = float(np.median(np.abs(y - pred))) if w is None else float(m.median_absolute_error(y, pred, sample_weight=w))
    out = {
        "r2_score": float(m.r2_score(y, pred, sample_weight=w)),
        "explained_variance": float(m.explained_variance_score(y, pred, sample_weight=w)),
        "root_mean_squared_error": rmse,
        "normalized_root_mean_squared_error": rmse / span,
        "mean_absolute_error": mae,
        "normalized_mean_absolute_error": mae / span,
        "median_absolute_error": medae,
        "normalized_median_absolute_error": medae / span,
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rho = spearmanr(y, pred).statistic if np.ptp(pred) > 0 else math.nan
    out["spearman_correlation"] = float(rho)
    if (y >= 0).all() and (pred > -1).all():  # defined only for non-negative targets
        rmsle = float(np.sqrt(m.mean_squared_error(np.log1p(y), np.log1p(np.maximum(pred, 0)), sample_weight=w)))
        out["root_mean_squared_log_error"] = rmsle
        log_span = float(np.log1p(y.max()) - np.log1p(y.min())) or 1.0
        out["normalized_root_mean_squared_log_error"] = rmsle / log_span
    return {k: v for k, v in out.items() if math.isfinite(v)}


def primary_regression(metric: str, y: np.ndarray, pred: np.ndarray, w: np.ndarray | None = None,
                       y_range: float | None = None) -> float:
    from sklearn import metrics as m

    span = y_range if y_range and y_range > 0 else float(np.ptp(y)) or 1.0
    if metric == "r2_score":
        return float(m.r2_score(y, pred, sample_weight=w))
    if metric == "normalized_root_mean_squared_error":
        return float(np.sqrt(m.mean_squared_error(y, pred, sample_weight=w))) / span
    if metric == "normalized_mean_absolute_error":
        return float(m.mean_absolute_error(y, pred, sample_weight=w)) / span
    return regression_metrics(y, pred, w, y_range).get(metric, math.nan)


def primary(task: str, metric: str, y, pred, w=None, y_range=None) -> float:
    if task == "classification":
        return primary_classification(metric, y, pred, w)
    return primary_regression(metric, y, pred, w, y_range)


def all_metrics(task: str, y, pred, w=None, y_range=None) -> dict[str, float]:
    if task == "classification":
        return classification_metrics(y, pred, w)
    return regression_metrics(y, pred, w, y_range)

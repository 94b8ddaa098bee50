"""Chart data for one trial, computed from its out-of-fold predictions (shape: see the package docstring)."""

from __future__ import annotations

from typing import Any

import numpy as np

MAX_POINTS = 101
CALIBRATION_BINS = 10
GAIN_PERCENTILES = np.linspace(0, 100, 21)


def _thin(*arrays: np.ndarray) -> list[list[float]]:
    n = len(arrays[0])
    if n > MAX_POINTS:
        keep = np.unique(np.linspace(0, n - 1, MAX_POINTS).round().astype(int))
        arrays = tuple(a[keep] for a in arrays)
    return [np.round(a.astype(float), 6).tolist() for a in arrays]


def _roc(truth: np.ndarray, score: np.ndarray, w) -> dict[str, Any]:
    from sklearn.metrics import auc, roc_curve

    fpr, tpr, _ = roc_curve(truth, score, sample_weight=w)
    fpr_t, tpr_t = _thin(fpr, tpr)
    return {"fpr": fpr_t, "tpr": tpr_t, "auc": round(float(auc(fpr, tpr)), 6)}


def _pr(truth: np.ndarray, score: np.ndarray, w) -> dict[str, Any]:
    from sklearn.metrics import average_precision_score, precision_recall_curve

    precision, recall, _ = precision_recall_curve(truth, score, sample_weight=w)
    p_t, r_t = _thin(precision[::-1], recall[::-1])
    return {"precision": p_t, "recall": r_t,
            "average_precision": round(float(average_precision_score(truth, score, sample_weight=w)), 6)}


def _calibration(truth: np.ndarray, score: np.ndarray) -> list[dict[str, float]]:
    edges = np.linspace(0, 1, CALIBRATION_BINS + 1)
    which = np.clip(np.digitize(score, edges[1:-1]), 0, CALIBRATION_BINS - 1)
    bins = []
    for b in range(CALIBRATION_BINS):
        mask = which == b
        if mask.any():
            bins.append({"lower": float(edges[b]), "upper": float(edges[b + 1]), "count": int(mask.sum()),
                         "mean_predicted": round(float(score[mask].mean()), 6),
                         "fraction_positive": round(float(truth[mask].mean()), 6)})
    return bins


def _gains(truth: np.ndarray, score: np.ndarray) -> tuple[list[float], list[float]]:
    order = np.argsort(-score, kind="stable")
    hits = np.cumsum(truth[order])
    total = hits[-1] if len(hits) and hits[-1] > 0 else 1.0
    n = len(truth)
    gains, lift = [], []
    for pct in GAIN_PERCENTILES:
        k = int(round(pct / 100 * n))
        captured = float(hits[k - 1] / total) if k > 0 else 0.0
        gains.append(round(captured, 6))
        lift.append(round(captured / (pct / 100), 6) if pct > 0 else 1.0)
    return gains, lift


def classification_charts(y: np.ndarray, proba: np.ndarray, classes: list, w=None) -> dict[str, Any]:
    from sklearn.metrics import confusion_matrix

    n_classes = proba.shape[1]
    labels = [str(c) for c in classes]
    onehot = np.zeros_like(proba)
    onehot[np.arange(len(y)), y] = 1
    present = [c for c in range(n_classes) if 0 < onehot[:, c].sum() < len(y)]
    roc, pr, calib, gains, lift = {}, {}, {}, {}, {}
    for c in present:
        roc[labels[c]] = _roc(onehot[:, c], proba[:, c], w)
        pr[labels[c]] = _pr(onehot[:, c], proba[:, c], w)
        calib[labels[c]] = _calibration(onehot[:, c], proba[:, c])
        gains[labels[c]], lift[labels[c]] = _gains(onehot[:, c], proba[:, c])
    grid = np.linspace(0, 1, MAX_POINTS)
    macro_tpr = np.mean([np.interp(grid, r["fpr"], r["tpr"]) for r in roc.values()], axis=0) if roc else grid
    macro_precision = np.mean([np.interp(grid, r["recall"], r["precision"]) for r in pr.values()], axis=0) \
        if pr else grid
    flat_w = None if w is None else np.repeat(w, n_classes)
    counts = confusion_matrix(y, proba.argmax(axis=1), labels=list(range(n_classes)), sample_weight=w)
    row_sums = counts.sum(axis=1, keepdims=True)
    normalized = np.divide(counts, row_sums, out=np.zeros_like(counts, dtype=float), where=row_sums > 0)
    return {
        "task": "classification",
        "classes": labels,
        "roc": {"per_class": roc, "micro": _roc(onehot.ravel(), proba.ravel(), flat_w),
                "macro": {"fpr": grid.round(6).tolist(), "tpr": np.round(macro_tpr, 6).tolist()}},
        "precision_recall": {"per_class": pr, "micro": _pr(onehot.ravel(), proba.ravel(), flat_w),
                             "macro": {"recall": grid.round(6).tolist(),
                                       "precision": np.round(macro_precision, 6).tolist()}},
        "calibration": {"per_class": calib},
        "confusion_matrix": {"labels": labels, "counts": counts.round(6).tolist(),
                             "normalized": normalized.round(6).tolist()},
        "cumulative_gains": {"percentiles": GAIN_PERCENTILES.tolist(), "per_class": gains},
        "lift": {"percentiles": GAIN_PERCENTILES.tolist(), "per_class": lift},
    }


def regression_charts(y: np.ndarray, pred: np.ndarray, bins: int = 20) -> dict[str, Any]:
    y = np.asarray(y, dtype=float)
    pred = np.asarray(pred, dtype=float)
    edges = np.unique(np.quantile(y, np.linspace(0, 1, bins + 1)))
    which = np.clip(np.digitize(y, edges[1:-1]), 0, max(len(edges) - 2, 0))
    rows = []
    for b in range(max(len(edges) - 1, 1)):
        mask = which == b
        if mask.any():
            rows.append({"lower": float(edges[b]), "upper": float(edges[min(b + 1, len(edges) - 1)]),
                         "count": int(mask.sum()), "true_mean": round(float(y[mask].mean()), 6),
                         "predicted_mean": round(float(pred[mask].mean()), 6),
                         "predicted_std": round(float(pred[mask].std()), 6)})
    residuals = y - pred
    counts, r_edges = np.histogram(residuals, bins=bins)
    return {
        "task": "regression",
        "predicted_vs_true": {"bins": rows},
        "residuals": {"bin_edges": np.round(r_edges, 6).tolist(), "counts": counts.tolist(),
                      "mean": round(float(residuals.mean()), 6), "std": round(float(residuals.std()), 6)},
    }


def charts(task: str, y, pred, classes=None, w=None) -> dict[str, Any]:
    if task == "classification":
        return classification_charts(y, pred, list(classes), w)
    return regression_charts(y, pred)

"""Predicted fit time of one configuration from the data's size, so that the search sub-samples or skips a
learner that would eat the budget on a large table instead of finding out by running it.

The units are seconds per unit of work for one thread, measured with scikit-learn 1.9, LightGBM 4 and
XGBoost 2 on 6,000 x 10 tables (2 and 5 classes). They only need to be right within a small factor: the
search multiplies them by how fast this machine turned out to be on the trials that finished.
"""

from __future__ import annotations

import math
from typing import Any

from modelyard.automl._estimators import INNER_CV, INNER_CV_FOLDS

MIN_SAMPLE_ROWS = 2000     # below this, a sub-sample says too little; the learner is skipped instead
OVERHEAD_SECONDS = 0.03    # of any fit, however small the table
SUBSAMPLE_PARAM = "max_rows"


def fit_seconds(algorithm: str, params: dict[str, Any], n_rows: int, n_features: int, n_classes: int) -> float:
    """Seconds one fit of ``algorithm`` with ``params`` takes on ``n_rows`` rows with one thread."""
    return OVERHEAD_SECONDS + _work_seconds(algorithm, params, n_rows, n_features, n_classes)


def _work_seconds(algorithm: str, params: dict[str, Any], n_rows: int, n_features: int, n_classes: int) -> float:
    rows = min(n_rows, params.get(SUBSAMPLE_PARAM) or n_rows)
    cells = rows * max(n_features, 1)
    per_class = n_classes if n_classes > 2 else 1
    if algorithm == "HistGradientBoosting":
        rounds = params.get("max_iter", 100) * per_class
        work = rounds * cells * params.get("max_features", 1.0)
        # each boosting round also has a fixed cost (its OpenMP regions), which dominates on small tables
        return 3.3e-8 * work * _leaves(params.get("max_leaf_nodes", 31)) + 5.5e-6 * cells + 4e-3 * rounds
    if algorithm == "LightGBM":
        work = params.get("n_estimators", 100) * per_class * cells * params.get("colsample_bytree", 1.0)
        return 6e-8 * work * _leaves(params.get("num_leaves", 31))
    if algorithm.startswith("XGBoost"):
        work = params.get("n_estimators", 100) * per_class * cells * params.get("colsample_bytree", 1.0)
        return 4.5e-8 * work * params.get("max_depth", 6) / 6
    if algorithm in ("RandomForest", "ExtraTrees"):
        split_features = max(1.0, params.get("max_features", 1.0) * n_features)
        work = params.get("n_estimators", 100) * rows * math.log2(max(rows, 2)) * split_features
        return (5.2e-8 if algorithm == "RandomForest" else 2e-8) * work
    inner = (INNER_CV_FOLDS * 3 + 1) if params.get(INNER_CV) else 1   # warm starts along the path of Cs
    if algorithm == "LogisticRegression":
        return 2e-7 * cells * per_class * inner
    return 1e-7 * cells * (3 if params.get(INNER_CV) else 1)


def _leaves(n: float) -> float:
    """Trees with more leaves cost more, less than proportionally (the histograms dominate)."""
    return max(0.5, math.log2(max(n, 2)) / math.log2(31))


def affordable_rows(predicted: float, allowance: float, n_rows: int) -> int | None:
    """How many rows a configuration predicted at ``predicted`` seconds may train on to fit in ``allowance``:
    all of them, a sub-sample (the cost is about linear in rows), or None when even a small sample is too slow."""
    if predicted <= allowance:
        return n_rows
    rows = int(n_rows * allowance / predicted)
    return rows if rows >= min(MIN_SAMPLE_ROWS, n_rows) else None

"""Ensembles over out-of-fold predictions: greedy selection (Caruana et al., 2004) and stacking.

Both are scored honestly: selection (or the meta-learner) is fitted on all validation folds but one
and scored on the one left out, so an ensemble wins the leaderboard only when it generalises.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from modelyard.automl import _metrics
from modelyard.automl._model import stack_features

MAX_CANDIDATES = 20
ITERATIONS = 25
MAX_STACK_MEMBERS = 8
SELECTION_ROWS = 20000


def _score(task, metric, y, pred, w, y_range):
    return _metrics.to_score(metric, _metrics.primary(task, metric, y, pred, w, y_range))


def greedy_selection(preds: list[np.ndarray], y, w, task, metric, y_range, iterations=ITERATIONS) -> Counter:
    """Indices into ``preds`` with multiplicity (selection with replacement), best single model first."""
    scores = [_score(task, metric, y, p, w, y_range) for p in preds]
    chosen = Counter({int(np.argmax(scores)): 1})
    total = preds[int(np.argmax(scores))].copy()
    best = max(scores)
    for step in range(1, iterations):
        n = step + 1
        trial_scores = [_score(task, metric, y, (total + p) / n, w, y_range) for p in preds]
        pick = int(np.argmax(trial_scores))
        if trial_scores[pick] < best - 1e-12 and step > 3:
            break
        best = max(best, trial_scores[pick])
        chosen[pick] += 1
        total += preds[pick]
    return chosen


def _blend(preds, chosen: Counter):
    total = sum(chosen.values())
    return sum(preds[i] * (c / total) for i, c in chosen.items())


def _sample(index: np.ndarray, limit: int, seed: int = 0) -> np.ndarray:
    if len(index) <= limit:
        return index
    return np.sort(np.random.default_rng(seed).choice(index, limit, replace=False))


def voting(preds, y, w, groups, task, metric, y_range):
    """Weights (index -> count) from all rows, and nested out-of-group predictions to score them."""
    w_of = (lambda idx: None) if w is None else (lambda idx: w[idx])
    rows = np.arange(len(y))
    fit_rows = _sample(rows, SELECTION_ROWS)
    chosen = greedy_selection([p[fit_rows] for p in preds], y[fit_rows], w_of(fit_rows), task, metric, y_range)
    nested = np.zeros_like(preds[0])
    for g in np.unique(groups):
        inner = _sample(rows[groups != g], SELECTION_ROWS)
        outer = rows[groups == g]
        sub = greedy_selection([p[inner] for p in preds], y[inner], w_of(inner), task, metric, y_range)
        nested[outer] = _blend([p[outer] for p in preds], sub)
    return chosen, nested


def make_meta(task: str):
    if task == "classification":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=1.0, max_iter=2000)
    from sklearn.linear_model import LinearRegression

    return LinearRegression(positive=True)


def stacking(preds, y, w, groups, task, n_classes):
    """A fitted meta-learner on all rows, and nested predictions from meta-learners fitted without each group."""
    from modelyard.automl._estimators import fit

    features = stack_features(preds, task)
    nested = np.zeros_like(preds[0])
    for g in np.unique(groups):
        inner, outer = groups != g, groups == g
        meta = make_meta(task)
        if task == "classification" and len(np.unique(y[inner])) < 2:
            return None, None
        fit(meta, features[inner], _inner_labels(y[inner], task), None if w is None else w[inner])
        nested[outer] = _meta_predict(meta, features[outer], y[inner], task, n_classes)
    meta = make_meta(task)
    fit(meta, features, y, w)
    return meta, nested


def _inner_labels(y, task):
    if task != "classification":
        return y
    present = np.unique(y)
    return np.searchsorted(present, y)


def _meta_predict(meta, features, y_inner, task, n_classes):
    from modelyard.automl._estimators import predict_matrix

    if task != "classification":
        return predict_matrix(meta, features, task, n_classes)
    meta._modelyard_classes = np.unique(y_inner)
    return predict_matrix(meta, features, task, n_classes)


def stack_members(candidates: list[str], algorithms: dict[str, str], voting_members: list[str]) -> list[str]:
    """Voting members first, then the best trial of each other algorithm; at most MAX_STACK_MEMBERS."""
    members = list(dict.fromkeys(voting_members))
    seen = {algorithms[m] for m in members}
    for trial_id in candidates:
        if algorithms[trial_id] not in seen:
            members.append(trial_id)
            seen.add(algorithms[trial_id])
    return members[:MAX_STACK_MEMBERS]

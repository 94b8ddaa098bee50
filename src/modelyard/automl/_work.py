"""What one trial or one refit does, wherever it runs: a local worker process or a Ray task.

A task is ``(kind, task)``: ``kind`` is ``"trial"`` (cross-validate one configuration, returning its
out-of-fold predictions) or ``"refit"`` (fit it on all training rows, returning the pickled model);
``task`` holds the algorithm, its parameters, the deadline and the run's ``setup``. Failures come
back as results (``status: Failed``) rather than exceptions, so one bad trial never ends a run.
"""

from __future__ import annotations

import math
import pickle
import time
import traceback
from pathlib import Path
from typing import Any, Callable

import numpy as np

from modelyard.spec.job_status import TrialStatus

ARRAYS = ("X", "y", "w", "refit_rows")


def arrays_of(data) -> dict[str, Any]:
    """The arrays every trial reads, from a ``Prepared`` table."""
    return {"X": data.X, "y": data.y, "w": data.w, "folds": list(data.folds), "refit_rows": data.refit_rows}


def save_arrays(arrays: dict[str, Any], folder: Path) -> None:
    for name in ARRAYS:
        if arrays[name] is not None:
            np.save(folder / f"{name}.npy", arrays[name])
    for i, (tr, va) in enumerate(arrays["folds"]):
        np.save(folder / f"train{i}.npy", tr)
        np.save(folder / f"valid{i}.npy", va)


def load_arrays(folder: Path, n_folds: int) -> dict[str, Any]:
    """The arrays saved by ``save_arrays``; X is memory-mapped, so workers share its pages."""
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r" if name == "X" else None)
              if (folder / f"{name}.npy").exists() else None for name in ARRAYS}
    arrays["folds"] = [(np.load(folder / f"train{i}.npy"), np.load(folder / f"valid{i}.npy")) for i in range(n_folds)]
    return arrays


def _validation_rows(folds) -> tuple[np.ndarray, np.ndarray]:
    """Every fold's validation rows in fold order, and the position of each row's first appearance."""
    rows = np.concatenate([va for _, va in folds])
    _, first = np.unique(rows, return_index=True)
    return rows, np.sort(first)


def oof_order(folds) -> np.ndarray:
    """The validation rows once each, in the order of their first fold (repeated folds list a row again)."""
    rows, first = _validation_rows(folds)
    return rows[first]


def partitions(folds) -> int:
    """How many times the folds validate each row: the partitions of repeated cross-validation, else 1."""
    rows, first = _validation_rows(folds)
    return len(rows) // len(first)


def fold_of_rows(folds) -> np.ndarray:
    """For each row of ``oof_order``: the index of its first fold."""
    _, first = _validation_rows(folds)
    return np.concatenate([np.full(len(va), i) for i, (_, va) in enumerate(folds)])[first]


def validation_rows(folds) -> np.ndarray:
    """The rows that out-of-fold predictions score: ``oof_order`` once per partition."""
    return np.tile(oof_order(folds), partitions(folds))


def out_of_fold(blocks: list[np.ndarray], folds) -> np.ndarray:
    """The folds' prediction blocks in the order of ``validation_rows``: each partition's predictions apart.

    Not their mean over partitions: that prediction averages several models, and scoring it flatters the
    learners that vary most from fold to fold (trees), while the final model is one fit on all rows."""
    pred = np.concatenate(blocks)
    rows, first = _validation_rows(folds)
    if len(first) == len(rows):
        return pred
    order = rows[first]
    position = np.empty(int(rows.max()) + 1, dtype=int)
    position[order] = np.arange(len(order))
    seen = np.zeros(len(position), dtype=int)
    where = []
    for _, va in folds:   # a fold's rows are distinct: the times each was validated before is its partition
        where.append(seen[va] * len(order) + position[va])
        seen[va] += 1
    out = np.empty_like(pred)
    out[np.concatenate(where)] = pred
    return out


class TrialData:
    """The run's arrays with the fold matrices cached (when they fit in memory) across the trials of a worker."""

    def __init__(self, arrays: dict[str, Any], setup: dict[str, Any]):
        self.setup = setup
        self.X, self.y, self.w = arrays["X"], arrays["y"], arrays["w"]
        self.folds, self.refit_rows = arrays["folds"], arrays["refit_rows"]
        self.cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.cacheable = self.X.nbytes * 2.2 < setup.get("cache_bytes", 2 << 30)

    def fold(self, i: int):
        if i in self.cache:
            return self.cache[i]
        tr, va = self.folds[i]
        pair = (np.ascontiguousarray(self.X[tr]), np.ascontiguousarray(self.X[va]))
        if self.cacheable:
            self.cache[i] = pair
        return pair

    def weights(self, rows):
        return None if self.w is None else self.w[rows]


_current: TrialData | None = None


def data_for(setup: dict[str, Any], load: Callable[[], dict[str, Any]]) -> TrialData:
    """This worker's ``TrialData`` for the run ``setup`` belongs to, loaded once per run."""
    global _current
    if _current is None or _current.setup["data_id"] != setup["data_id"]:
        _current = None  # drop the previous run's arrays before loading the next
        _current = TrialData(load(), setup)
    return _current


def _prune(scores: list[float], best: list[float] | None, n_folds: int) -> bool:
    """Stop a trial whose every finished fold lost to the best trial's same fold, by a clear margin."""
    done = len(scores)
    if not best or done < 2 or done < math.ceil(n_folds / 2) or done >= n_folds:
        return False
    if not all(s < b for s, b in zip(scores, best)):
        return False
    gap = float(np.mean(best[:done]) - np.mean(scores))
    return gap > 0.25 * float(np.std(best)) + 1e-9


def cross_validate(data: TrialData, task: dict[str, Any]) -> dict[str, Any]:
    """Fit and score ``task``'s configuration on every fold; ``oof`` holds the validation rows' predictions."""
    from modelyard.automl import _estimators, _metrics

    s = data.setup
    scores, fit_seconds, blocks = [], [], []
    deadline = task.get("deadline", math.inf)
    for i in range(s["n_folds"]):
        if i and time.monotonic() > deadline:
            return {"status": TrialStatus.EARLY_TERMINATED, "error": "stopped at its time limit",
                    "fold_scores": scores, "fit_seconds": fit_seconds}
        Xtr, Xva = data.fold(i)
        tr, va = data.folds[i]
        started = time.monotonic()
        model = _estimators.fit_any(task["algorithm"], task["params"], s["task"], s["n_classes"], s["threads"],
                                    Xtr, data.y[tr], data.weights(tr), seed=task.get("seed", 0))
        fit_seconds.append(time.monotonic() - started)
        pred = _estimators.predict_matrix(model, Xva, s["task"], s["n_classes"])
        if not np.all(np.isfinite(pred)):
            return {"status": TrialStatus.FAILED, "error": "the model predicted non-finite values",
                    "fold_scores": scores, "fit_seconds": fit_seconds}
        blocks.append(pred.astype(np.float32))
        last = model
        scores.append(_metrics.to_score(s["metric"], _metrics.primary(
            s["task"], s["metric"], data.y[va], pred, data.weights(va), s["y_range"])))
        if task.get("prune") and _prune(scores, task.get("best_fold_scores"), s["n_folds"]):
            return {"status": TrialStatus.EARLY_TERMINATED,
                    "error": "stopped early: every fold so far lost to the best trial",
                    "fold_scores": scores, "fit_seconds": fit_seconds}
    # the last fold's model comes back too: the final model when the refit on all rows does not finish in time
    return {"status": TrialStatus.COMPLETED, "oof": out_of_fold(blocks, data.folds), "fold_scores": scores,
            "fit_seconds": fit_seconds, "fold_model": pickle.dumps(last)}


def fit_all_rows(data: TrialData, algorithm: str, params: dict[str, Any], seed: int = 0):
    """``algorithm`` with ``params`` fitted on every training row."""
    from modelyard.automl import _estimators

    s = data.setup
    rows = data.refit_rows
    return _estimators.fit_any(algorithm, params, s["task"], s["n_classes"], s["threads"],
                               np.ascontiguousarray(data.X[rows]), data.y[rows], data.weights(rows), seed=seed)


def _refit(data: TrialData, task: dict[str, Any]) -> dict[str, Any]:
    started = time.monotonic()
    model = fit_all_rows(data, task["algorithm"], task["params"], task.get("seed", 0))
    return {"status": TrialStatus.COMPLETED, "model": pickle.dumps(model), "fit_seconds": [time.monotonic() - started]}


def execute(kind: str, task: dict[str, Any], load: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run one trial or refit on the run's data (``load`` gives its arrays); an exception becomes a Failed result."""
    try:
        data = data_for(task["setup"], load)
        return cross_validate(data, task) if kind == "trial" else _refit(data, task)
    except Exception as exc:  # a failing trial is a result, not a crash
        return {"status": TrialStatus.FAILED, "error": f"{type(exc).__name__}: {exc}",
                "traceback": traceback.format_exc(limit=5)}

"""The search loop: strong defaults first, then Optuna's TPE per algorithm, chosen by a cost-aware bandit.

Each algorithm has its own Optuna study (ask/tell, so trials run in our trial executor, local
processes or Ray tasks, and can be stopped at a deadline). Which algorithm gets the next free
slot is decided like FLAML's "estimated cost for improvement": algorithms close to the best
score and cheap to try are preferred, with some randomness so that none starves.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from modelyard.automl import _cost, _estimators, _metrics
from modelyard.spec.job_status import TrialStatus

# the cheap strong defaults open the search, so the leaderboard is never below them
FIRST_ROUND = ("HistGradientBoosting", "LogisticRegression", "ElasticNet", "LightGBM", "XGBoostClassifier",
               "XGBoostRegressor", "ExtraTrees", "RandomForest")
GRACE_SECONDS = 0.25
TRIAL_SHARE = 0.5          # one trial may take at most this share of the search time left (else: sub-sample or skip)
FIRST_TRIAL_SHARE = 0.8    # ... or this share for a learner's first trial, which says most
OVERRUN = 4.0              # a trial running this many times its predicted time (and past MIN_LIMIT) is stopped
MIN_LIMIT = 5.0
PRIOR_SPEED, PRIOR_SECONDS = 1.5, 1.0
KEEP_FOLD_MODELS = 8       # the best trials whose last fold's model is kept as a fallback final model
# limits.enable_early_termination, as Azure's: after the first STALL_AFTER trials, the search stops when
# STALL_WINDOW finished trials in a row did not improve the best score. On a small table the search otherwise runs
# hundreds of trials whose late "improvements" fit its validation folds by chance rather than the data.
STALL_AFTER, STALL_WINDOW = 20, 20


@dataclass
class Record:
    trial_id: str
    algorithm: str
    params: dict[str, Any]
    status: TrialStatus = TrialStatus.RUNNING
    error: str | None = None
    oof: np.ndarray | None = None
    fold_scores: list[float] = field(default_factory=list)
    fit_seconds: list[float] = field(default_factory=list)
    duration: float = 0.0
    score: float = -math.inf          # primary metric, larger is better
    optuna_trial: Any = None
    placement: dict[str, Any] = field(default_factory=dict)   # which executor ran it, and where
    fold_model: bytes | None = None   # pickled model of its last fold, kept for the best few trials


class Search:
    def __init__(self, *, pool, algorithms: list[str], setup: dict[str, Any], limits, shape: tuple[int, int],
                 search_end: Callable[[], float], on_start, on_end, seed: int = 0, first_model_grace: float = 0.0):
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        self.pool, self.setup, self.limits = pool, setup, limits
        self.algorithms = algorithms
        self.search_end = search_end
        self.first_model_grace = first_model_grace
        self.on_start, self.on_end = on_start, on_end
        self.rng = np.random.default_rng(seed)
        self.records: list[Record] = []
        self.running: dict[str, Record] = {}
        n_rows, n_features = shape
        task, n_classes = setup["task"], setup["n_classes"]
        self.space = (task, n_rows, n_features, n_classes)
        self.studies = {}
        self.unsearched: dict[str, list[dict[str, Any]]] = {}
        first, second = [], []
        for algorithm in algorithms:
            study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(
                seed=seed, multivariate=True, constant_liar=True, n_startup_trials=4, ))
            starts = _estimators.defaults(algorithm, task, n_rows, n_features, n_classes)
            for params in starts:
                study.enqueue_trial({k: v for k, v in params.items() if k != _estimators.INNER_CV})
            # settings outside the search space go with the enqueued defaults, in order
            self.unsearched[algorithm] = [{k: v for k, v in params.items() if k == _estimators.INNER_CV}
                                          for params in starts]
            self.studies[algorithm] = study
            first.append(algorithm)
            second.extend([algorithm] * (len(starts) - 1))
        rank = {name: i for i, name in enumerate(FIRST_ROUND)}
        self.opening = sorted(first, key=lambda a: rank.get(a, 99)) + sorted(second, key=lambda a: rank.get(a, 99))
        self.best: Record | None = None
        self.stop_reason: str | None = None
        self.fit_rows = setup.get("fold_rows") or int(n_rows * 0.9)   # the rows one fold's model fits on
        self.skipped: dict[str, int] = {}
        self.finished = 0          # trials that ended, whatever their status
        self.best_at = 0           # ... when the best score last improved

    # ---- predicted cost

    def speed(self) -> float:
        """How much slower than the cost model this machine fits (measured on the finished trials)."""
        done = [r for r in self.records if r.status == TrialStatus.COMPLETED and r.fit_seconds]
        # the longer trials count most; a prior worth one predicted second keeps a few tiny fits from deciding
        actual = sum(float(np.mean(r.fit_seconds)) for r in done) + PRIOR_SPEED * PRIOR_SECONDS
        predicted = sum(self._fit_seconds(r.algorithm, r.params) for r in done) + PRIOR_SECONDS
        return float(np.clip(actual / predicted, 0.3, 6.0))

    def _fit_seconds(self, algorithm: str, params: dict[str, Any]) -> float:
        _, _, n_features, n_classes = self.space
        threads = max(self.setup.get("threads", 1), 1)
        one = _cost.fit_seconds(algorithm, params, self.fit_rows, n_features, n_classes)
        return max(one / threads ** 0.7, 1e-3)

    def predicted(self, algorithm: str, params: dict[str, Any] | None = None) -> float:
        """Seconds a trial of ``algorithm`` (its first default when no ``params``) is expected to take."""
        if params is None:
            params = _estimators.defaults(algorithm, *self.space)[0]
        return self.setup.get("n_folds", 1) * self._fit_seconds(algorithm, params) * self.speed() * 1.2

    # ---- choosing the next trial

    def _cost(self, algorithm: str) -> float | None:
        done = [r.duration for r in self.records if r.algorithm == algorithm and r.status != TrialStatus.RUNNING]
        return float(np.median(done)) if done else None

    def _choose(self, remaining: float, exclude: set[str] = frozenset()) -> str | None:
        if self.opening:
            while self.opening:
                algorithm = self.opening.pop(0)
                cost = self._cost(algorithm)   # an untried one goes: _dispatch sub-samples or skips it
                if self.skipped.get(algorithm, 0) < 2 and (cost is None or cost < remaining):
                    return algorithm
            return self._choose(remaining, exclude)
        best = self.best.score if self.best else None
        weights = []
        for algorithm in self.algorithms:
            mine = [r for r in self.records if r.algorithm == algorithm and r.status != TrialStatus.RUNNING]
            good = [r.score for r in mine if r.status == TrialStatus.COMPLETED]
            failures = sum(r.status == TrialStatus.FAILED for r in mine)
            cost = self._cost(algorithm) or self.predicted(algorithm)
            if (failures >= 2 and not good) or cost > remaining or self.skipped.get(algorithm, 0) >= 3 \
                    or algorithm in exclude:
                weights.append(0.0)
                continue
            gap = (best - max(good)) if good and best is not None else 0.0
            tau = max(0.004, 0.004 * abs(best or 0))
            weights.append(math.exp(-gap / tau) / math.sqrt(max(cost, 0.05)))
        total = sum(weights)
        if total <= 0:
            return None
        return str(self.rng.choice(self.algorithms, p=np.asarray(weights) / total))

    # ---- the loop

    def run(self) -> list[Record]:
        limits = self.limits
        per_trial = limits.trial_timeout_minutes * 60 if limits.trial_timeout_minutes else math.inf
        while True:
            now = time.monotonic()
            end = self.search_end()
            for worker in self.pool.overdue(now + 0.0):
                key, seconds = self.pool.stop(worker)
                self._finish(key, {"status": TrialStatus.EARLY_TERMINATED, "error": "stopped at its time limit"},
                             seconds)
            dispatching = self.stop_reason is None and now < end
            if dispatching and len(self.records) >= limits.max_trials:
                self.stop_reason = "max_trials reached"
            elif dispatching and self.stalled():
                self.stop_reason = f"early termination: no better score in the last {STALL_WINDOW} trials"
            if self.stop_reason or now >= end:
                if now >= end and self.has_a_model():  # else the first trials run on to their own deadlines
                    for worker in self.pool.busy():
                        key, seconds = self.pool.stop(worker)
                        stopped = {"status": TrialStatus.EARLY_TERMINATED, "error": "stopped at the time budget"}
                        self._finish(key, stopped, seconds)
                if self.stop_reason and self.stop_reason.startswith("exit_score"):
                    for worker in self.pool.busy():
                        key, seconds = self.pool.stop(worker)
                        self._finish(key, {"status": TrialStatus.EARLY_TERMINATED, "error": "exit_score reached"},
                                     seconds)
                if not self.pool.busy():
                    return self.records
            else:
                for worker in self.pool.idle():
                    too_slow: set[str] = set()   # a learner too slow for what is left is skipped; another is chosen
                    for _ in range(len(self.algorithms) * 3):
                        if len(self.records) >= limits.max_trials:
                            break
                        algorithm = self._choose(end - now, too_slow)
                        if algorithm is None or self._dispatch(worker, algorithm, now, min(end, now + per_trial)):
                            break
                        too_slow.add(algorithm)
                if not self.pool.busy():   # nothing affordable is left to try
                    self.stop_reason = "no learner fits in the time left"
                    return self.records
            for key, result, seconds in self.pool.wait(timeout=min(0.2, max(end - time.monotonic(), 0.01))):
                self._finish(key, result, seconds)

    def _dispatch(self, worker, algorithm: str, now: float, deadline: float) -> bool:
        """Start a trial of ``algorithm`` (sub-sampled when its predicted time is more than its share of
        what is left); False when even a sub-sample would be too slow, so it was skipped."""
        import optuna

        study = self.studies[algorithm]
        trial = study.ask()
        params = _estimators.suggest(algorithm, trial, *self.space)
        if self.unsearched[algorithm]:
            params.update(self.unsearched[algorithm].pop(0))
        predicted = self.predicted(algorithm, params)
        tried = any(r.algorithm == algorithm for r in self.records)
        share = TRIAL_SHARE if tried else FIRST_TRIAL_SHARE
        rows = _cost.affordable_rows(predicted, max(deadline - now, 0.0) * share, self.fit_rows)
        if rows is None:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
            self.skipped[algorithm] = self.skipped.get(algorithm, 0) + 1
            return False
        if rows < self.fit_rows:
            params[_cost.SUBSAMPLE_PARAM] = rows
            predicted = self.predicted(algorithm, params)
        if self.has_a_model():   # the prediction is calibrated: hold it to it
            deadline = min(deadline, now + max(OVERRUN * predicted, MIN_LIMIT))
        else:  # a machine slower than predicted may overrun the budget this much rather than end with no model
            deadline += self.first_model_grace
        deadline += GRACE_SECONDS
        record = Record(f"trial_{len(self.records)}", algorithm, params, optuna_trial=trial)
        self.records.append(record)
        self.running[record.trial_id] = record
        best_folds = self.best.fold_scores if self.best and self.limits.enable_early_termination else None
        task = {"algorithm": algorithm, "params": params, "deadline": deadline - GRACE_SECONDS,
                "prune": self.limits.enable_early_termination, "best_fold_scores": best_folds,
                "setup": self.setup}
        self.pool.submit(worker, record.trial_id, "trial", task, deadline)
        self.on_start(record)
        return True

    def stalled(self) -> bool:
        """No better score in the last STALL_WINDOW trials, counted from trial STALL_AFTER + 1 on."""
        return (self.limits.enable_early_termination and not self.opening
                and self.finished - max(self.best_at, STALL_AFTER) >= STALL_WINDOW)

    def has_a_model(self) -> bool:
        return any(r.status == TrialStatus.COMPLETED for r in self.records)

    def _finish(self, key: str, result: dict[str, Any], seconds: float) -> None:
        import optuna

        record = self.running.pop(key, None)
        if record is None:
            return
        record.duration = seconds
        self.finished += 1
        record.placement = {"executor": self.pool.name, **result.get("placement", {})}
        record.status = result.get("status", TrialStatus.FAILED)
        record.error = result.get("error")
        record.fold_scores = list(result.get("fold_scores") or [])
        record.fit_seconds = list(result.get("fit_seconds") or [])
        study = self.studies[record.algorithm]
        if record.status == TrialStatus.COMPLETED:
            record.oof = result["oof"]
            record.fold_model = result.get("fold_model")
            record.score = float(self.on_end(record))
            value = record.score if math.isfinite(record.score) else -1e9
            study.tell(record.optuna_trial, value)
            if self.best is None or record.score > self.best.score:
                self.best, self.best_at = record, self.finished
            kept = sorted((r for r in self.records if r.fold_model is not None), key=lambda r: -r.score)
            for worse in kept[KEEP_FOLD_MODELS:]:
                worse.fold_model = None
            exit_score = self.limits.exit_score
            metric = self.setup["metric"]
            if exit_score is not None and record.score >= _metrics.to_score(metric, exit_score):
                self.stop_reason = f"exit_score {exit_score} reached"
        else:
            study.tell(record.optuna_trial, state=optuna.trial.TrialState.PRUNED
                       if record.status == TrialStatus.EARLY_TERMINATED else optuna.trial.TrialState.FAIL)
            self.on_end(record)

"""``run_automl``: prepare, search, ensemble, refit — all inside the time budget."""

from __future__ import annotations

import logging
import math
import pickle
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from modelyard.automl import _charts, _ensemble, _estimators, _metrics
from modelyard.automl._executor import EXECUTORS, local_cpus, start_executor
from modelyard.automl._model import final_pipeline
from modelyard.automl._prepare import Prepared, prepare
from modelyard.automl._result import AutoMLResult, TrialResult, leaderboard_order
from modelyard.automl._search import Record, Search
from modelyard.automl._work import arrays_of, partitions
from modelyard.errors import InvalidInput
from modelyard.spec.job_status import TrialStatus

log = logging.getLogger(__name__)

CLOSE_SECONDS = 0.4          # kept free at the end for closing workers and building the result
MIN_RESERVE_SHARE = 0.08     # of the budget, always kept for ensembling and refitting
MAX_RESERVE_SHARE = 0.4
STACK_SHARE = 0.1            # of the budget, left at least when a stack ensemble is started (its meta-learners)
# on a machine far slower than the cost model predicts, the first trials may run on past the budget by up
# to the budget again (this cap at most) rather than end the run with no model at all
FIRST_MODEL_GRACE_MAX = 120.0


def _call(reporter, method: str, *args) -> None:
    fn = getattr(reporter, method, None) if reporter is not None else None
    if fn is None:
        return
    try:
        fn(*args)
    except Exception:  # a broken progress callback must not lose the run
        log.exception("AutoML reporter %s failed", method)


class _Run:
    def __init__(self, job, data: Prepared, reporter, started: float, end: float, budget: float):
        self.job, self.data, self.reporter = job, data, reporter
        self.started, self.end, self.budget = started, end, budget
        self.task, self.metric = data.task, data.metric
        self.oof_rows = data.oof_rows
        self.y_oof = data.y[self.oof_rows]
        self.w_oof = None if data.w is None else data.w[self.oof_rows]
        self.charted = len(self.oof_rows) // partitions(data.folds)   # charts show the first partition
        self.trials: dict[str, TrialResult] = {}
        self.records: list[Record] = []
        self.n_workers = 1
        self.refit_scale = len(data.refit_rows) / max(len(data.folds[0][0]), 1)
        self.metric_seconds = 0.0      # one primary-metric computation on the out-of-fold rows
        self.evaluate_seconds = 0.0    # all metrics and charts for one trial

    # ---- trial results

    def _evaluate(self, pred: np.ndarray) -> tuple[dict[str, float], dict[str, Any]]:
        started = time.monotonic()
        _metrics.primary(self.task, self.metric, self.y_oof, pred, self.w_oof, self.data.y_range)
        measured = time.monotonic()
        metrics = _metrics.all_metrics(self.task, self.y_oof, pred, self.w_oof, self.data.y_range)
        n = self.charted
        charts = _charts.charts(self.task, self.y_oof[:n], pred[:n], self.data.classes,
                                None if self.w_oof is None else self.w_oof[:n])
        self.metric_seconds = max(self.metric_seconds * 0.7, measured - started)
        self.evaluate_seconds = max(self.evaluate_seconds * 0.7, time.monotonic() - measured)
        return metrics, charts

    def on_start(self, record: Record) -> None:
        self.trials[record.trial_id] = TrialResult(
            record.trial_id, record.algorithm, dict(record.params),
            _estimators.featurization_name(record.algorithm, record.params), status=TrialStatus.RUNNING)
        _call(self.reporter, "on_trial_start", record.trial_id, record.algorithm, dict(record.params))

    def on_end(self, record: Record) -> float:
        trial = self.trials[record.trial_id]
        trial.status, trial.error, trial.duration_seconds = record.status, record.error, record.duration
        trial.placement = record.placement
        sign = 1.0 if _metrics.greater_is_better(self.metric) else -1.0
        trial.fold_scores = [sign * float(s) for s in record.fold_scores]
        score = -math.inf
        if record.status == TrialStatus.COMPLETED:
            trial.metrics, trial.charts = self._evaluate(record.oof)
            trial.primary = trial.metrics.get(self.metric)
            score = _metrics.to_score(self.metric, trial.primary if trial.primary is not None else math.nan)
        elif record.fold_scores:
            value = float(np.mean(record.fold_scores))
            trial.primary = value if _metrics.greater_is_better(self.metric) else -value
        _call(self.reporter, "on_trial_end", trial)
        done = [t for t in self.trials.values() if t.status != TrialStatus.RUNNING]
        best = self._best_primary()
        _call(self.reporter, "on_progress", len(done), best, max(self.end - time.monotonic(), 0.0))
        return score

    def _best_primary(self) -> float | None:
        scored = [t for t in self.trials.values() if t.status == TrialStatus.COMPLETED and t.primary is not None]
        if not scored:
            return None
        pick = max if _metrics.greater_is_better(self.metric) else min
        return pick(t.primary for t in scored)

    # ---- time

    def reserve(self) -> float:
        """Seconds kept after the search for ensembling and refitting the likely final models."""
        done = sorted((r for r in self.records if r.status == TrialStatus.COMPLETED), key=lambda r: -r.score)
        fold_fit = [sum(r.fit_seconds) / max(len(r.fit_seconds), 1) * self.refit_scale for r in done[:6]]
        refit = max(max(fold_fit, default=0.0), sum(fold_fit) / self.n_workers) * 1.3 + 0.3
        n_candidates = min(len(done), _ensemble.MAX_CANDIDATES)
        n_groups = len(np.unique(self.data.groups)) + 1
        ensemble = 0.2 + self.metric_seconds * n_candidates * _ensemble.ITERATIONS * n_groups * 0.8 \
            + 3 * self.evaluate_seconds
        wanted = 1.3 * (refit + ensemble) + CLOSE_SECONDS
        return min(max(wanted, MIN_RESERVE_SHARE * self.budget), MAX_RESERVE_SHARE * self.budget)

    def search_end(self) -> float:
        return self.end - self.reserve()

    # ---- ensembles

    def _candidates(self) -> list[Record]:
        done = [r for r in self.records
                if r.status == TrialStatus.COMPLETED and r.oof is not None and math.isfinite(r.score)]
        done.sort(key=lambda r: -r.score)
        return done[:_ensemble.MAX_CANDIDATES]

    def _ensemble_trial(self, name: str, members: list[tuple[str, float]], pred: np.ndarray,
                        params: dict[str, Any], seconds: float) -> TrialResult:
        trial_id = f"trial_{len(self.trials)}"
        trial = TrialResult(trial_id, name, params, "auto", status=TrialStatus.COMPLETED, duration_seconds=seconds,
                            members=[{"trial_id": t, "weight": round(float(wt), 6)} for t, wt in members])
        _call(self.reporter, "on_trial_start", trial_id, name, params)
        trial.metrics, trial.charts = self._evaluate(pred)
        trial.primary = trial.metrics.get(self.metric)
        self.trials[trial_id] = trial
        return trial

    def ensembles(self, pump=lambda: None) -> list[TrialResult]:
        job, data = self.job, self.data
        candidates = self._candidates()
        out: list[TrialResult] = []
        if len(candidates) < 2:
            return out
        preds = [r.oof.astype(float) for r in candidates]
        ids = [r.trial_id for r in candidates]
        voting_ids: list[str] = [ids[0]]
        if job.training.enable_vote_ensemble and time.monotonic() < self.end - CLOSE_SECONDS:
            started = time.monotonic()
            chosen, nested = _ensemble.voting(preds, self.y_oof, self.w_oof, data.groups, self.task, self.metric,
                                              data.y_range)
            total = sum(chosen.values())
            members = [(ids[i], c / total) for i, c in sorted(chosen.items(), key=lambda kv: -kv[1])]
            voting_ids = [m for m, _ in members]
            out.append(self._ensemble_trial("VotingEnsemble", members, nested,
                                            {"selection": "greedy (Caruana)", "iterations": _ensemble.ITERATIONS},
                                            time.monotonic() - started))
        pump()
        if job.training.enable_stack_ensemble and time.monotonic() < self.end - CLOSE_SECONDS - STACK_SHARE * self.budget:
            started = time.monotonic()
            algorithms = {r.trial_id: r.algorithm for r in candidates}
            member_ids = _ensemble.stack_members(ids, algorithms, voting_ids)
            if len(member_ids) >= 2:
                member_preds = [preds[ids.index(m)] for m in member_ids]
                meta, nested = _ensemble.stacking(member_preds, self.y_oof, self.w_oof, data.groups, self.task,
                                                  len(data.classes or []) or 1)
                if meta is not None:
                    meta_name = type(meta).__name__
                    trial = self._ensemble_trial("StackEnsemble", [(m, 1.0) for m in member_ids], nested,
                                                 {"meta_learner": meta_name}, time.monotonic() - started)
                    trial._meta = meta
                    out.append(trial)
        return out

    # ---- refits

    def refit_start(self, pool, order: list[str]) -> None:
        """Queue trials to fit on all training rows (in priority order); workers start on them at once."""
        if not hasattr(self, "fitted"):
            self.fitted, self.refit_queue, self.refit_sent = {}, [], set()
        records = {r.trial_id: r for r in self.records}
        for trial_id in order:
            if trial_id in records and trial_id not in self.refit_sent and trial_id not in self.refit_queue:
                self.refit_queue.append(trial_id)
        self.refit_pump(pool, 0.0)

    def refit_pump(self, pool, timeout: float) -> None:
        records = {r.trial_id: r for r in self.records}
        hard_end = self.end - CLOSE_SECONDS
        for worker in pool.idle():
            if not self.refit_queue:
                break
            trial_id = self.refit_queue.pop(0)
            self.refit_sent.add(trial_id)
            record = records[trial_id]
            pool.submit(worker, trial_id, "refit", {"algorithm": record.algorithm, "params": record.params,
                                                    "setup": self.setup}, hard_end)
        for key, result, _ in pool.wait(timeout=timeout):
            if result.get("status") == TrialStatus.COMPLETED:
                self.fitted[key] = pickle.loads(result["model"])
            else:
                log.warning("refit of %s failed: %s", key, result.get("error"))

    def refit_finish(self, pool) -> dict[str, Any]:
        """Wait for the queued refits until the budget's end; what finished in time."""
        hard_end = self.end - CLOSE_SECONDS
        while self.refit_queue or pool.busy():
            if time.monotonic() >= hard_end:
                for worker in pool.busy():
                    pool.stop(worker)
                break
            self.refit_pump(pool, min(0.1, max(hard_end - time.monotonic(), 0.01)))
        return self.fitted

    def final_model(self, algorithm: str, estimators: list, **members) -> Any:
        return final_pipeline(self.data.featurizer, self.task, self.data.classes, algorithm, estimators, **members)


def pool_size(n_workers: int) -> int:
    """How many of the best single trials to start refitting while the ensembles are built."""
    return max(2, n_workers)


def _check_executor(executor: str) -> None:
    if executor not in EXECUTORS:
        raise InvalidInput(f"unknown executor {executor!r}; use {' or '.join(map(repr, EXECUTORS))}")


def run_automl(job, train, validation=None, reporter=None, executor: str = "processes",
               deadline: float | None = None) -> AutoMLResult:
    """Search for the best model for ``job`` on ``train`` within the time budget (see the package docstring)."""
    _check_executor(executor)
    started = time.monotonic()
    end = deadline if deadline is not None else started + job.limits.timeout_minutes * 60
    budget = max(end - started, 0.0)
    algorithms = _estimators.algorithms_for(job.task, job.training.allowed_training_algorithms,
                                            job.training.blocked_training_algorithms)
    if not algorithms:
        raise InvalidInput(f"no {job.task} algorithm is left to try after allowed_training_algorithms and "
                           f"blocked_training_algorithms; {job.task} uses "
                           f"{', '.join(_estimators.algorithms_for(job.task, None, []))}")
    starter = ThreadPoolExecutor(1)
    # the executor boots while the data is prepared
    pool_future = starter.submit(start_executor, executor, job.limits.max_concurrent_trials)
    pool = None
    try:
        data = prepare(job, train, validation)
        _call(reporter, "on_featurization", data.summary)
        _call(reporter, "on_guardrails", data.guardrails)
        prepared_at = time.monotonic()
        run = _Run(job, data, reporter, started, end, budget)
        if end - time.monotonic() < 1.0:
            raise InvalidInput(_too_small(job, budget, data, "preparing the data used the whole budget"))
        pool = pool_future.result()
        n_workers = run.n_workers = pool.size
        run.setup = pool.share(arrays_of(data), setup_of(data, pool.threads))
        search = Search(pool=pool, algorithms=algorithms, setup=run.setup, limits=job.limits,
                        shape=data.X.shape, search_end=run.search_end, on_start=run.on_start, on_end=run.on_end,
                        first_model_grace=min(budget, FIRST_MODEL_GRACE_MAX))
        run.records = search.records
        search.run()
        searched_at = time.monotonic()
        if not any(r.status == TrialStatus.COMPLETED for r in search.records):
            failures = [r.error for r in search.records if r.status == TrialStatus.FAILED and r.error]
            if failures and len(failures) == len(search.records):
                raise InvalidInput(f"every trial failed; the first error: {failures[0]}")
            raise InvalidInput(_too_small(job, budget, data, "no model finished training in time"))
        singles = sorted((r for r in search.records if r.status == TrialStatus.COMPLETED), key=lambda r: -r.score)
        run.refit_start(pool, [r.trial_id for r in singles[:pool_size(n_workers)]])
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):   # the workers are refitting: BLAS threads here would only contend
            ensembles = run.ensembles(lambda: run.refit_pump(pool, 0.0))
        ensembled_at = time.monotonic()
        # what the final models need, most important first
        provisional = leaderboard_order([t for t in run.trials.values() if t.status == TrialStatus.COMPLETED],
                                        _metrics.greater_is_better(data.metric))
        top = provisional[0]
        order = [m["trial_id"] for m in top.members] if top.members else [top.trial_id]
        order.append(singles[0].trial_id)
        for trial in ensembles:
            order.extend(m["trial_id"] for m in trial.members)
        run.refit_queue[:0] = [t for t in dict.fromkeys(order) if t not in run.refit_sent]
        run.refit_queue = list(dict.fromkeys(run.refit_queue))
        fitted = run.refit_finish(pool)
        refitted_at = time.monotonic()
        fold_models = [r.trial_id for r in search.records if r.trial_id not in fitted and r.fold_model is not None]
        for record in search.records:   # not refitted in time: the model of its last fold stands in
            if record.trial_id in fold_models:
                fitted[record.trial_id] = pickle.loads(record.fold_model)

        for trial_id, estimator in fitted.items():
            run.trials[trial_id].model = run.final_model(run.trials[trial_id].algorithm, [estimator])
        for trial in ensembles:
            ids = [m["trial_id"] for m in trial.members]
            missing = [i for i in ids if i not in fitted]
            if missing:
                trial.status = TrialStatus.FAILED
                trial.error = (f"member(s) {', '.join(missing)} could not be refitted within the time budget")
            else:
                trial.model = run.final_model(trial.algorithm, [fitted[i] for i in ids],
                                              weights=[m["weight"] for m in trial.members],
                                              meta=getattr(trial, "_meta", None))
            _call(reporter, "on_trial_end", trial)
        trials = leaderboard_order(list(run.trials.values()), _metrics.greater_is_better(data.metric))
        with_model = [t for t in trials if t.status == TrialStatus.COMPLETED and t.model is not None]
        if not with_model:   # the refits ran out of time: fit the quickest good trial here, a moment over budget
            quick = min(singles[:5], key=lambda r: sum(r.fit_seconds) / max(len(r.fit_seconds), 1))
            estimator = _estimators.fit_any(quick.algorithm, quick.params, data.task, run.setup["n_classes"],
                                            local_cpus(), data.X[data.refit_rows], data.y[data.refit_rows],
                                            None if data.w is None else data.w[data.refit_rows])
            run.trials[quick.trial_id].model = run.final_model(quick.algorithm, [estimator])
            with_model = [run.trials[quick.trial_id]]
        if not with_model:
            raise InvalidInput(_too_small(job, budget, data, "no model could be refitted on all rows in time"))
        finished = time.monotonic()
        timings = {"budget_seconds": round(budget, 3), "preparation_seconds": round(prepared_at - started, 3),
                   "search_seconds": round(searched_at - prepared_at, 3),
                   "ensemble_seconds": round(ensembled_at - searched_at, 3),
                   "refit_seconds": round(refitted_at - ensembled_at, 3),
                   "total_seconds": round(finished - started, 3), "trials": len(search.records),
                   "stop_reason": search.stop_reason or "time budget",
                   "fold_models": [t for t in fold_models if run.trials[t].model is not None]}
        return AutoMLResult(task=data.task, primary_metric=data.metric, trials=trials, best=with_model[0],
                            featurization=data.summary, guardrails=data.guardrails, classes=data.classes,
                            timings=timings, validation=data.validation)
    finally:
        if pool is None and pool_future.done() and pool_future.exception() is None:
            pool = pool_future.result()
        elif pool is None:
            pool_future.add_done_callback(lambda f: f.exception() is None and f.result().close())
        if pool is not None:
            pool.close()
        starter.shutdown(wait=False)


def setup_of(data: Prepared, threads: int) -> dict[str, Any]:
    """What every trial of a run needs besides the arrays."""
    return {"task": data.task, "metric": data.metric, "n_classes": len(data.classes or []) or 1,
            "n_folds": len(data.folds), "fold_rows": len(data.folds[0][0]), "y_range": data.y_range,
            "threads": threads}


def _too_small(job, budget: float, data: Prepared, what: str) -> str:
    rows, cols = data.features.shape
    return (f"the time budget of {job.limits.timeout_minutes:g} minute(s) ({budget:.1f} s) is too small to train "
            f"any model on {rows} rows × {cols} columns: {what}; raise limits.timeout_minutes "
            f"(at least {max(0.5, math.ceil(budget / 60 * 4 * 2) / 2):g} is a reasonable start)")

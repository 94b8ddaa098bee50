"""Worker processes that run trials and refits, and that can be stopped mid-trial.

A trial that runs past its deadline is ended by terminating its worker (a fresh one takes its
place), which is what lets the whole search keep its time budget. Workers are forked from
multiprocessing's fork server with the heavy libraries preloaded, so a replacement starts in
milliseconds rather than re-importing scikit-learn, LightGBM and XGBoost. Data reach workers as
``.npy`` files in a scratch folder, memory-mapped on first use.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing as mp
import os
import pickle
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import wait as wait_connections
from pathlib import Path
from typing import Any

import numpy as np

PRELOAD = ["numpy", "pandas", "scipy.stats", "sklearn.ensemble", "sklearn.linear_model", "sklearn.metrics",
           "sklearn.preprocessing", "lightgbm", "xgboost", "modelyard.automl._pool"]


# ---------------------------------------------------------------- inside a worker

class _Data:
    def __init__(self, folder: str, setup: dict[str, Any]):
        root = Path(folder)
        self.setup = setup
        self.X = np.load(root / "X.npy", mmap_mode="r")
        self.y = np.load(root / "y.npy")
        self.w = np.load(root / "w.npy") if (root / "w.npy").exists() else None
        self.folds = [(np.load(root / f"train{i}.npy"), np.load(root / f"valid{i}.npy"))
                      for i in range(setup["n_folds"])]
        self.refit_rows = np.load(root / "refit.npy")
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


def _prune(scores: list[float], best: list[float] | None, n_folds: int) -> bool:
    """Stop a trial whose every finished fold lost to the best trial's same fold, by a clear margin."""
    done = len(scores)
    if not best or done < 2 or done < math.ceil(n_folds / 2) or done >= n_folds:
        return False
    if not all(s < b for s, b in zip(scores, best)):
        return False
    gap = float(np.mean(best[:done]) - np.mean(scores))
    return gap > 0.25 * float(np.std(best)) + 1e-9


def _run_trial(data: _Data, task: dict[str, Any]) -> dict[str, Any]:
    from modelyard.automl import _estimators, _metrics

    s = data.setup
    scores, fit_seconds, blocks = [], [], []
    for i in range(s["n_folds"]):
        if i and time.monotonic() > task["deadline"]:
            return {"status": "EarlyTerminated", "error": "stopped at its time limit", "fold_scores": scores,
                    "fit_seconds": fit_seconds}
        Xtr, Xva = data.fold(i)
        tr, va = data.folds[i]
        started = time.monotonic()
        model = _estimators.fit_any(task["algorithm"], task["params"], s["task"], s["n_classes"], s["threads"],
                                    Xtr, data.y[tr], data.weights(tr), seed=task.get("seed", 0))
        fit_seconds.append(time.monotonic() - started)
        pred = _estimators.predict_matrix(model, Xva, s["task"], s["n_classes"])
        if not np.all(np.isfinite(pred)):
            return {"status": "Failed", "error": "the model predicted non-finite values", "fold_scores": scores,
                    "fit_seconds": fit_seconds}
        blocks.append(pred.astype(np.float32))
        scores.append(_metrics.to_score(s["metric"], _metrics.primary(
            s["task"], s["metric"], data.y[va], pred, data.weights(va), s["y_range"])))
        if task.get("prune") and _prune(scores, task.get("best_fold_scores"), s["n_folds"]):
            return {"status": "EarlyTerminated", "error": "stopped early: every fold so far lost to the best trial",
                    "fold_scores": scores, "fit_seconds": fit_seconds}
    return {"status": "Completed", "oof": np.concatenate(blocks), "fold_scores": scores, "fit_seconds": fit_seconds}


def _run_refit(data: _Data, task: dict[str, Any]) -> dict[str, Any]:
    from modelyard.automl import _estimators

    s = data.setup
    rows = data.refit_rows
    started = time.monotonic()
    model = _estimators.fit_any(task["algorithm"], task["params"], s["task"], s["n_classes"], s["threads"],
                                np.ascontiguousarray(data.X[rows]), data.y[rows], data.weights(rows),
                                seed=task.get("seed", 0))
    return {"status": "Completed", "model": pickle.dumps(model), "fit_seconds": [time.monotonic() - started]}


def worker_main(conn, threads: int) -> None:
    from threadpoolctl import threadpool_limits

    data = None
    with threadpool_limits(limits=threads):
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            if message is None:
                return
            kind, task = message
            try:
                setup = task["setup"]
                if data is None or data.setup["folder"] != setup["folder"]:
                    data = _Data(setup["folder"], setup)
                result = _run_trial(data, task) if kind == "trial" else _run_refit(data, task)
            except Exception as exc:  # a failing trial is a result, not a crash
                result = {"status": "Failed", "error": f"{type(exc).__name__}: {exc}",
                          "traceback": traceback.format_exc(limit=5)}
            conn.send(result)


# ---------------------------------------------------------------- in the main process

@dataclass
class Worker:
    process: Any
    conn: Any
    key: Any = None          # what it is running (None when idle)
    started: float = 0.0
    deadline: float = math.inf


class WorkerPool:
    def __init__(self, n_workers: int, threads: int):
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle OpenMP threads must not spin on shared cores
        self.ctx = mp.get_context("forkserver")
        self.ctx.set_forkserver_preload(PRELOAD)
        self.threads = threads
        self.workers = [self._start() for _ in range(n_workers)]

    def _start(self) -> Worker:
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(target=worker_main, args=(child, self.threads), daemon=False)
        with _START_LOCK, _without_main():
            process.start()
        child.close()
        return Worker(process, parent)

    def idle(self) -> list[Worker]:
        return [w for w in self.workers if w.key is None]

    def busy(self) -> list[Worker]:
        return [w for w in self.workers if w.key is not None]

    def submit(self, worker: Worker, key: Any, kind: str, task: dict[str, Any], deadline: float) -> None:
        worker.key, worker.started, worker.deadline = key, time.monotonic(), deadline
        worker.conn.send((kind, task))

    def wait(self, timeout: float) -> list[tuple[Any, dict[str, Any], float]]:
        """Results that arrived within ``timeout`` seconds: (key, result, seconds)."""
        busy = self.busy()
        if not busy:
            time.sleep(max(timeout, 0))
            return []
        ready = wait_connections([w.conn for w in busy], timeout=max(timeout, 0))
        out = []
        for worker in busy:
            if worker.conn not in ready:
                continue
            try:
                result = worker.conn.recv()
            except (EOFError, OSError):
                code = worker.process.exitcode
                result = {"status": "Failed", "error": f"the worker process died (exit code {code}); "
                                                       "the trial may have run out of memory"}
                self._replace(worker)
            out.append((worker.key, result, time.monotonic() - worker.started))
            worker.key = None
        return out

    def overdue(self, now: float) -> list[Worker]:
        return [w for w in self.busy() if now > w.deadline]

    def stop(self, worker: Worker) -> tuple[Any, float]:
        """End what ``worker`` runs (its process is terminated and replaced); returns its key and run time."""
        key, seconds = worker.key, time.monotonic() - worker.started
        self._replace(worker)
        return key, seconds

    def _replace(self, worker: Worker) -> None:
        _terminate(worker.process)
        worker.conn.close()
        fresh = self._start()
        worker.process, worker.conn, worker.key = fresh.process, fresh.conn, None

    def close(self) -> None:
        for worker in self.workers:
            if worker.key is None:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        for worker in self.workers:
            if worker.key is None:
                worker.process.join(0.5)
            _terminate(worker.process)
            worker.conn.close()


_START_LOCK = threading.Lock()


@contextlib.contextmanager
def _without_main():
    """Start workers without re-running the caller's ``__main__`` in them (the target lives in modelyard).

    multiprocessing's spawn and forkserver methods import the parent's main script in each child,
    which runs an unguarded script (a notebook export, a job's entry file) a second time.
    """
    from multiprocessing import spawn

    original = spawn.get_preparation_data

    def preparation(name):
        data = original(name)
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
        return data

    spawn.get_preparation_data = preparation
    try:
        yield
    finally:
        spawn.get_preparation_data = original


def _terminate(process) -> None:
    if process.is_alive():
        process.terminate()
        process.join(0.5)
    if process.is_alive():
        process.kill()
        process.join(0.5)

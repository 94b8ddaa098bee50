"""Local worker processes that run trials and refits, and that can be stopped mid-trial (``executor="processes"``).

A trial that runs past its deadline is ended by terminating its worker (a fresh one takes its
place), which is what lets the whole search keep its time budget. Workers are forked from
multiprocessing's fork server with the heavy libraries preloaded, so a replacement starts in
milliseconds rather than re-importing scikit-learn, LightGBM and XGBoost. Data reach workers as
``.npy`` files in a scratch folder, memory-mapped on first use.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import wait as wait_connections
from pathlib import Path
from typing import Any

from modelyard.automl._executor import Slot, TrialExecutor
from modelyard.spec.job_status import TrialStatus

PRELOAD = ["numpy", "pandas", "scipy.stats", "sklearn.ensemble", "sklearn.linear_model", "sklearn.metrics",
           "sklearn.preprocessing", "lightgbm", "xgboost", "modelyard.automl._work"]


def worker_main(conn, threads: int) -> None:
    from threadpoolctl import threadpool_limits

    from modelyard.automl._work import execute, load_arrays

    with threadpool_limits(limits=threads):
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            if message is None:
                return
            kind, task = message
            setup = task["setup"]
            conn.send(execute(kind, task, lambda: load_arrays(Path(setup["folder"]), setup["n_folds"])))


@dataclass
class Worker(Slot):
    process: Any = None
    conn: Any = None


class WorkerPool(TrialExecutor):
    name = "processes"

    def __init__(self, n_workers: int, threads: int):
        self.ctx = _fork_server_context()
        self.size, self.threads = n_workers, threads
        self.folder: Path | None = None
        self.slots = [self._start(Worker()) for _ in range(n_workers)]

    def share(self, arrays: dict[str, Any], setup: dict[str, Any]) -> dict[str, Any]:
        from modelyard.automl._work import save_arrays

        self.folder = Path(tempfile.mkdtemp(prefix="modelyard-automl-"))
        save_arrays(arrays, self.folder)
        return {**setup, "folder": str(self.folder), "data_id": str(self.folder)}

    def _start(self, worker: Worker) -> Worker:
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(target=worker_main, args=(child, self.threads), daemon=False)
        with _START_LOCK, _without_main():
            process.start()
        child.close()
        worker.process, worker.conn, worker.key = process, parent, None
        return worker

    def _send(self, worker: Worker, kind: str, task: dict[str, Any]) -> None:
        worker.conn.send((kind, task))

    def wait(self, timeout: float) -> list[tuple[Any, dict[str, Any], float]]:
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
                result = {"status": TrialStatus.FAILED, "error": f"the worker process died (exit code {code}); "
                                                       "the trial may have run out of memory"}
                self._replace(worker)
            out.append(self._ended(worker, result))
        return out

    def _cancel(self, worker: Worker) -> None:
        self._replace(worker)

    def _replace(self, worker: Worker) -> None:
        _terminate(worker.process)
        worker.conn.close()
        self._start(worker)

    def close(self) -> None:
        for worker in self.slots:
            if worker.key is None:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
        for worker in self.slots:
            if worker.key is None:
                worker.process.join(0.5)
            _terminate(worker.process)
            worker.conn.close()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


_START_LOCK = threading.Lock()


def _fork_server_context():
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle OpenMP threads must not spin on shared cores
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def start_fork_server() -> None:
    """Start the fork server now rather than with the first worker: its preloading (about 2 s of imports) then
    overlaps what the caller does meanwhile, such as its own imports and loading the data."""
    from multiprocessing import forkserver

    _fork_server_context()
    with _START_LOCK, _without_main():
        forkserver.ensure_running()


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

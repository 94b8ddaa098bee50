"""The server's scheduler: sizes compute pools to their queues, reaps lost workers, drives pipelines.

It runs as one background thread of the workspace server. All state lives in the store, so a
restarted server picks up where the last one stopped: queued jobs still run, and jobs whose
worker died are retried (``max_retries``) or failed with "worker lost".
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time

from modelyard.runtime._execute import command_spec
from modelyard.services import ServiceContext, compute_pools as pools, job_runs as runs
from modelyard.services._tracking import end_run, tracking_client
from modelyard.spec.job_status import ACTIVE, JobStatus

log = logging.getLogger("modelyard.scheduler")
TICK_SECONDS = 0.25  # while a job is unfinished or an engine is busy
# While only idle workers live, a tick just ages them toward their scale-down (and notices a dead one);
# a job submitted in this process wakes the scheduler at once.
WORKERS_IDLE_SECONDS = 1.0
# With nothing to do the scheduler sleeps until a write in this process (a job submitted, a deployment
# changed) wakes it; this slow poll only notices what other server processes sharing the store did.
IDLE_SECONDS = 5.0


class Scheduler:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.children: dict[int, subprocess.Popen] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="modelyard-scheduler", daemon=True)
        self._hooks: list = []
        self._tracking_store: threading.Thread | None = None

    def add_hook(self, hook) -> None:
        """Another engine's periodic step (pipelines, Ray), run on every tick; it answers whether it has
        work in flight (then the next tick comes soon)."""
        self._hooks.append(hook)

    def start(self) -> None:
        self._thread.start()

    @property
    def started(self) -> bool:
        return self._thread.ident is not None

    def stop(self, stop_workers: bool = True) -> None:
        self._stop.set()
        self.context.changed.set()
        self._thread.join(timeout=10)
        if stop_workers:
            self._stop_workers()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.context.changed.clear()  # before the tick: a write during it wakes the next one
            try:
                pause = self.tick()
            except Exception:  # keep scheduling; the next tick may succeed (e.g. a locked database)
                log.exception("scheduler tick failed")
                pause = TICK_SECONDS
            if pause == TICK_SECONDS:  # busy: the writes of work in flight must not wake it into a spin
                self._stop.wait(pause)
            else:
                self.context.changed.wait(pause)

    def tick(self) -> float:
        """One round of every engine; the seconds until the next (short while any has work in flight)."""
        self._reap_children()
        self._recover_lost()
        for name, config in self._pools():
            self._scale(name, config)
        busy = [hook() for hook in self._hooks]
        if any(busy) or pools.jobs_unfinished(self.context):
            return TICK_SECONDS
        return WORKERS_IDLE_SECONDS if pools.workers_alive(self.context) else IDLE_SECONDS

    # -- pools ----------------------------------------------------------------------------
    def _pools(self) -> list[tuple[str, dict]]:
        return pools.pools(self.context)

    def _scale(self, compute: str, config: dict) -> None:
        for instance_id in pools.scale(self.context, compute, config):
            self._spawn(compute, instance_id)

    def _spawn(self, compute: str, instance_id: int) -> None:
        self._open_tracking_store()
        logs = self.context.location.folder / "logs"
        logs.mkdir(exist_ok=True)
        command = [sys.executable, "-m", "modelyard.runtime.worker", "--workspace", str(self.context.location.root),
                   "--compute", compute, "--instance", str(instance_id), "--server-pid", str(os.getpid())]
        with (logs / f"worker-{compute}-{instance_id}.log").open("ab") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True, env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"})
        self.children[instance_id] = process
        pools.update_instance(self.context, instance_id, pid=process.pid)

    def _open_tracking_store(self) -> None:
        """Once, beside the first worker's start-up: the job's MLflow run needs the store, and its creation
        (seconds for a new workspace) then overlaps the worker's imports instead of following them."""
        if self._tracking_store is None:
            self._tracking_store = threading.Thread(target=_open_or_log, args=(self.context.location,),
                                                    name="modelyard-tracking-store", daemon=True)
            self._tracking_store.start()

    def _reap_children(self) -> None:
        for instance_id, process in list(self.children.items()):
            if process.poll() is not None:
                del self.children[instance_id]

    def _stop_workers(self) -> None:
        pools.stop_all(self.context)
        deadline = time.monotonic() + 10
        for process in self.children.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.terminate()

    # -- recovery -------------------------------------------------------------------------
    def _recover_lost(self) -> None:
        """Forget dead instances; retry or fail the jobs they were running."""
        for name in pools.lost_jobs(self.context):
            self._worker_lost(name)

    def _worker_lost(self, name: str) -> None:
        worker_lost(self.context, name)


def worker_lost(context: ServiceContext, name: str, what: str = "worker") -> None:
    """Retry a job whose runner vanished (``max_retries``), or fail it saying so."""
    job = runs.state(context, name)
    if job is None or job.status not in ACTIVE:
        return
    _kill_group(job.pid)  # an orphaned job process must not outlive its worker
    job = runs.lose(context, name, what, command_spec(job).max_retries)
    if job is None:
        return
    if job.status == JobStatus.QUEUED:
        log.warning("job %s: worker lost, retrying", name)
    elif job.status == JobStatus.FAILED and job.mlflow_run_id:
        try:
            end_run(context.location, job.mlflow_run_id, JobStatus.FAILED)
        except Exception:
            log.exception("could not end the MLflow run of %s", name)


def _kill_group(pid: int | None) -> None:
    if pid:
        try:
            os.killpg(pid, 9)
        except (ProcessLookupError, PermissionError):
            pass


def _open_or_log(location) -> None:
    try:
        tracking_client(location)
    except Exception:  # the worker opens it again, and reports what fails
        log.exception("the tracking store could not be opened")

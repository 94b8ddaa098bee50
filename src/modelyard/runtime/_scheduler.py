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
from datetime import timedelta

from sqlalchemy import func, select

from modelyard._processes import pid_alive
from modelyard.runtime._execute import command_spec
from modelyard.services import ServiceContext, job_lifecycle as lifecycle
from modelyard.services._tracking import end_run
from modelyard.services.compute import HEARTBEAT_STALE, LOCAL_CONFIG, as_utc
from modelyard.spec.compute import LOCAL_COMPUTE
from modelyard.spec.job import NOT_ON_WORKERS
from modelyard.spec.job_status import ACTIVE, TERMINAL, JobStatus
from modelyard.store import ComputeRow, InstanceRow, JobRow
from modelyard.store._tables import utcnow

log = logging.getLogger("modelyard.scheduler")
TICK_SECONDS = 0.25  # while a job is unfinished, a worker lives or an engine is busy
# With nothing to do the scheduler sleeps until a write in this process (a job submitted, a deployment
# changed) wakes it; this slow poll only notices what other server processes sharing the store did.
IDLE_SECONDS = 5.0
STARTING_GRACE = timedelta(seconds=60)


class Scheduler:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.children: dict[int, subprocess.Popen] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="modelyard-scheduler", daemon=True)
        self._hooks: list = []

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
                busy = self.tick()
            except Exception:  # keep scheduling; the next tick may succeed (e.g. a locked database)
                log.exception("scheduler tick failed")
                busy = True
            if busy:
                self._stop.wait(TICK_SECONDS)
            else:
                self.context.changed.wait(IDLE_SECONDS)

    def tick(self) -> bool:
        """One round of every engine; whether any has work in flight."""
        self._reap_children()
        self._recover_lost()
        for name, config in self._pools():
            self._scale(name, config)
        busy = [hook() for hook in self._hooks]
        return any(busy) or self._in_flight()

    def _in_flight(self) -> bool:
        with self.context.session() as session:
            return bool(session.scalar(select(func.count()).select_from(InstanceRow))
                        or session.scalar(select(func.count()).where(JobRow.status.not_in(tuple(TERMINAL)))))

    # -- pools ----------------------------------------------------------------------------
    def _pools(self) -> list[tuple[str, dict]]:
        with self.context.session() as session:
            rows = session.execute(select(ComputeRow.name, ComputeRow.config, ComputeRow.state)
                                   .where(ComputeRow.type == "cluster")).all()
        pools = [(LOCAL_COMPUTE, LOCAL_CONFIG)]
        pools += [(name, config if state != "Stopped" else {**config, "min_instances": 0, "max_instances": 0})
                  for name, config, state in rows]
        return pools

    def _scale(self, compute: str, config: dict) -> None:
        now = utcnow()
        with self.context.session() as session:
            instances = [i for i in session.scalars(select(InstanceRow).where(InstanceRow.compute == compute))
                         if i.state != "stopping"]
            queued = session.scalar(select(func.count()).where(JobRow.compute == compute,
                                                               JobRow.status == JobStatus.QUEUED))
            busy = sum(1 for i in instances if i.state == "busy")
            wanted = min(config["max_instances"], max(config["min_instances"], busy + queued))
            surplus = len(instances) - wanted
            if surplus > 0:
                idle_for = timedelta(seconds=config["idle_time_before_scale_down"])
                shrinking = config["max_instances"] < len(instances)
                for instance in sorted(instances, key=lambda i: as_utc(i.idle_since)):
                    if surplus <= 0:
                        break
                    if instance.state == "idle" and (shrinking or now - as_utc(instance.idle_since) >= idle_for):
                        instance.state = "stopping"
                        surplus -= 1
            missing = wanted - len(instances)
            new = [InstanceRow(compute=compute, state="starting", heartbeat_at=now, idle_since=now, started_at=now)
                   for _ in range(max(0, missing))]
            session.add_all(new)
        for instance in new:
            self._spawn(compute, instance.id)

    def _spawn(self, compute: str, instance_id: int) -> None:
        logs = self.context.location.folder / "logs"
        logs.mkdir(exist_ok=True)
        command = [sys.executable, "-m", "modelyard.runtime.worker", "--workspace", str(self.context.location.root),
                   "--compute", compute, "--instance", str(instance_id), "--server-pid", str(os.getpid())]
        with (logs / f"worker-{compute}-{instance_id}.log").open("ab") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       start_new_session=True, env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"})
        self.children[instance_id] = process
        with self.context.session() as session:
            instance = session.get(InstanceRow, instance_id)
            if instance is not None:
                instance.pid = process.pid

    def _reap_children(self) -> None:
        for instance_id, process in list(self.children.items()):
            if process.poll() is not None:
                del self.children[instance_id]

    def _stop_workers(self) -> None:
        with self.context.session() as session:
            for instance in session.scalars(select(InstanceRow)):
                instance.state = "stopping"
        deadline = time.monotonic() + 10
        for process in self.children.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.terminate()

    # -- recovery -------------------------------------------------------------------------
    def _recover_lost(self) -> None:
        """Forget dead instances; retry or fail the jobs they were running."""
        now = utcnow()
        with self.context.session() as session:
            instances = list(session.scalars(select(InstanceRow)))
            dead = {i.id for i in instances if not self._instance_alive(i, now)}
            for instance in instances:
                if instance.id in dead:
                    session.delete(instance)
            live = {i.id for i in instances} - dead
            remote = set(session.scalars(select(ComputeRow.name).where(ComputeRow.type == "ray")))
            running = [job for job in session.scalars(select(JobRow).where(JobRow.status.in_(tuple(ACTIVE)),
                                                                            JobRow.type.not_in(NOT_ON_WORKERS)))
                       if job.compute not in remote]
            lost = [job.name for job in running if job.instance_id not in live
                    or (job.heartbeat_at and now - as_utc(job.heartbeat_at) > HEARTBEAT_STALE)]
        for name in lost:
            self._worker_lost(name)

    def _instance_alive(self, instance: InstanceRow, now) -> bool:
        if instance.pid is None:
            return now - as_utc(instance.started_at) < STARTING_GRACE
        if not pid_alive(instance.pid):
            return False
        limit = STARTING_GRACE if instance.state == "starting" else HEARTBEAT_STALE
        return now - as_utc(instance.heartbeat_at) < limit

    def _worker_lost(self, name: str) -> None:
        worker_lost(self.context, name)


def worker_lost(context: ServiceContext, name: str, what: str = "worker") -> None:
    """Retry a job whose runner vanished (``max_retries``), or fail it saying so."""
    with context.session() as session:
        job = lifecycle.locked(session, name)
        if job is None or job.status not in ACTIVE:
            return
        _kill_group(job.pid)  # an orphaned job process must not outlive its worker
        status = lifecycle.lose(job, what, command_spec(job).max_retries)
        run_id = job.mlflow_run_id
    if status == JobStatus.QUEUED:
        log.warning("job %s: worker lost, retrying", name)
    elif status == JobStatus.FAILED and run_id:
        try:
            end_run(context.location, run_id, JobStatus.FAILED)
        except Exception:
            log.exception("could not end the MLflow run of %s", name)


def _kill_group(pid: int | None) -> None:
    if pid:
        try:
            os.killpg(pid, 9)
        except (ProcessLookupError, PermissionError):
            pass

"""Compute pools as the scheduler and its workers see them: targets, instances, queues and lost runners.

The runtime decides when to start and stop worker processes; the rows it keeps for them (one per
instance) and the facts it asks about jobs on them are read and written here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from modelyard._processes import pid_alive
from modelyard.services._context import ServiceContext
from modelyard.services.compute import HEARTBEAT_STALE, LOCAL_CONFIG, as_utc
from modelyard.spec.compute import LOCAL_COMPUTE
from modelyard.spec.job import NOT_ON_WORKERS
from modelyard.spec.job_status import ACTIVE, TERMINAL, JobStatus
from modelyard.store import ComputeRow, InstanceRow, JobRow
from modelyard.store._tables import utcnow

STARTING_GRACE = timedelta(seconds=60)


# -- targets ---------------------------------------------------------------------------------------
def pools(context: ServiceContext) -> list[tuple[str, dict[str, Any]]]:
    """``(compute, config)`` of every pool of worker processes: ``local`` and each cluster (a stopped one
    sized to nothing)."""
    with context.session() as session:
        rows = session.execute(select(ComputeRow.name, ComputeRow.config, ComputeRow.state)
                               .where(ComputeRow.type == "cluster")).all()
    return [(LOCAL_COMPUTE, LOCAL_CONFIG)] + [
        (name, config if state != "Stopped" else {**config, "min_instances": 0, "max_instances": 0})
        for name, config, state in rows]


def ray_targets(context: ServiceContext) -> dict[str, dict[str, Any]]:
    """The config of every ``ray`` compute that is not stopped, by name."""
    with context.session() as session:
        return dict(session.execute(select(ComputeRow.name, ComputeRow.config)
                                    .where(ComputeRow.type == "ray", ComputeRow.state != "Stopped")).all())


def is_stopped(context: ServiceContext, compute: str) -> bool:
    with context.session() as session:
        return session.scalar(select(ComputeRow.state).where(ComputeRow.name == compute)) == "Stopped"


def jobs_unfinished(context: ServiceContext) -> bool:
    with context.session() as session:
        return session.scalar(select(JobRow.id).where(JobRow.status.not_in(tuple(TERMINAL))).limit(1)) is not None


def workers_alive(context: ServiceContext) -> bool:
    with context.session() as session:
        return session.scalar(select(InstanceRow.id).limit(1)) is not None


# -- the scheduler's side --------------------------------------------------------------------------
def scale(context: ServiceContext, compute: str, config: dict[str, Any]) -> list[int]:
    """Size ``compute``'s pool to its queue within its min/max: mark surplus idle instances (idle long
    enough, or above a lowered max) stopping, and add the missing ones; the new instances' ids, to start."""
    now = utcnow()
    with context.session() as session:
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
        new = [InstanceRow(compute=compute, state="starting", heartbeat_at=now, idle_since=now, started_at=now)
               for _ in range(max(0, wanted - len(instances)))]
        session.add_all(new)
        session.flush()
        return [instance.id for instance in new]


def stop_all(context: ServiceContext) -> None:
    """Ask every worker to leave (each does after its current job)."""
    with context.session() as session:
        for instance in session.scalars(select(InstanceRow)):
            instance.state = "stopping"


def lost_jobs(context: ServiceContext) -> list[str]:
    """Forget dead instances; the jobs whose worker is gone or whose heartbeat went stale (Ray's jobs are the
    Ray driver's to recover)."""
    now = utcnow()
    with context.session() as session:
        instances = list(session.scalars(select(InstanceRow)))
        dead = {i.id for i in instances if not _alive(i, now)}
        for instance in instances:
            if instance.id in dead:
                session.delete(instance)
        live = {i.id for i in instances} - dead
        remote = set(session.scalars(select(ComputeRow.name).where(ComputeRow.type == "ray")))
        running = [job for job in session.scalars(select(JobRow).where(JobRow.status.in_(tuple(ACTIVE)),
                                                                        JobRow.type.not_in(NOT_ON_WORKERS)))
                   if job.compute not in remote]
        return [job.name for job in running if job.instance_id not in live
                or (job.heartbeat_at and now - as_utc(job.heartbeat_at) > HEARTBEAT_STALE)]


def _alive(instance: InstanceRow, now: datetime) -> bool:
    if instance.pid is None:
        return now - as_utc(instance.started_at) < STARTING_GRACE
    if not pid_alive(instance.pid):
        return False
    limit = STARTING_GRACE if instance.state == "starting" else HEARTBEAT_STALE
    return now - as_utc(instance.heartbeat_at) < limit


# -- a worker's side -------------------------------------------------------------------------------
def update_instance(context: ServiceContext, instance_id: int, state: str | None = None, **fields: Any) -> bool:
    """Refresh instance ``instance_id``'s heartbeat, set its ``state`` (one asked to stop stays stopping) and
    ``fields``; False when the scheduler asked it to stop or forgot it."""
    with context.session() as session:
        instance = session.get(InstanceRow, instance_id)
        if instance is None:
            return False
        if state is not None and instance.state != "stopping":
            instance.state = state
        instance.heartbeat_at = utcnow()
        for key, value in fields.items():
            setattr(instance, key, value)
        return instance.state != "stopping"


def mark_idle(context: ServiceContext, instance_id: int) -> None:
    update_instance(context, instance_id, "idle", job=None, idle_since=utcnow())


def forget_instance(context: ServiceContext, instance_id: int) -> None:
    with context.session() as session:
        instance = session.get(InstanceRow, instance_id)
        if instance is not None:
            session.delete(instance)

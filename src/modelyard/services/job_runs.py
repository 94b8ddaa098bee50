"""What a runner (``runtime/``) reads and does to a job, by name: rows stay inside ``services/``.

Reads answer ``JobState`` values (a snapshot of the job's columns); each move opens its own
transaction, locks the row and goes through ``job_lifecycle``, the one writer of job status.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from modelyard.errors import NotFound
from modelyard.services import job_lifecycle as lifecycle
from modelyard.services._context import ServiceContext
from modelyard.spec.job_status import ACTIVE, TERMINAL, JobStatus
from modelyard.store import JobRow


@dataclass(frozen=True)
class JobState:
    """A job as its runner sees it: what it runs, where, and how far it got."""

    name: str
    type: str
    status: JobStatus
    experiment_name: str
    spec: dict[str, Any]
    display_name: str | None = None
    compute: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    parent: str | None = None
    step: str | None = None
    mlflow_run_id: str | None = None
    properties: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    attempt: int = 0
    reuse_key: str | None = None
    reused_from: str | None = None
    cancel_requested: bool = False
    instance_id: int | None = None
    pid: int | None = None
    external_id: str | None = None
    heartbeat_at: datetime | None = None
    created_at: datetime | None = None
    started_at: datetime | None = None

    @classmethod
    def of(cls, row: JobRow) -> "JobState":
        values = {f.name: getattr(row, f.name) for f in dataclasses.fields(cls)}
        return cls(**{**values, "status": JobStatus(row.status), "tags": row.tags or {},
                      "properties": row.properties or {}, "outputs": row.outputs or {}})


# -- reads -----------------------------------------------------------------------------------------
def state(context: ServiceContext, name: str) -> JobState | None:
    """Job ``name`` as it is now, or None when there is no such job."""
    with context.session() as session:
        row = session.scalar(select(JobRow).where(JobRow.name == name))
        return JobState.of(row) if row is not None else None


def get(context: ServiceContext, name: str) -> JobState:
    """Job ``name`` as it is now; ``NotFound`` when there is no such job."""
    job = state(context, name)
    if job is None:
        raise NotFound(f"job '{name}' not found; 'modelyard job list' shows the jobs")
    return job


def children(context: ServiceContext, name: str) -> list[JobState]:
    """The steps or trials of job ``name``, oldest first."""
    with context.session() as session:
        return [JobState.of(row) for row in session.scalars(select(JobRow).where(JobRow.parent == name)
                                                            .order_by(JobRow.id))]


def driven_pipelines(context: ServiceContext) -> list[str]:
    """Pipelines that have not ended: the scheduler drives each of them."""
    with context.session() as session:
        return list(session.scalars(select(JobRow.name).where(
            JobRow.type == "pipeline", JobRow.status.in_((JobStatus.NOT_STARTED, JobStatus.RUNNING)))))


def reusable(context: ServiceContext, key: str) -> JobState | None:
    """The latest completed, unarchived job that did work ``key`` itself (not by reuse)."""
    with context.session() as session:
        row = session.scalar(select(JobRow).where(JobRow.reuse_key == key, JobRow.status == JobStatus.COMPLETED,
                                                  JobRow.reused_from.is_(None), JobRow.archived.is_(False))
                             .order_by(JobRow.id.desc()).limit(1))
        return JobState.of(row) if row is not None else None


def active_on(context: ServiceContext, computes: list[str]) -> list[JobState]:
    """Jobs a runner holds (Preparing, Running, Finalizing) on any of ``computes``."""
    with context.session() as session:
        return [JobState.of(row) for row in session.scalars(
            select(JobRow).where(JobRow.compute.in_(computes), JobRow.status.in_(tuple(ACTIVE))))]


# -- moves -----------------------------------------------------------------------------------------
def record(context: ServiceContext, name: str, **fields: Any) -> None:
    """Set some of job ``name``'s bookkeeping (its MLflow run, its process id, its Ray job id)."""
    lifecycle.change(context, name, lambda row: _assign(row, fields))


def start(context: ServiceContext, name: str, **fields: Any) -> None:
    lifecycle.change(context, name, lambda row: lifecycle.start(row, **fields))


def start_if_preparing(context: ServiceContext, name: str) -> None:
    """Its remote runner says the command runs now (a job ended meanwhile, or already running, stays)."""
    def move(row: JobRow) -> None:
        if row.status == JobStatus.PREPARING:
            lifecycle.start(row)

    lifecycle.change(context, name, move)


def finalize(context: ServiceContext, name: str) -> None:
    lifecycle.change(context, name, lifecycle.finalize)


def finish(context: ServiceContext, name: str, status: JobStatus, **fields: Any) -> JobState | None:
    """End job ``name`` (``lifecycle.finish``); its state when this ended it, None when it had ended already."""
    with context.session() as session:
        row = lifecycle.locked(session, name)
        if row is None or not lifecycle.finish(row, status, **fields):
            return None
        return JobState.of(row)


def finish_children(context: ServiceContext, name: str, status: JobStatus, error: str) -> None:
    """End every unfinished child (trial, step) of job ``name`` with ``status``."""
    with context.session() as session:
        for child in session.scalars(select(JobRow).where(JobRow.parent == name)):
            lifecycle.finish(child, status, error=error)


def cancel_unfinished(context: ServiceContext, names: list[str], error: str) -> None:
    """Cancel each of ``names`` that has not ended (a waiting one at once, a running one by its runner)."""
    with context.session() as session:
        for name in names:
            row = lifecycle.locked(session, name)
            if row is not None and row.status not in TERMINAL:
                lifecycle.cancel(row, error)


def queue_step(context: ServiceContext, name: str, spec: dict[str, Any], reuse_key: str,
               earlier: JobState | None) -> None:
    """A pipeline step whose inputs are bound: queue it, or complete it with ``earlier``'s outputs."""
    with context.session() as session:
        row = lifecycle.locked(session, name)
        if row is None or row.status != JobStatus.NOT_STARTED:
            return
        row.spec, row.reuse_key = spec, reuse_key
        if earlier is not None:
            lifecycle.reuse(row, earlier)
        else:
            lifecycle.queue(row)


def add_started(context: ServiceContext, **fields: Any) -> JobState:
    """A new job that runs at once under its parent's driver (an AutoML trial)."""
    row = lifecycle.new_job(**fields)
    lifecycle.start(row)
    with context.session() as session:
        session.add(row)
        session.flush()
        return JobState.of(row)


def lose(context: ServiceContext, name: str, what: str, max_retries: int) -> JobState | None:
    """Its runner vanished (``lifecycle.lose``): the job retried or failed; None when it had ended already."""
    with context.session() as session:
        row = lifecycle.locked(session, name)
        if row is None or row.status not in ACTIVE or lifecycle.lose(row, what, max_retries) is None:
            return None
        return JobState.of(row)


def _assign(row: JobRow, fields: dict[str, Any]) -> None:
    for key, value in fields.items():
        setattr(row, key, value)

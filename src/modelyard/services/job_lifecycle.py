"""The job lifecycle: every write to a job row's status, timestamps and heartbeat goes through here.

The moves (``TRANSITIONS``), each stamped in the row's history:

- ``queue``: NotStarted -> Queued (submitted, or a pipeline step whose inputs are ready);
- ``claim_next``: Queued -> Preparing (a runner took it: a worker, the Ray driver);
- ``start``: Preparing -> Running; NotStarted -> Running for a pipeline or an AutoML trial, which no
  runner claims (the scheduler drives the one, its AutoML job the other);
- ``finalize``: Running -> Finalizing (the command ended well, outputs are being saved);
- ``finish``: to Completed, Failed or Canceled;
- ``reuse``: NotStarted -> Completed (a pipeline step whose work an earlier step did);
- ``cancel``: a waiting job to Canceled at once, a running one asked to stop;
- ``lose``: Preparing/Running/Finalizing -> Queued (retried) or Failed ("worker lost").

A move the table does not allow raises ``Conflict``. Terminal states are final: ``finish`` and
``lose`` leave a job that has ended already as it is, since a runner's last report may race a
cancel or the scheduler giving the job up.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from modelyard.errors import Conflict
from modelyard.services._context import ServiceContext
from modelyard.services.events import emit
from modelyard.spec.job_status import TERMINAL, WAITING, JobStatus
from modelyard.store import InstanceRow, JobRow
from modelyard.store._tables import utcnow

S = JobStatus
TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    S.NOT_STARTED: frozenset({S.QUEUED, S.RUNNING, S.COMPLETED, S.CANCELED}),
    S.QUEUED: frozenset({S.PREPARING, S.CANCELED}),
    S.PREPARING: frozenset({S.RUNNING, S.QUEUED, S.FAILED, S.CANCELED}),
    S.RUNNING: frozenset({S.FINALIZING, S.QUEUED, S.COMPLETED, S.FAILED, S.CANCELED}),
    S.FINALIZING: frozenset({S.QUEUED, S.COMPLETED, S.FAILED, S.CANCELED}),
    S.COMPLETED: frozenset(),
    S.FAILED: frozenset(),
    S.CANCELED: frozenset(),
}


def new_job(**fields: Any) -> JobRow:
    """A job row that has not started (not yet added to a session); ``queue`` or ``start`` moves it on."""
    defaults = dict(status=JobStatus.NOT_STARTED, tags={}, properties={}, outputs={}, attempt=0, archived=False,
                    cancel_requested=False, history={})
    return JobRow(**{**defaults, **fields})


def queue(row: JobRow, **fields: Any) -> None:
    """Ready to run: the next runner of its compute claims it."""
    _move(row, JobStatus.QUEUED, **fields)


def claim_next(context: ServiceContext, compute: str, instance_id: int | None) -> str | None:
    """Take the oldest queued job of ``compute`` (status Preparing), atomically across runners; its name,
    or None when none is queued."""
    for _ in range(5):
        with context.session() as session:
            candidate = session.scalar(select(JobRow.id).where(JobRow.compute == compute,
                                                               JobRow.status == JobStatus.QUEUED)
                                       .order_by(JobRow.queued_at, JobRow.id).limit(1))
            if candidate is None:
                return None
            taken = session.execute(update(JobRow).where(JobRow.id == candidate, JobRow.status == JobStatus.QUEUED)
                                    .values(status=JobStatus.PREPARING)).rowcount
            if not taken:
                continue  # another runner was faster; try the next one
            row = session.get(JobRow, candidate)
            _stamp(row, JobStatus.PREPARING, instance_id=instance_id, attempt=row.attempt + 1)
            return row.name
    return None


def start(row: JobRow, at: datetime | None = None, **fields: Any) -> None:
    """Its command runs (or, for a pipeline or a trial, its driver began); ``at`` when that happened, if not
    now (a run a kernel began before the server took it)."""
    _move(row, JobStatus.RUNNING, at, **fields)


def finalize(row: JobRow) -> None:
    """Its command ended well; its outputs are being saved."""
    _move(row, JobStatus.FINALIZING)


def finish(row: JobRow, status: JobStatus, at: datetime | None = None, **fields: Any) -> bool:
    """End the job with a terminal ``status`` (``at`` when it ended, if not now); False (and nothing written)
    when it had ended already."""
    if not JobStatus(status).is_terminal:
        raise ValueError(f"finish takes a terminal status, not {status}")
    if row.status in TERMINAL:
        return False
    _move(row, status, at, **fields)
    return True


def reuse(row: JobRow, earlier: JobRow) -> None:
    """Complete a pipeline step with the outputs of an earlier run of the same work."""
    _move(row, JobStatus.COMPLETED, reused_from=earlier.name, outputs=earlier.outputs,
          mlflow_run_id=earlier.mlflow_run_id, properties={**(row.properties or {}), "reused": True})
    row.started_at = row.ended_at  # reusing takes no time; the earlier run keeps its own duration


def cancel(row: JobRow, error: str, at_once: bool = False) -> None:
    """Ask the job to stop. One no runner holds yet (or any, ``at_once``) is canceled now; a running one is
    stopped by its runner, which sees the request at its next heartbeat."""
    row.cancel_requested = True
    if row.status in WAITING or at_once:
        _move(row, JobStatus.CANCELED, error=error)


def lose(row: JobRow, what: str, max_retries: int) -> JobStatus | None:
    """Its runner vanished: queue it again while retries are left (and no cancel was asked), else fail it.
    The new status, or None when the job had ended already."""
    if row.status in TERMINAL:
        return None
    if row.attempt <= max_retries and not row.cancel_requested:
        _move(row, JobStatus.QUEUED, instance_id=None, pid=None, external_id=None,
              error=f"{what} lost on attempt {row.attempt}; retrying")
    else:
        _move(row, JobStatus.FAILED, instance_id=None, pid=None,
              error=f"{what} lost: the process running the job died"
                    + (f" (after {row.attempt} attempts)" if row.attempt > 1 else ""))
    return JobStatus(row.status)


def heartbeat(context: ServiceContext, name: str, instance_id: int | None) -> bool:
    """Record that job ``name`` and the instance running it are alive; whether a cancel was requested."""
    now = utcnow()
    with context.session() as session:
        row = locked(session, name)
        row.heartbeat_at = now
        if instance_id is not None:
            instance = session.get(InstanceRow, instance_id)
            if instance is not None:
                instance.heartbeat_at = now
        return row.cancel_requested


def change(context: ServiceContext, name: str, edit: Callable[[JobRow], Any]) -> None:
    """Apply ``edit`` to job ``name``'s row, locked, in one transaction."""
    with context.session() as session:
        edit(locked(session, name))


def merge_properties(context: ServiceContext, name: str, **values: Any) -> None:
    """Add or replace some of job ``name``'s properties (AutoML progress, a trial's model)."""
    def merge(row: JobRow) -> None:
        row.properties = {**(row.properties or {}), **values}

    change(context, name, merge)


def locked(session: Session, name: str) -> JobRow | None:
    """Job ``name``'s row, locked for this transaction where the database can (PostgreSQL)."""
    query = select(JobRow).where(JobRow.name == name)
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    return session.scalar(query)


def _move(row: JobRow, status: JobStatus, at: datetime | None = None, **fields: Any) -> None:
    current = JobStatus(row.status)
    if status not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none: it has ended"
        raise Conflict(f"job '{row.name}' cannot go from {current} to {status} (from {current}: {allowed})")
    _stamp(row, status, at, **fields)


def _stamp(row: JobRow, status: JobStatus, at: datetime | None = None, **fields: Any) -> None:
    now = at or utcnow()
    row.status = status
    row.history = {**(row.history or {}), status: now.isoformat()}
    if status == JobStatus.QUEUED:
        row.queued_at = now
    elif status == JobStatus.RUNNING and row.started_at is None:
        row.started_at = now
    if status in TERMINAL:
        row.ended_at = now
    for key, value in fields.items():
        setattr(row, key, value)
    emit(row, f"job.{status.lower()}", row.name, {
        "name": row.name, "status": str(status), "type": row.type, "parent": row.parent,
        "experiment_name": row.experiment_name, "compute": row.compute, "attempt": row.attempt,
        "error": row.error if status in (JobStatus.FAILED, JobStatus.CANCELED) else None})

"""Status transitions of jobs, shared by the services, the workers and the scheduler."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from modelyard.spec.job_status import TERMINAL, JobStatus
from modelyard.store import JobRow
from modelyard.store._tables import utcnow


def transition(row: JobRow, status: str, **fields: Any) -> None:
    """Move ``row`` to ``status``, stamping the time; terminal states are final."""
    if row.status in TERMINAL:
        return
    now = utcnow()
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


def locked(session: Session, name: str) -> JobRow:
    from sqlalchemy import select

    query = select(JobRow).where(JobRow.name == name)
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    return session.scalar(query)

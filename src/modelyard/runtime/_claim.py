"""Taking the next queued job of a compute target, atomically across worker processes."""

from __future__ import annotations

from sqlalchemy import select, update

from modelyard.runtime._lifecycle import transition
from modelyard.services._context import ServiceContext
from modelyard.spec.job_status import JobStatus
from modelyard.store import JobRow


def claim_next(context: ServiceContext, compute: str, instance_id: int | None) -> str | None:
    """The name of the job this caller now owns (status Preparing), or None when none is queued."""
    for _ in range(5):
        with context.session() as session:
            candidate = session.scalar(select(JobRow.id).where(JobRow.compute == compute, JobRow.status == JobStatus.QUEUED)
                                       .order_by(JobRow.queued_at, JobRow.id).limit(1))
            if candidate is None:
                return None
            taken = session.execute(update(JobRow).where(JobRow.id == candidate, JobRow.status == JobStatus.QUEUED)
                                    .values(status=JobStatus.PREPARING)).rowcount
            if not taken:
                continue  # another worker was faster; try the next one
            row = session.get(JobRow, candidate)
            row.status = JobStatus.QUEUED  # let transition() stamp Preparing properly
            transition(row, JobStatus.PREPARING, instance_id=instance_id, attempt=row.attempt + 1)
            return row.name
    return None

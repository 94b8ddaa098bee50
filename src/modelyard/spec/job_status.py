"""The statuses of jobs and of AutoML trials: the only place their names are spelled out.

Both are ``StrEnum``s, so a status read from the store or the wire compares equal to its member
(``row.status == JobStatus.COMPLETED``) and is written as its plain name.
"""

from __future__ import annotations

from enum import StrEnum


class JobStatus(StrEnum):
    """Where a job is in its lifecycle (Azure ML's names); services/_job_lifecycle.py moves it."""

    NOT_STARTED = "NotStarted"   # created, waiting for something else (a pipeline step's upstream steps)
    QUEUED = "Queued"            # waiting for a runner of its compute
    PREPARING = "Preparing"      # claimed: tracking run, code, inputs and environment being set up
    RUNNING = "Running"
    FINALIZING = "Finalizing"    # the command ended well; outputs being uploaded
    COMPLETED = "Completed"
    FAILED = "Failed"
    CANCELED = "Canceled"

    @property
    def is_terminal(self) -> bool:
        """Ended: nothing moves the job on any more."""
        return self in TERMINAL

    @property
    def is_active(self) -> bool:
        """Held by a runner (a worker, a Ray watcher), which must stay alive until the job ends."""
        return self in ACTIVE

    @property
    def is_waiting(self) -> bool:
        """Not yet claimed by any runner: canceling it needs nobody's help."""
        return self in WAITING


TERMINAL: frozenset[JobStatus] = frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELED})
ACTIVE: frozenset[JobStatus] = frozenset({JobStatus.PREPARING, JobStatus.RUNNING, JobStatus.FINALIZING})
WAITING: frozenset[JobStatus] = frozenset({JobStatus.NOT_STARTED, JobStatus.QUEUED})
# What the CLI shows for a pipeline step that reused an earlier run's outputs instead of running
REUSED_LABEL = "Reused"


class TrialStatus(StrEnum):
    """How one AutoML trial ended (or that it still runs); kept on its job as ``properties.trial_status``."""

    RUNNING = "Running"
    COMPLETED = "Completed"
    FAILED = "Failed"
    EARLY_TERMINATED = "EarlyTerminated"  # stopped by the search (time limit, losing folds): not a failure

    @property
    def job_status(self) -> JobStatus:
        """The status of the trial's job once the trial ended: a stopped trial completed, it did not fail."""
        ended_well = self in (TrialStatus.COMPLETED, TrialStatus.EARLY_TERMINATED)
        return JobStatus.COMPLETED if ended_well else JobStatus.FAILED

"""The runs a compute instance's kernel starts with plain MLflow, adopted as interactive jobs: the job began and
ended when its MLflow run did, not when the server took the run (the studio lists jobs by these times)."""

from __future__ import annotations

from datetime import datetime, timezone

from modelyard.services._tracking import experiment_id, tracking_client
from modelyard.services.interactive_runs import KERNEL_TAG, InteractiveRunService
from modelyard.services.jobs import JobService

HOUR = 3_600_000  # in MLflow's milliseconds
STARTED = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def kernel_run(context, *, ended: bool) -> str:
    """A run instance 'nb1''s kernel started an hour before STARTED (and ended, half an hour later)."""
    client = tracking_client(context.location)
    run = client.create_run(experiment_id(context.location, "from-kernel"), start_time=STARTED - HOUR,
                            tags={KERNEL_TAG: "nb1", "mlflow.runName": "exploring"})
    if ended:
        client.set_terminated(run.info.run_id, "FINISHED", end_time=STARTED - HOUR // 2)
    return run.info.run_id


def adopted(context, run_id: str):
    (job,) = [job for job in JobService(context).list() if job.mlflow_run_id == run_id]
    return job


def at(milliseconds: int) -> datetime:
    return datetime.fromtimestamp(milliseconds / 1000, timezone.utc)


def test_an_adopted_run_begins_and_ends_when_its_mlflow_run_did(context):
    run_id = kernel_run(context, ended=True)
    InteractiveRunService(context).adopt_kernel_runs("nb1")
    job = adopted(context, run_id)
    assert (job.type, job.status, job.display_name, job.compute) == ("interactive", "Completed", "exploring", "nb1")
    assert job.created_at == job.started_at == at(STARTED - HOUR)
    assert job.ended_at == at(STARTED - HOUR // 2) and job.duration_seconds == 1800


def test_a_run_adopted_while_open_ends_when_its_mlflow_run_ends(context):
    runs = InteractiveRunService(context)
    run_id = kernel_run(context, ended=False)
    runs.follow_kernel_runs("nb1")
    job = adopted(context, run_id)
    assert (job.status, job.started_at, job.ended_at) == ("Running", at(STARTED - HOUR), None)

    tracking_client(context.location).set_terminated(run_id, "FAILED", end_time=STARTED)
    runs.follow_kernel_runs("nb1")
    job = adopted(context, run_id)
    assert (job.status, job.error, job.ended_at) == ("Failed", "its MLflow run ended FAILED", at(STARTED))
    assert job.duration_seconds == 3600

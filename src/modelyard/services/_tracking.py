"""MLflow is the tracking system: every job is an MLflow run in the workspace's tracking store."""

from __future__ import annotations

import functools
import os
from typing import Any

from modelyard.spec.job_status import JobStatus

MLFLOW_STATUS = {JobStatus.COMPLETED: "FINISHED", JobStatus.FAILED: "FAILED", JobStatus.CANCELED: "KILLED"}


@functools.lru_cache(maxsize=8)
def _client(tracking_uri: str, lock_path: str):
    """One client per store; the first one in any process creates the store under a file lock,
    because MLflow's own migrations break when two processes run them at once."""
    import fcntl

    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    from mlflow import MlflowClient

    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        client = MlflowClient(tracking_uri=tracking_uri)
        client.search_experiments(max_results=1)  # creates or upgrades the store now, while we hold the lock
    return client


def tracking_client(location):
    return _client(location.tracking_uri, str(location.folder / "tracking.lock"))


def experiment_id(location, name: str) -> str:
    client = tracking_client(location)
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    artifacts = f"{location.artifact_root.rstrip('/')}/mlflow/{name}"
    try:
        return client.create_experiment(name, artifact_location=artifacts)
    except Exception:  # created concurrently by another worker
        found = client.get_experiment_by_name(name)
        if found is None:
            raise
        return found.experiment_id


def start_run(location, job: Any, parent_run_id: str | None) -> str:
    tags = {"mlflow.runName": job.display_name or job.name, "modelyard.job": job.name,
            "modelyard.compute": job.compute or "", **(job.tags or {})}
    if parent_run_id:
        tags["mlflow.parentRunId"] = parent_run_id
    if job.step:
        tags["modelyard.step"] = job.step
    run = tracking_client(location).create_run(experiment_id(location, job.experiment_name), tags=tags)
    return run.info.run_id


def log_params(location, run_id: str, params: dict[str, Any]) -> None:
    from mlflow.entities import Param

    if params:
        tracking_client(location).log_batch(run_id, params=[Param(k, str(v)[:6000]) for k, v in params.items()])


def end_run(location, run_id: str, status: str) -> None:
    tracking_client(location).set_terminated(run_id, MLFLOW_STATUS.get(status, "FAILED"))


def job_environment(location, run_id: str, experiment: str) -> dict[str, str]:
    """What a job's process needs so that ``mlflow.log_metric`` logs into its own run."""
    return {"MLFLOW_TRACKING_URI": location.tracking_uri, "MLFLOW_RUN_ID": run_id,
            "MLFLOW_EXPERIMENT_NAME": experiment}

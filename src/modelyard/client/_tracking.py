"""The workspace's MLflow tracking store, for runs a notebook logs itself, outside any job
(the Azure ML v1 ``experiment.start_logging()``). Only a workspace on this machine has one to reach."""

from __future__ import annotations

from typing import Any

from modelyard.errors import InvalidInput
from modelyard.services._tracking import experiment_id, tracking_client as _client


def _location(workspace: Any):
    if workspace.location is None:
        raise InvalidInput("runs logged from this process need the workspace's folder on this machine; for a "
                           "workspace reached by URL, submit the code as a job (ws.jobs.create) and log inside it")
    return workspace.location


def tracking_client(workspace: Any):
    """An MlflowClient over the workspace's tracking store."""
    return _client(_location(workspace))


def start_run(workspace: Any, experiment: str, run_name: str | None = None) -> str:
    """A new MLflow run in ``experiment`` (created where jobs create theirs); its run id."""
    location = _location(workspace)
    tags = {"mlflow.runName": run_name} if run_name else {}
    return tracking_client(workspace).create_run(experiment_id(location, experiment), tags=tags).info.run_id

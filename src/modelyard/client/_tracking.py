"""The workspace's MLflow tracking store, for the v1 shim's logging into a run straight from this process
(an ``interactive`` job's run). Only a workspace on this machine has one to reach."""

from __future__ import annotations

from typing import Any

from modelyard.errors import InvalidInput
from modelyard.services._tracking import tracking_client as _client


def _location(workspace: Any):
    if workspace.location is None:
        raise InvalidInput("runs logged from this process need the workspace's folder on this machine; for a "
                           "workspace reached by URL, submit the code as a job (ws.jobs.create) and log inside it")
    return workspace.location


def tracking_client(workspace: Any):
    """An MlflowClient over the workspace's tracking store."""
    return _client(_location(workspace))


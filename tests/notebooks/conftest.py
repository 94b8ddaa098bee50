"""Fixtures for tests of compute instances; the kernel helpers live in tests/lab_kernels.py."""

from __future__ import annotations

import json
import time

import pytest

from server_fixtures import run_cli, workspace_server


def instance_json(name: str, cwd, *flags: str) -> dict:
    done = run_cli("compute", "show", name, *flags, "-o", "json", cwd=cwd)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# How long a wait for the supervisor (stopping a JupyterLab, ending its kernels' runs) may take. Each wait returns
# as soon as its condition holds, so a fixed 30-60 s is never what fails a test on a loaded machine.
PATIENCE = 300


def assert_ended(root, ws, job: str, status: str, why: str) -> None:
    """The interactive job ``job`` ends ``status`` saying ``why`` (bounded wait), and so does its MLflow run."""
    from modelyard.services import workspace as workspaces
    from modelyard.services._tracking import MLFLOW_STATUS, tracking_client

    deadline = time.monotonic() + PATIENCE
    while (ended := ws.jobs.get(job)).status == "Running" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ended.status == status and ended.error.startswith(why), ended
    run = tracking_client(workspaces.load(root)).get_run(ended.mlflow_run_id)
    assert run.info.status == MLFLOW_STATUS[status]


@pytest.fixture(scope="module")
def served_workspace(tmp_path_factory):
    """A workspace with its server running, shared by a module's tests (each makes its own instances)."""
    root = tmp_path_factory.mktemp("notebooks") / "ws"
    with workspace_server(root, "notebooks") as (info, ws):
        yield root, ws

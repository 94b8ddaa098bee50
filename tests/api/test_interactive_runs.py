"""A run a notebook logs itself is a job of type ``interactive``: Running from the start, listed with the jobs,
its MLflow run's metrics on the job, ended by the notebook (or canceled at once)."""

from __future__ import annotations

import mlflow
import pytest

from modelyard import Workspace
from modelyard.errors import Conflict, InvalidInput


def test_an_interactive_run_is_a_running_job_that_its_notebook_completes(ws: Workspace, monkeypatch):
    job = ws.jobs.start_interactive(experiment_name="from-notebook", display_name="exploring")
    assert (job.type, job.status, job.experiment_name, job.display_name) == (
        "interactive", "Running", "from-notebook", "exploring")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", ws.location.tracking_uri)
    with mlflow.start_run(run_id=job.mlflow_run_id):
        mlflow.log_metric("accuracy", 0.8, step=0)
        mlflow.log_metric("accuracy", 0.9, step=1)
    assert ws.jobs.get(job.name).status == "Running"  # the MLflow run ended; the notebook's run goes on
    assert [j.name for j in ws.jobs.list(experiment_name="from-notebook")] == [job.name]

    ended = ws.jobs.end_interactive(job.name)
    assert (ended.status, ended.metrics) == ("Completed", {"accuracy": 0.9})
    assert [p["value"] for p in ws.jobs.metric_history(job.name)["accuracy"]] == [0.8, 0.9]
    with pytest.raises(Conflict, match="has already ended"):
        ws.jobs.end_interactive(job.name, "Failed")


def test_a_failed_or_canceled_interactive_run_ends_at_once(ws: Workspace):
    failed = ws.jobs.end_interactive(ws.jobs.start_interactive().name, "Failed", error="cell 3 raised KeyError")
    assert (failed.status, failed.error, failed.experiment_name) == ("Failed", "cell 3 raised KeyError", "Default")
    canceled = ws.jobs.cancel(ws.jobs.start_interactive().name)
    assert canceled.status == "Canceled"


def test_only_an_interactive_run_is_ended_by_its_caller(ws: Workspace):
    ws.compute.create(name="held", type="cluster", max_instances=1)
    ws.compute.stop("held")
    command = ws.jobs.create({"type": "command", "command": "echo hi", "compute": "held"})
    with pytest.raises(InvalidInput, match=f"job '{command.name}' is a command job"):
        ws.jobs.end_interactive(command.name)
    with pytest.raises(InvalidInput, match="compute: 'nowhere' does not exist"):
        ws.jobs.start_interactive(compute="nowhere")
    with pytest.raises(InvalidInput, match="status"):
        ws.jobs.end_interactive(ws.jobs.start_interactive().name, "Running")

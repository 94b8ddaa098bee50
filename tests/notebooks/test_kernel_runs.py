"""Runs a compute instance's kernel logs with plain MLflow, against a real workspace server: each becomes an
``interactive`` job with its metrics, ending as its MLflow run ends; a crashed instance fails the runs its
kernels left open."""

from __future__ import annotations

import json
import os
import signal
import time

from lab_kernels import read_output, send_code

from .conftest import PATIENCE, assert_ended
from .test_instances import started

PLAIN_MLFLOW = """
import mlflow
with mlflow.start_run(run_name="with-block") as run:
    mlflow.log_metric("auc", 0.8)
    mlflow.set_tag("team", "hr")
ids = {"with": run.info.run_id}
mlflow.start_run(run_name="failed")
mlflow.log_metric("loss", 0.5)
ids["failed"] = mlflow.active_run().info.run_id
mlflow.end_run(status="FAILED")
mlflow.set_experiment("autologged")
mlflow.sklearn.autolog(log_models=False)
from sklearn.linear_model import LogisticRegression
LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])
ids["autolog"] = mlflow.last_active_run().info.run_id
mlflow.sklearn.autolog(disable=True)
ids["open"] = mlflow.start_run(run_name="left-open").info.run_id
mlflow.log_metric("step_loss", 0.25)
print(json.dumps(ids))
"""


def kernel_jobs(ws, instance: str, count: int, settled=lambda jobs: True) -> dict[str, object]:
    """The interactive jobs of ``instance`` by MLflow run id, once ``count`` of them are there and ``settled``."""
    deadline = time.monotonic() + PATIENCE
    while True:
        jobs = {job.mlflow_run_id: job for job in ws.jobs.list() if job.compute == instance}
        if (len(jobs) >= count and settled(jobs)) or time.monotonic() > deadline:
            return jobs
        time.sleep(0.5)


def test_plain_mlflow_runs_in_a_kernel_become_interactive_jobs_that_end_with_them(served_workspace):
    root, ws = served_workspace
    lab = started("nb-mlflow", root)
    channel = lab.kernel_channel(lab.start_kernel())
    try:
        ids = json.loads(read_output(channel, send_code(channel, "import json\n" + PLAIN_MLFLOW)).splitlines()[-1])
        ended = [ids["with"], ids["failed"], ids["autolog"]]  # maybe adopted while running: they end soon after
        jobs = kernel_jobs(ws, "nb-mlflow", 4,
                           lambda jobs: all(jobs[run].status != "Running" for run in ended if run in jobs))
        assert set(jobs) == set(ids.values()), jobs
        by_run = {kind: jobs[run_id] for kind, run_id in ids.items()}
        assert {job.type for job in jobs.values()} == {"interactive"}
        assert {kind: job.status for kind, job in by_run.items()} == {
            "with": "Completed", "failed": "Failed", "autolog": "Completed", "open": "Running"}
        assert by_run["failed"].error == "its MLflow run ended FAILED"
        assert by_run["with"].display_name == "with-block" and by_run["with"].tags == {"team": "hr"}
        assert by_run["autolog"].experiment_name == "autologged"
        assert ws.jobs.metric_history(by_run["with"].name)["auc"][0]["value"] == 0.8
        assert "training_score" in ws.jobs.metric_history(by_run["autolog"].name)

        read_output(channel, send_code(channel, "mlflow.log_metric('step_loss', 0.125)\nmlflow.end_run()"))
        ended = kernel_jobs(ws, "nb-mlflow", 4, lambda jobs: jobs[ids["open"]].status != "Running")[ids["open"]]
        assert ended.status == "Completed"
        assert [point["value"] for point in ws.jobs.metric_history(ended.name)["step_loss"]] == [0.25, 0.125]
    finally:
        channel.close()
    assert len(kernel_jobs(ws, "nb-mlflow", 4)) == 4  # adopted once each


def test_a_crashed_instance_fails_the_runs_its_kernels_left_open(served_workspace):
    root, ws = served_workspace
    lab = started("nb-crash", root)
    v1_style = ws.jobs.start_interactive(experiment_name="from-lab", compute="nb-crash")
    channel = lab.kernel_channel(lab.start_kernel())
    code = "import mlflow\nprint(mlflow.start_run(run_name='open').info.run_id)"
    plain = read_output(channel, send_code(channel, code)).strip()
    channel.close()

    runtime = root / ".modelyard" / "instances" / "nb-crash" / "runtime"
    (server_file,) = runtime.glob("jpserver-*.json")
    os.kill(json.loads(server_file.read_text())["pid"], signal.SIGKILL)

    jobs = kernel_jobs(ws, "nb-crash", 2)
    assert set(jobs) == {v1_style.mlflow_run_id, plain}
    for job in jobs.values():
        assert_ended(root, ws, job.name, "Failed", "compute instance 'nb-crash' crashed (JupyterLab exited with "
                                                   "code -9), ending the kernel")


def test_stopping_an_instance_cancels_a_plain_mlflow_run_its_kernel_left_open(served_workspace):
    """The kernel ends as JupyterLab stops, and MLflow ends its active run at exit (FINISHED): the instance's
    stop still cancels it, since its kernel did not end it."""
    from server_fixtures import run_cli

    root, ws = served_workspace
    lab = started("nb-stop-plain", root)
    channel = lab.kernel_channel(lab.start_kernel())
    code = "import mlflow\nprint(mlflow.start_run(run_name='open').info.run_id)"
    plain = read_output(channel, send_code(channel, code)).strip()
    channel.close()
    done = run_cli("compute", "stop", "nb-stop-plain", cwd=root)
    assert done.returncode == 0, done.stderr
    (job,) = kernel_jobs(ws, "nb-stop-plain", 1).values()
    assert job.mlflow_run_id == plain
    assert_ended(root, ws, job.name, "Canceled", "compute instance 'nb-stop-plain' stopped, ending the kernel")

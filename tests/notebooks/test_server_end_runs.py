"""The runs a compute instance's kernels left open when the workspace server itself ends, against real server
processes: a clean stop cancels them as it stops the instance's JupyterLab; a server killed with SIGKILL leaves
JupyterLab running, and the next server on the workspace follows its kernels' runs a last time, ends it and fails
the runs still open. Either way no job stays Running, and each MLflow run ends with its job."""

from __future__ import annotations

import os
import signal
import time
from datetime import datetime, timezone
from types import SimpleNamespace

from lab_kernels import read_output, send_code
from server_fixtures import workspace_server

from modelyard import Workspace, server as servers
from modelyard.services import workspace as workspaces

from .conftest import assert_ended
from .test_instances import lab_answers, started
from .test_kernel_runs import kernel_jobs

OPEN_RUN = "import mlflow\nprint(mlflow.start_run(run_name='{}').info.run_id)"


def instance_with_a_v1_run(ws, root, name: str):
    """Instance ``name`` running, with a run logged on it the v1 way: (its JupyterLab, that run's job, a new
    kernel's channel)."""
    lab = started(name, root)
    v1_style = ws.jobs.start_interactive(experiment_name="from-lab", compute=name)
    return lab, v1_style, lab.kernel_channel(lab.start_kernel())


def cell(channel, code: str) -> str:
    return read_output(channel, send_code(channel, code)).strip()


def killed(pid: int) -> None:
    """SIGKILL the server ``pid`` (our child) and wait, bounded, until it is dead and reaped."""
    from modelyard._processes import pid_alive

    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not pid_alive(pid)


def mlflow_time(milliseconds: int) -> datetime:
    return datetime.fromtimestamp(milliseconds / 1000, timezone.utc)


def test_a_clean_server_stop_cancels_the_runs_kernels_left_open(tmp_path):
    from modelyard.services._context import ServiceContext
    from modelyard.services.jobs import JobService

    root = tmp_path / "ws"
    with workspace_server(root, "stopped") as (_, ws):
        lab, v1_style, channel = instance_with_a_v1_run(ws, root, "nb-down")
        plain = cell(channel, OPEN_RUN.format("open"))
        channel.close()
        jobs = kernel_jobs(ws, "nb-down", 2)
        assert set(jobs) == {v1_style.mlflow_run_id, plain}

        location = workspaces.load(root)
        servers.stop(location)
        assert servers.running(location) is None and not lab_answers(lab)
        context = ServiceContext.open(location)  # the store as the stopped server left it
        try:
            for job in jobs.values():
                assert_ended(root, SimpleNamespace(jobs=JobService(context)), job.name, "Canceled",
                             "compute instance 'nb-down' stopped with the workspace server, ending the kernel")
        finally:
            context.close()


def test_runs_a_killed_server_left_open_end_as_the_next_server_starts(tmp_path):
    from modelyard.services._tracking import tracking_client

    root = tmp_path / "ws"
    with workspace_server(root, "killed") as (info, ws):
        lab, v1_style, channel = instance_with_a_v1_run(ws, root, "nb-kill")
        try:
            ended = cell(channel, OPEN_RUN.format("ended-meanwhile"))
            kernel_jobs(ws, "nb-kill", 2)  # adopted by the server, which then dies
            killed(info.pid)
            # JupyterLab lives on, and so does its kernel: it ends its run and leaves a new one open
            left_open = cell(channel, "mlflow.end_run()\n" + OPEN_RUN.format("left-open"))
        finally:
            channel.close()
        assert lab_answers(lab)

        location = workspaces.load(root)
        servers.start_detached(location, "127.0.0.1", 0)
        with Workspace(root) as after:
            jobs = kernel_jobs(after, "nb-kill", 3, lambda jobs: all(job.status != "Running" for job in jobs.values()))
            assert set(jobs) == {v1_style.mlflow_run_id, ended, left_open}
            assert not lab_answers(lab)
            runs = {run_id: tracking_client(location).get_run(run_id).info for run_id in (ended, left_open)}
            assert jobs[ended].status == "Completed"
            assert jobs[ended].ended_at == mlflow_time(runs[ended].end_time)  # not when the next server saw it
            assert jobs[left_open].created_at == jobs[left_open].started_at == mlflow_time(runs[left_open].start_time)
            for run_id in (v1_style.mlflow_run_id, left_open):
                assert_ended(root, after, jobs[run_id].name, "Failed",
                             "compute instance 'nb-kill' stopped after the workspace server died, ending the kernel")

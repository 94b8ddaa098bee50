"""Crashes: the server or a worker killed with SIGKILL never loses a job or leaves one Running forever."""

import os
import signal
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from modelyard import Workspace
from modelyard import server as servers
from modelyard.services import workspace as workspaces

TIMEOUT = 600  # a hang guard under pytest-timeout's 900 s: a loaded machine may take this long


@pytest.fixture
def location(workspace_root: Path):
    location = workspaces.load(workspace_root)
    yield location
    servers.stop(location)


def code(tmp_path: Path, seconds: float) -> str:
    folder = tmp_path / f"src{seconds}"
    folder.mkdir(exist_ok=True)
    (folder / "main.py").write_text(textwrap.dedent(f"""
        import sys, time
        print("started", flush=True)
        time.sleep({seconds})
        open(sys.argv[1], "w").write("done")
    """))
    return str(folder)


def submit(ws, tmp_path: Path, marker: str, seconds: float, **fields):
    return ws.jobs.create({"type": "command", "code": code(tmp_path, seconds), "compute": "single",
                           "command": f"python main.py {tmp_path / marker}", **fields}).name


def wait_status(ws, name: str, wanted: set[str], timeout: float = TIMEOUT) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = ws.jobs.get(name).status
        if status in wanted:
            return status
        time.sleep(0.2)
    raise AssertionError(f"job {name} still {ws.jobs.get(name).status}, wanted {wanted}")


def worker_pid(location, job: str) -> int:
    from modelyard.services._context import ServiceContext
    from modelyard.store import InstanceRow, JobRow

    context = ServiceContext.open(location)
    try:
        with context.session() as session:
            instance_id = session.scalar(select(JobRow.instance_id).where(JobRow.name == job))
            return session.get(InstanceRow, instance_id).pid
    finally:
        context.close()


def gone(pid: int) -> None:
    """Wait until a killed process is really dead (and reaped, as it is our child)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
        except ChildProcessError:
            return
        time.sleep(0.05)


def start(location) -> Workspace:
    servers.start_detached(location, "127.0.0.1", 0)
    return Workspace(location.root)


def test_server_killed_queued_jobs_run_after_restart_and_running_jobs_finish(location, tmp_path: Path):
    ws = start(location)
    ws.compute.create(name="single", type="cluster", max_instances=1, idle_time_before_scale_down=30)
    running = submit(ws, tmp_path, "a", 4)
    queued = submit(ws, tmp_path, "b", 0)
    wait_status(ws, running, {"Running"})
    server_pid = servers.running(location).pid
    os.kill(server_pid, signal.SIGKILL)
    ws.close()
    gone(server_pid)
    ws = start(location)
    assert wait_status(ws, running, {"Completed", "Failed"}) == "Completed"
    assert wait_status(ws, queued, {"Completed", "Failed"}) == "Completed"
    assert (tmp_path / "a").read_text() == (tmp_path / "b").read_text() == "done"
    ws.close()


def test_worker_killed_fails_the_job_with_worker_lost(location, tmp_path: Path):
    ws = start(location)
    ws.compute.create(name="single", type="cluster", max_instances=1, idle_time_before_scale_down=30)
    name = submit(ws, tmp_path, "c", 60)
    wait_status(ws, name, {"Running"})
    os.kill(worker_pid(location, name), signal.SIGKILL)
    assert wait_status(ws, name, {"Completed", "Failed"}) == "Failed"
    assert "worker lost" in ws.jobs.get(name).error
    after = submit(ws, tmp_path, "d", 0)
    assert wait_status(ws, after, {"Completed", "Failed"}) == "Completed", "the pool replaces a lost worker"
    ws.close()


def test_worker_killed_is_retried_per_max_retries(location, tmp_path: Path):
    ws = start(location)
    ws.compute.create(name="single", type="cluster", max_instances=1, idle_time_before_scale_down=30)
    folder = tmp_path / "retry"
    folder.mkdir()
    (folder / "main.py").write_text(textwrap.dedent(f"""
        import os, time
        from pathlib import Path
        first = not Path({str(tmp_path / 'attempted')!r}).exists()
        Path({str(tmp_path / 'attempted')!r}).write_text("1")
        print("attempt", os.environ.get("MODELYARD_JOB_NAME"), flush=True)
        time.sleep(60 if first else 0)
    """))
    name = ws.jobs.create({"type": "command", "code": str(folder), "command": "python main.py",
                           "compute": "single", "max_retries": 1}).name
    wait_status(ws, name, {"Running"})
    deadline = time.monotonic() + 30
    while not (tmp_path / "attempted").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    os.kill(worker_pid(location, name), signal.SIGKILL)
    assert wait_status(ws, name, {"Completed", "Failed"}) == "Completed"
    assert ws.jobs.get(name).attempt == 2
    ws.close()


def test_server_and_worker_killed_together(location, tmp_path: Path):
    ws = start(location)
    ws.compute.create(name="single", type="cluster", max_instances=1, idle_time_before_scale_down=30)
    running = submit(ws, tmp_path, "e", 60)
    queued = submit(ws, tmp_path, "f", 0)
    wait_status(ws, running, {"Running"})
    worker = worker_pid(location, running)
    server_pid = servers.running(location).pid
    os.kill(server_pid, signal.SIGKILL)
    os.kill(worker, signal.SIGKILL)
    ws.close()
    gone(server_pid)
    ws = start(location)
    assert wait_status(ws, running, {"Completed", "Failed"}, timeout=90) == "Failed"
    assert "worker lost" in ws.jobs.get(running).error
    assert wait_status(ws, queued, {"Completed", "Failed"}) == "Completed"
    ws.close()

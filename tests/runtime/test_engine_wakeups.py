"""The server listens before its engines warm up, and an idle scheduler sleeps until something is submitted:
either way a submitted job still runs."""

import time
from pathlib import Path

import pytest

from modelyard.services import workspace as workspaces

TIMEOUT = 600  # a hang guard under pytest-timeout's 900 s: a loaded machine may take this long


def _run_marker_job(jobs, marker: Path, deadline: float) -> None:
    name = jobs.create({"type": "command", "compute": "local",
                        "command": f"python -c \"open(r'{marker}', 'w').write('ran')\""}).name
    while jobs.get(name).status not in ("Completed", "Failed", "Canceled") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert jobs.get(name).status == "Completed", jobs.logs(name)["text"]
    assert marker.read_text() == "ran"


def test_a_job_submitted_to_a_sleeping_scheduler_wakes_it(workspace_root: Path, tmp_path: Path, monkeypatch):
    """And while only an idle worker lives, the scheduler ticks at that slower pace, not every quarter second:
    the next job still runs at once, taken by the worker."""
    from modelyard.runtime import Engines, _scheduler
    from modelyard.services._context import ServiceContext
    from modelyard.services.jobs import JobService

    # were the scheduler to poll instead of waking on the submit, this job would wait an hour
    monkeypatch.setattr(_scheduler, "IDLE_SECONDS", 3600.0)
    monkeypatch.setattr(_scheduler, "WORKERS_IDLE_SECONDS", 3600.0)
    context = ServiceContext.open(workspaces.load(workspace_root))
    engines = Engines(context).start()
    try:
        deadline = time.monotonic() + TIMEOUT
        while context.changed.is_set() and time.monotonic() < deadline:  # its first ticks
            time.sleep(0.1)
        time.sleep(2)  # idle: the scheduler is waiting on the event now
        assert engines.scheduler._thread.is_alive() and not context.changed.is_set()
        jobs = JobService(context)
        _run_marker_job(jobs, tmp_path / "ran.txt", deadline)

        ticks = []
        tick = engines.scheduler.tick
        monkeypatch.setattr(engines.scheduler, "tick", lambda: ticks.append(1) or tick())
        time.sleep(3)  # the worker that ran the job idles, so the scheduler waits WORKERS_IDLE_SECONDS
        assert len(ticks) <= 1, f"{len(ticks)} ticks in 3 s while only an idle worker lives"
        _run_marker_job(jobs, tmp_path / "ran-again.txt", deadline)
    finally:
        engines.stop()
        context.close()


def test_a_job_submitted_as_soon_as_the_server_answers_runs(workspace_root: Path, tmp_path: Path):
    from modelyard import Workspace
    from modelyard import server as servers

    servers.start_detached(workspaces.load(workspace_root), "127.0.0.1", 0)  # answers before MLflow is ready
    marker = tmp_path / "ran.txt"
    with Workspace(workspace_root) as ws:
        name = ws.jobs.create({"type": "command", "compute": "local",
                               "command": f"python -c \"open(r'{marker}', 'w').write('ran')\""}).name
        done = ws.jobs.wait(name, timeout=TIMEOUT)
        assert done.status == "Completed", ws.jobs.logs(name)["text"]
        assert done.mlflow_run_id and marker.read_text() == "ran"

"""An idle server's scheduler sleeps until something is submitted, and a submitted job still starts at once."""

import time
from pathlib import Path

import pytest

from modelyard.services import workspace as workspaces

TIMEOUT = 120


def test_a_job_submitted_to_a_sleeping_scheduler_wakes_it(workspace_root: Path, tmp_path: Path, monkeypatch):
    from modelyard.runtime import Engines, _scheduler
    from modelyard.services._context import ServiceContext
    from modelyard.services.jobs import JobService

    # were the scheduler to poll instead of waking on the submit, this job would wait an hour
    monkeypatch.setattr(_scheduler, "IDLE_SECONDS", 3600.0)
    context = ServiceContext.open(workspaces.load(workspace_root))
    engines = Engines(context).start()
    try:
        deadline = time.monotonic() + TIMEOUT
        while context.changed.is_set() and time.monotonic() < deadline:  # its first ticks
            time.sleep(0.1)
        time.sleep(2)  # idle: the scheduler is waiting on the event now
        assert engines.scheduler._thread.is_alive() and not context.changed.is_set()
        marker = tmp_path / "ran.txt"
        jobs = JobService(context)
        name = jobs.create({"type": "command", "compute": "local",
                            "command": f"python -c \"open(r'{marker}', 'w').write('ran')\""}).name
        while jobs.get(name).status not in ("Completed", "Failed", "Canceled") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert jobs.get(name).status == "Completed", jobs.logs(name)["text"]
        assert marker.read_text() == "ran"
    finally:
        engines.stop()
        context.close()

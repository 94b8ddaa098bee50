"""A server stopped while its engines are still starting: the start-up, once it gets to them, starts nothing;
and the start-up no longer opens MLflow's tracking store (seconds on a loaded machine), so that a held store
lock keeps neither the start nor the stop waiting."""

from __future__ import annotations

import fcntl
import threading
from pathlib import Path

from modelyard.services import workspace as workspaces

TIMEOUT = 120  # a hang guard: a start-up or a stop that waited for the held lock would never return


def test_engines_stopped_before_their_start_up_runs_start_nothing(workspace_root: Path):
    from modelyard.runtime import Engines
    from modelyard.services._context import ServiceContext

    location = workspaces.load(workspace_root)
    context = ServiceContext.open(location)
    try:
        engines = Engines(context)
        engines.stop()  # the server stopped before the background start-up got its turn
        engines.start_in_background()._warming.join(TIMEOUT)
        assert not engines._warming.is_alive()
        assert not engines.scheduler.started and not engines.schedules._thread.is_alive()
    finally:
        context.close()


def test_the_start_up_and_the_stop_do_not_wait_for_the_tracking_store(workspace_root: Path):
    from modelyard.runtime import Engines
    from modelyard.services._context import ServiceContext

    location = workspaces.load(workspace_root)
    context = ServiceContext.open(location)
    # the tracking store's creation lock, held (as by another process creating a slow MLflow store)
    with open(location.folder / "tracking.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        engines = Engines(context).start_in_background()
        engines._warming.join(TIMEOUT)
        try:
            assert not engines._warming.is_alive() and engines.scheduler.started
        finally:
            stopper = threading.Thread(target=engines.stop, daemon=True)
            stopper.start()
            stopper.join(TIMEOUT)
            context.close()
        assert not stopper.is_alive()
    assert not (location.folder / "mlflow.db").exists() or (location.folder / "mlflow.db").stat().st_size == 0

"""A workspace with a running server (scheduler and pools) shared by a test module."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def running(tmp_path_factory, hr_csv: Path):
    """(workspace root, SDK Workspace over HTTP) with the HR dataset registered and a 'cpucluster'."""
    from modelyard import Workspace
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    root = tmp_path_factory.mktemp("runtime") / "ws"
    location = workspaces.create(root, name="runtime")
    previous = os.environ.pop("MODELYARD_WORKSPACE", None)
    info = servers.start_detached(location, "127.0.0.1", 0)
    ws = Workspace(root)
    ws.data.create(name="employeeattrition", type="mltable", path=str(hr_csv), profile=False)
    ws.compute.create(name="cpucluster", type="cluster", min_instances=0, max_instances=2,
                      idle_time_before_scale_down=2)
    try:
        yield root, ws
    finally:
        ws.close()
        servers.stop(location)
        if previous is not None:
            os.environ["MODELYARD_WORKSPACE"] = previous


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path

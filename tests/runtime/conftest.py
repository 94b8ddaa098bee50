"""A workspace with a running server (scheduler and pools) shared by a test module."""

from __future__ import annotations

from pathlib import Path

import pytest

from server_fixtures import workspace_server


@pytest.fixture(scope="module")
def running(tmp_path_factory, hr_csv: Path):
    """(workspace root, SDK Workspace over HTTP) with the HR dataset registered and a 'cpucluster'."""
    root = tmp_path_factory.mktemp("runtime") / "ws"
    with workspace_server(root, "runtime") as (_, ws):
        ws.data.create(name="employeeattrition", type="mltable", path=str(hr_csv), profile=False)
        ws.compute.create(name="cpucluster", type="cluster", min_instances=0, max_instances=2,
                          idle_time_before_scale_down=2)
        yield root, ws


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text)
    return path

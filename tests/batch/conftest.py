"""A workspace server with the HR dataset, a cluster compute and a registered attrition model."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS / "endpoints")]

from server_fixtures import workspace_server  # noqa: E402
from workshop_rows import register_pipeline  # noqa: E402


@dataclass
class Scoring:
    root: Path
    ws: object
    model: object  # the fitted pipeline registered as attrition:1
    frame: object  # the HR rows it reads (pandas)


@pytest.fixture(scope="module")
def scoring(tmp_path_factory, hr_csv: Path) -> Scoring:
    root = tmp_path_factory.mktemp("batch") / "ws"
    with workspace_server(root, "batch") as (_, ws):
        model, frame = register_pipeline(ws, hr_csv, root.parent / "model")
        ws.data.create(name="employeeattrition", type="mltable", path=str(hr_csv), profile=False)
        ws.compute.create(name="cpucluster", type="cluster", min_instances=0, max_instances=1,
                          idle_time_before_scale_down=5)
        yield Scoring(root, ws, model, frame)

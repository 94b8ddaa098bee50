"""A workspace server with the HR data (profiled) and the workshop's logistic regression registered as attrition:1."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS / "endpoints")]

from server_fixtures import workspace_server  # noqa: E402
from workshop_rows import register_pipeline  # noqa: E402

JOB_SECONDS = 300  # every wait for an analysis job is bounded


@dataclass
class Analysed:
    root: Path
    url: str  # the server's base URL, for plain REST calls
    ws: object
    model: object  # the fitted pipeline registered as attrition:1
    frame: object  # the HR rows as the test read them (pandas, target included)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory, hr_csv: Path) -> Analysed:
    import pandas as pd

    root = tmp_path_factory.mktemp("explain-api") / "ws"
    with workspace_server(root, "explain") as (info, ws):
        model, _ = register_pipeline(ws, hr_csv, root.parent / "model")
        ws.data.create(name="employeeattrition", type="mltable", path=str(hr_csv))
        yield Analysed(root, info.url, ws, model, pd.read_csv(hr_csv, encoding="utf-8-sig"))

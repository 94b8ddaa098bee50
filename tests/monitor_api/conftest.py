"""A workspace server with the HR data as the reference and a production asset with a timestamp column.

The production rows are resampled from the HR table over three days: 2026-01-01 as the reference is,
2026-01-02 and 2026-01-03 shifted (Age +5, MonthlyIncome +3000, 15% of BusinessTravel a new category).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from server_fixtures import workspace_server

JOB_SECONDS = 300  # every wait for a monitor run is bounded
SHIFTED = {"Age", "MonthlyIncome", "BusinessTravel"}
FIRST_DAY = datetime(2026, 1, 1, tzinfo=timezone.utc)
ROWS_PER_DAY = 2000


@dataclass
class Monitored:
    root: Path
    url: str
    ws: object


def production_rows(hr, day: int, shift: bool):
    rng = np.random.default_rng(day)
    rows = hr.iloc[rng.integers(0, len(hr), ROWS_PER_DAY)].drop(columns=["Attrition"]).reset_index(drop=True)
    if shift:
        rows["Age"] += 5
        rows["MonthlyIncome"] += 3000
        rows.loc[rng.random(ROWS_PER_DAY) < 0.15, "BusinessTravel"] = "Travel_Weekly"
    seconds = rng.integers(0, 86_400, ROWS_PER_DAY)
    rows.insert(0, "scored_at", [(FIRST_DAY + timedelta(days=day, seconds=int(s))).isoformat() for s in seconds])
    return rows


def monitor_document(name: str = "hr-drift", **signal) -> dict:
    return {"$schema": "https://azuremlschemas.azureedge.net/latest/monitorDefinition.schema.json",
            "name": name, "frequency": "day",
            "monitoring_target": {
                "ml_task": "classification",
                "production_data": {"input_data": {"path": "azureml:hr-production@latest", "type": "mltable"},
                                    "timestamp_column": "scored_at"},
                "reference_data": {"input_data": {"path": "azureml:hr@latest", "type": "mltable"},
                                   "data_context": "training", "target_column_name": "Attrition"}},
            "monitoring_signals": {"drift": {"type": "data_drift", **signal}}}


def register_data(ws, hr_csv: Path, folder: Path) -> None:
    """The HR table as data asset ``hr`` and three days of production rows as ``hr-production``."""
    import pandas as pd

    hr = pd.read_csv(hr_csv, encoding="utf-8-sig")
    production = pd.concat([production_rows(hr, 0, False), production_rows(hr, 1, True),
                            production_rows(hr, 2, True)])
    production_csv = folder / "hr-production.csv"
    production.to_csv(production_csv, index=False)
    ws.data.create(name="hr", type="mltable", path=str(hr_csv))
    ws.data.create(name="hr-production", type="mltable", path=str(production_csv))


@pytest.fixture(scope="module")
def monitored(tmp_path_factory, hr_csv: Path) -> Monitored:
    root = tmp_path_factory.mktemp("monitor-api") / "ws"
    with workspace_server(root, "monitors") as (info, ws):
        register_data(ws, hr_csv, root.parent)
        yield Monitored(root, info.url, ws)

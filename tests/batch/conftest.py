"""A workspace server with the HR dataset, a cluster compute and a registered attrition model."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS / "endpoints")]

from workshop_rows import train_pipeline  # noqa: E402


@dataclass
class Scoring:
    root: Path
    ws: object
    model: object  # the fitted pipeline registered as attrition:1
    frame: object  # the HR rows it reads (pandas)


@pytest.fixture(scope="module")
def scoring(tmp_path_factory, hr_csv: Path) -> Scoring:
    import mlflow.sklearn
    from mlflow.models import infer_signature

    from modelyard import Workspace
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    root = tmp_path_factory.mktemp("batch") / "ws"
    location = workspaces.create(root, name="batch")
    previous = os.environ.pop("MODELYARD_WORKSPACE", None)
    servers.start_detached(location, "127.0.0.1", 0)
    ws = Workspace(root)
    model, frame = train_pipeline(hr_csv)
    folder = root.parent / "model"
    mlflow.sklearn.save_model(model, folder, serialization_format="cloudpickle",
                              signature=infer_signature(frame, model.predict(frame)), input_example=frame.head(2))
    ws.models.create(name="attrition", path=str(folder))
    ws.data.create(name="employeeattrition", type="mltable", path=str(hr_csv), profile=False)
    ws.compute.create(name="cpucluster", type="cluster", min_instances=0, max_instances=1,
                      idle_time_before_scale_down=5)
    try:
        yield Scoring(root, ws, model, frame)
    finally:
        ws.close()
        servers.stop(location)
        if previous is not None:
            os.environ["MODELYARD_WORKSPACE"] = previous

"""A workspace server with an attrition model registered, for endpoint tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workshop_rows import train_pipeline


@pytest.fixture(scope="module")
def served(tmp_path_factory, hr_csv: Path):
    """(root, SDK Workspace) with model 'attrition' versions 1 and 2 registered and a running server."""
    import mlflow.sklearn
    from mlflow.models import infer_signature

    from modelyard import Workspace
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    root = tmp_path_factory.mktemp("endpoints") / "ws"
    location = workspaces.create(root, name="endpoints")
    previous = os.environ.pop("MODELYARD_WORKSPACE", None)
    servers.start_detached(location, "127.0.0.1", 0)
    ws = Workspace(root)
    for version, C in ((1, 1.0), (2, 0.01)):
        model, frame = train_pipeline(hr_csv, C)
        folder = root.parent / f"model{version}"
        mlflow.sklearn.save_model(model, folder, serialization_format="cloudpickle",
                                  signature=infer_signature(frame, model.predict(frame)), input_example=frame.head(2))
        ws.models.create(name="attrition", path=str(folder))
    try:
        yield root, ws
    finally:
        ws.close()
        servers.stop(location)
        if previous is not None:
            os.environ["MODELYARD_WORKSPACE"] = previous

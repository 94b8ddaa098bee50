"""The model registry through the SDK: every source, versions, aliases, lineage and integrity."""

import pickle
from pathlib import Path

import pytest
from sklearn.linear_model import LogisticRegression

from modelyard.automl._mlflow import requirements
from modelyard.errors import Conflict, InvalidInput, NotFound


@pytest.fixture
def fitted():
    return LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1])


@pytest.fixture
def mlflow_folder(tmp_path: Path, fitted) -> Path:
    import mlflow.sklearn

    target = tmp_path / "mlflow_model"
    mlflow.sklearn.save_model(fitted, target, serialization_format="cloudpickle", pip_requirements=requirements())
    return target


def test_local_mlflow_folder_and_pickle(ws, mlflow_folder: Path, tmp_path: Path, fitted):
    model = ws.models.create(name="attrition", path=str(mlflow_folder), description="first")
    assert (model.version, model.type) == (1, "mlflow_model") and "sklearn" in model.flavors
    pickled = tmp_path / "model.pkl"
    pickled.write_bytes(pickle.dumps(fitted))
    custom = ws.models.create(name="attrition", path=str(pickled))
    assert (custom.version, custom.type) == (2, "custom_model")
    import hashlib

    assert custom.sha256 == hashlib.sha256(pickled.read_bytes()).hexdigest()
    assert ws.models.get("attrition").version == 2 and ws.models.get("attrition@latest").version == 2
    out = ws.models.download("attrition:1", tmp_path / "dl")
    assert (out / "MLmodel").is_file()


def test_from_an_mlflow_run_with_lineage(ws, workspace_root: Path, fitted):
    import mlflow
    import mlflow.sklearn

    mlflow.set_tracking_uri(f"sqlite:///{workspace_root / '.modelyard' / 'mlflow.db'}")
    with mlflow.start_run() as run:
        mlflow.log_metric("AUC", 0.81)
        mlflow.sklearn.log_model(fitted, name="model", serialization_format="cloudpickle",
                                 pip_requirements=requirements())
    model = ws.models.create(name="from-run", path=f"runs:/{run.info.run_id}/model")
    assert model.lineage["mlflow_run_id"] == run.info.run_id and model.lineage["metrics"] == {"AUC": 0.81}
    with pytest.raises(InvalidInput, match="cannot read runs:/nope/model"):
        ws.models.create(name="from-run", path="runs:/nope/model")


def test_the_same_content_answers_the_version_registered_before_unless_forced(ws, mlflow_folder: Path, tmp_path,
                                                                              fitted):
    first = ws.models.create(name="same", path=str(mlflow_folder))
    assert ws.models.create(name="same", path=str(mlflow_folder)).version == first.version == 1
    assert ws.models.create(name="same", path=str(mlflow_folder), force_new_version=True).version == 2
    assert ws.models.create(name="other", path=str(mlflow_folder)).version == 1, "one name does not answer another"
    pickled = tmp_path / "model.pkl"
    pickled.write_bytes(pickle.dumps(fitted))
    assert ws.models.create(name="same", path=str(pickled)).version == 3
    ws.models.archive("same:3")
    assert ws.models.create(name="same", path=str(pickled)).version == 4, "an archived version is not answered"
    assert [m.version for m in ws.models.list("same")] == [4, 2, 1]


def test_aliases_archive_and_immutability(ws, mlflow_folder: Path):
    ws.models.create(name="m", path=str(mlflow_folder))
    ws.models.create(name="m", path=str(mlflow_folder), force_new_version=True)
    assert ws.models.update("m:1", set_aliases=["champion"]).aliases == ["champion"]
    assert ws.models.get("m@champion").version == 1
    ws.models.update("m:2", set_aliases=["champion"])
    assert ws.models.get("m@champion").version == 2 and ws.models.get("m:1").aliases == []
    with pytest.raises(NotFound, match="@challenger"):
        ws.models.get("m@challenger")
    with pytest.raises(InvalidInput, match="latest"):
        ws.models.update("m:1", set_aliases=["latest"])
    ws.models.archive("m:2")
    assert ws.models.get("m").version == 1 and [m.version for m in ws.models.list("m")] == [1]
    with pytest.raises(Conflict, match="immutable"):
        ws.models.create(name="m", version=1, path=str(mlflow_folder))


def test_bad_sources_leave_nothing_behind(ws, workspace_root: Path, tmp_path: Path):
    (tmp_path / "notes.txt").write_text("not a model")
    for path, fragment in ((str(tmp_path / "missing"), "does not exist"),
                           (str(tmp_path / "notes.txt"), "neither an MLflow model"),
                           ("job:nope/outputs/model", "job 'nope' not found"),
                           ("job:nope", "job 'nope' not found")):
        with pytest.raises(InvalidInput, match=fragment):
            ws.models.create(name="bad", path=path)
    with pytest.raises(InvalidInput, match="not allowed"):
        ws.models.create(name="../bad", path=str(tmp_path))
    assert ws.models.list(include_archived=True) == []
    assert not (workspace_root / ".modelyard" / "artifacts" / "models").exists() or \
        not any((workspace_root / ".modelyard" / "artifacts" / "models").iterdir())


def test_a_tampered_file_is_refused_before_loading(ws, workspace_root: Path, tmp_path: Path, fitted):
    from modelyard.services._context import ServiceContext
    from modelyard.services.models import ModelService
    from modelyard.services import workspace as workspaces

    pickled = tmp_path / "model.pkl"
    pickled.write_bytes(pickle.dumps(fitted))
    model = ws.models.create(name="p", path=str(pickled))
    stored = Path(model.path.removeprefix("file://")) / "model.pkl"
    stored.write_bytes(pickle.dumps("evil"))
    context = ServiceContext.open(workspaces.load(workspace_root))
    try:
        service = ModelService(context)
        with pytest.raises(InvalidInput, match="changed since it was registered"):
            with service.local_folder("p:1"):
                pass
    finally:
        context.close()


def test_package_serves_the_model_with_the_same_contract(ws, tmp_path: Path, hr_csv: Path):
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx
    import mlflow.sklearn
    import pandas as pd
    from mlflow.models import infer_signature
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    frame = pd.read_csv(hr_csv, encoding="utf-8-sig")[["Age", "OverTime", "Attrition"]]
    target = frame.pop("Attrition")
    model = Pipeline([("f", ColumnTransformer([("c", OneHotEncoder(handle_unknown="ignore"), ["OverTime"])],
                                              remainder="passthrough")),
                      ("m", LogisticRegression(max_iter=500))]).fit(frame, target)
    mlflow.sklearn.save_model(model, tmp_path / "m", serialization_format="cloudpickle",
                              signature=infer_signature(frame, model.predict(frame)))
    ws.models.create(name="packaged", path=str(tmp_path / "m"))
    out = ws.models.package("packaged@latest", tmp_path / "pkg")
    assert {p.name for p in out.iterdir()} >= {"model", "vendor", "requirements.txt", "serve.py", "Dockerfile"}
    assert any(line.startswith("scikit-learn==") for line in (out / "requirements.txt").read_text().splitlines())
    with pytest.raises(Conflict):
        ws.models.package("packaged:1", tmp_path / "pkg")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "serve.py"], cwd=out, env={**os.environ, "PORT": str(port)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/ready").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        reply = httpx.post(f"http://127.0.0.1:{port}/score", json={"data": [{"Age": 30, "OverTime": "Yes"}]})
        assert reply.status_code == 200 and reply.json()["result"] == list(
            model.predict(pd.DataFrame([{"Age": 30, "OverTime": "Yes"}])))
    finally:
        server.terminate()
        server.wait(10)

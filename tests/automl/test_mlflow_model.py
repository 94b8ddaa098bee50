"""The MLflow model contract: save, load with mlflow.sklearn, predict and predict_proba on raw CSV columns."""

from __future__ import annotations

import pandas as pd

from modelyard.automl import log_model_to_run, save_model


def test_best_model_saves_and_loads_with_mlflow_sklearn(hr_run, hr_csv, tmp_path):
    import mlflow.sklearn
    from mlflow.models import Model

    result, _, _ = hr_run
    raw = pd.read_csv(hr_csv, encoding="utf-8-sig").drop(columns="Attrition")
    path = save_model(result.best, tmp_path / "model", input_example=raw)
    meta = Model.load(str(path / "MLmodel"))
    assert meta.signature is not None and "Age" in meta.signature.inputs.input_names()
    assert meta.flavors["sklearn"]["serialization_format"] == "cloudpickle"
    assert (path / "input_example.json").exists()
    loaded = mlflow.sklearn.load_model(str(path))
    proba = loaded.predict_proba(raw.head(50))
    assert proba.shape == (50, 2) and ((proba >= 0) & (proba <= 1)).all()
    assert set(loaded.predict(raw.head(50))) <= {"No", "Yes"}
    assert list(loaded.classes_) == ["No", "Yes"]
    pyfunc = mlflow.pyfunc.load_model(str(path))
    assert len(pyfunc.predict(raw.head(5))) == 5


def test_log_model_to_run_returns_a_runs_uri(hr_run, hr, tmp_path, monkeypatch):
    import mlflow
    import mlflow.sklearn

    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{tmp_path / 'mlflow.db'}")
    mlflow.set_tracking_uri(f"sqlite:///{tmp_path / 'mlflow.db'}")
    result, _, _ = hr_run
    raw = hr.drop(columns="Attrition")
    experiment = mlflow.create_experiment("automl", artifact_location=(tmp_path / "artifacts").as_uri())
    run = mlflow.MlflowClient().create_run(experiment)
    uri = log_model_to_run(result.best, run.info.run_id, input_example=raw)
    assert uri == f"runs:/{run.info.run_id}/model"
    model = mlflow.sklearn.load_model(uri)
    assert model.predict_proba(raw.head(3)).shape == (3, 2)

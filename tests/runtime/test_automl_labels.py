"""Class labels of every type a CSV can carry go through a real AutoML job and come back as the user's labels:
in the job's properties, the leaderboard, charts.json, the MLflow model's classes_ and its predictions, and
an endpoint's answers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

TIMEOUT = 600  # a hang guard under pytest-timeout's 900 s: a loaded machine may take this long
ROWS = 240

# name -> (labels as written to the CSV from a boolean, the labels the user expects back)
LABELS = {
    "int01": (lambda b: b.astype(int), [0, 1]),
    "int0to9": (None, list(range(10))),
    "bool": (lambda b: b, [False, True]),
    "float01": (lambda b: b.astype(float), [0.0, 1.0]),
    "string": (lambda b: b.map({True: "left", False: "stayed"}), ["left", "stayed"]),
    "int_with_missing": (lambda b: pd.Series(b.astype(int)).astype("Int64").mask(np.arange(len(b)) % 17 == 3),
                         [0, 1]),
}


def table(kind: str) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=ROWS), "b": rng.normal(size=ROWS),
                          "shop": rng.choice(["north", "south"], ROWS)})
    signal = frame.a + 0.7 * frame.b + rng.normal(scale=0.3, size=ROWS)
    encode, _ = LABELS[kind]
    if encode is None:   # ten classes 0-9 by deciles of the signal
        frame["label"] = np.digitize(signal, np.quantile(signal, np.linspace(0, 1, 11)[1:-1]))
    else:
        frame["label"] = encode(signal > 0)
    return frame


@pytest.mark.parametrize("kind", list(LABELS))
def test_labels_of_every_type_round_trip_through_a_job(running, tmp_path: Path, kind: str):
    import mlflow

    root, ws = running
    frame = table(kind)
    path = tmp_path / f"{kind}.csv"
    frame.to_csv(path, index=False)
    expected = LABELS[kind][1]
    spec = {"type": "automl", "task": "classification", "experiment_name": "labels", "training_data": str(path),
            "target_column_name": "label", "primary_metric": "accuracy", "compute": "cpucluster",
            "n_cross_validations": 3, "limits": {"timeout_minutes": 3, "max_trials": 2, "max_concurrent_trials": 2},  # ends by trials
            # the labels' path, not the explanation's (tests/explain_api): six jobs need not explain their models
            "training": {"allowed_training_algorithms": ["LogisticRegression", "HistGradientBoosting"],
                         "enable_stack_ensemble": False, "enable_model_explainability": False}}
    job = ws.jobs.wait(ws.jobs.create(spec).name, timeout=TIMEOUT)
    assert job.status == "Completed", ws.jobs.logs(job.name)["text"][-3000:]
    props = job.properties
    assert props["classes"] == expected and [type(c) for c in props["classes"]] == [type(c) for c in expected]
    assert props["leaderboard"] and all(row["status"] for row in props["leaderboard"])
    assert 1.5 / len(expected) < props["best_score"] <= 1, "better than guessing"
    phases = ("queued", "startup", "loading", "preparation", "search", "ensemble", "refit", "model_logging", "total")
    assert all(props["timings"][f"{phase}_seconds"] >= 0 for phase in phases)

    mlflow.set_tracking_uri(f"sqlite:///{root / '.modelyard' / 'mlflow.db'}")
    client = mlflow.MlflowClient()
    charts = json.loads(Path(client.download_artifacts(props["best_child_run_id"], "charts.json",
                                                       str(tmp_path))).read_text())
    assert charts["classes"] == [str(c) for c in expected]   # the studio draws them as text
    model = mlflow.sklearn.load_model(props["best_model_uri"])
    assert list(model.classes_) == expected
    features = frame.drop(columns=["label"]).head(40)
    predicted = model.predict(features)
    assert set(predicted.tolist()) <= set(expected) and len(set(predicted.tolist())) >= 2

    if kind in ("int01", "bool", "string"):   # one endpoint per JSON type of answer is enough
        name = f"labels-{kind.replace('_', '-')}"
        ws.models.create(name=name, path=props["best_model_uri"])
        ws.online_endpoints.create(name=name)
        ws.online_endpoints.create_deployment(name="blue", endpoint_name=name, model=f"{name}@latest")
        answer = ws.online_endpoints.invoke(name, {"data": features.head(5).to_dict(orient="records")})
        assert answer["result"] == predicted[:5].tolist()
        assert all(type(v) is type(expected[0]) for v in answer["result"])

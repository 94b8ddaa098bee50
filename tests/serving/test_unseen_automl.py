"""A best AutoML model in a scoring process: the workshop's AutoML body ("OverTime": 1) is answered
with a warning per row, as the one-hot featurizer never saw the category "1"."""

from __future__ import annotations

import json

import pandas as pd

from modelyard.automl import save_model


def test_the_automl_body_is_answered_with_warnings(hr_run, hr_csv, tmp_path, serve):
    result, _, _ = hr_run
    raw = pd.read_csv(hr_csv, encoding="utf-8-sig").drop(columns="Attrition")
    process = serve("--model-dir", save_model(result.best, tmp_path / "model", input_example=raw))
    records = json.loads(raw.head(2).to_json(orient="records"))
    plain = process.client.post("/score", json={"data": records}).json()
    assert set(plain) == {"result"} and set(plain["result"]) <= {"No", "Yes"}
    answer = process.client.post("/score", json={"data": [{**r, "OverTime": 1} for r in records]}).json()
    assert len(answer["result"]) == 2 and set(answer["result"]) <= {"No", "Yes"}
    assert [(w["row"], w["column"], w["value"]) for w in answer["warnings"]] == [(0, "OverTime", "1"),
                                                                               (1, "OverTime", "1")]
    assert 'modelyard_scoring_unseen_values_total{column="OverTime"} 2' in process.client.get("/metrics").text

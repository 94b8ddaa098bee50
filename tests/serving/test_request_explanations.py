"""Per-request explanations at a scoring process: the rows' contributions next to ``result``, equal to the
offline engine's on the same rows; refused with a 400 saying why where they cannot be given."""

from __future__ import annotations

import numpy as np
import pytest

from modelyard.explain import explain_model, load_explainable

from .conftest import ScoringProcess


@pytest.fixture(scope="module")
def rows(hr_data):
    X, _, _ = hr_data
    return X.iloc[[0, 7, 42, 300, 1200]]


@pytest.fixture(scope="module")
def explaining(models_dir):
    """A scoring process serving the LightGBM pipeline with explanations enabled."""
    process = ScoringProcess(["--model-dir", str(models_dir["lgbm_cloudpickle"]), "--explain"])
    yield process
    process.stop()


def _offline(model_dir, rows):
    explanation = explain_model(load_explainable(model_dir), rows)
    return explanation.raw or explanation.engineered, explanation


def test_contributions_equal_the_offline_engine_on_the_same_rows(explaining, models_dir, rows):
    process = explaining
    body = {"data": rows.to_dict(orient="records"), "explain": True, "explain_top": "all"}
    answer = process.client.post("/score", json=body).json()
    view, offline = _offline(models_dir["lgbm_cloudpickle"], rows)
    explanation = answer["explanation"]
    assert len(answer["result"]) == len(rows)
    assert (explanation["method"], explanation["model_output"], explanation["view"]) == \
        (offline.method, offline.model_output, "raw")
    [output] = explanation["outputs"]
    assert output["output"] == view.outputs[0].output
    assert output["base_value"] == pytest.approx(view.outputs[0].base_value, abs=1e-9)
    got = np.array([[row[f] for f in view.features] for row in output["contributions"]])
    np.testing.assert_allclose(got, np.array(view.outputs[0].contributions), atol=1e-6, rtol=0)


def test_top_k_keeps_each_rows_largest_contributions_in_order(explaining, models_dir, rows):
    process = explaining
    records = rows.to_dict(orient="records")
    by_query = process.client.post("/score?explain=true&explain_top=3", json={"data": records}).json()
    by_default = process.client.post("/score", json={"data": records, "explain": True}).json()
    view, _ = _offline(models_dir["lgbm_cloudpickle"], rows)
    full = np.array(view.outputs[0].contributions)
    for answer, k in ((by_query, 3), (by_default, 5)):
        for i, row in enumerate(answer["explanation"]["outputs"][0]["contributions"]):
            largest = np.argsort(-np.abs(full[i]), kind="stable")[:k]
            assert list(row) == [view.features[j] for j in largest]
    plain = process.client.post("/score", json={"data": records}).json()
    assert "explanation" not in plain and plain["result"] == by_query["result"]
    assert process.client.get("/ready").json()["explain"] == {"enabled": True, "refusal": None}


@pytest.mark.parametrize("body, words", [
    ({"explain": "maybe"}, ["'explain'", "true or false", '"maybe"']),
    ({"explain": True, "explain_top": 0}, ["'explain_top'", "all", "0"]),
    ({"explain": True, "explain_top": "ten"}, ["'explain_top'", '"ten"']),
])
def test_bad_explain_options_are_400_naming_them(explaining, rows, body, words):
    response = explaining.client.post("/score", json={"data": rows.head(1).to_dict(orient="records"), **body})
    assert response.status_code == 400
    for word in words:
        assert word in response.json()["error"]


def test_a_model_without_a_fast_exact_method_is_400_naming_it(serve, models_dir, rows):
    process = serve("--model-dir", models_dir["lr_skops"], "--explain")
    records = rows.head(2).to_dict(orient="records")
    response = process.client.post("/score?explain=true", json={"data": records})
    assert response.status_code == 400
    assert "tree model" in response.json()["error"] and "LogisticRegression" in response.json()["error"]
    assert process.client.post("/score", json={"data": records}).status_code == 200  # scoring is unaffected


def test_a_deployment_that_did_not_enable_explanations_is_400_saying_how(serve, models_dir, rows):
    process = serve("--model-dir", models_dir["lgbm_cloudpickle"])
    response = process.client.post("/score", json={"data": rows.head(1).to_dict(orient="records"), "explain": True})
    assert response.status_code == 400
    assert "explain: true" in response.json()["error"]
    assert process.client.get("/ready").json()["explain"]["enabled"] is False

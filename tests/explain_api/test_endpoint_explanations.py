"""Per-request explanations through an online endpoint of the workspace server: SDK, CLI and the deployment's
``explain`` switch."""

from __future__ import annotations

import json

import numpy as np
import pytest

from server_fixtures import run_cli
from workshop_rows import WORKSHOP_ROW, register_model

from modelyard.errors import InvalidInput


@pytest.fixture(scope="module")
def tree_endpoint(analysed):
    """attrition-tree:1 (one-hot + LightGBM) served by endpoint 'why' with explanations enabled."""
    import pandas as pd
    from lightgbm import LGBMClassifier
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    frame = analysed.frame.drop(columns=["EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"])
    target = frame.pop("Attrition")
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    model = Pipeline([("features", ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), text)],
                                                     remainder="passthrough")),
                      ("classifier", LGBMClassifier(n_estimators=40, num_leaves=15, verbose=-1, n_jobs=1))])
    model.fit(frame, target)
    register_model(analysed.ws, model, frame, analysed.root.parent / "tree-model", "attrition-tree")
    ws = analysed.ws
    ws.online_endpoints.create(name="why")
    deployment = ws.online_deployments.create(name="blue", endpoint_name="why", model="attrition-tree:1",
                                              explain=True)
    ws.online_endpoints.update("why", traffic={"blue": 100})
    yield model, frame, deployment
    ws.online_endpoints.delete("why")


def test_the_endpoint_answers_each_rows_contributions_equal_to_the_engines(analysed, tree_endpoint):
    from modelyard.explain import explain_model

    model, frame, deployment = tree_endpoint
    assert deployment.explain is True
    rows = frame.iloc[[3, 30, 300]]
    answer = analysed.ws.online_endpoints.invoke("why", rows.to_dict(orient="records"), explain="all")
    offline = explain_model(model, rows).raw
    [output] = answer["explanation"]["outputs"]
    assert answer["explanation"]["view"] == "raw" and output["output"] == "Yes"
    got = np.array([[row[f] for f in offline.features] for row in output["contributions"]])
    np.testing.assert_allclose(got, np.array(offline.outputs[0].contributions), atol=1e-6, rtol=0)
    assert output["base_value"] == pytest.approx(offline.outputs[0].base_value, abs=1e-9)


def test_the_cli_invokes_with_the_top_contributions(analysed, tree_endpoint, tmp_path):
    request = tmp_path / "request.json"
    request.write_text(json.dumps({"data": [WORKSHOP_ROW]}))
    done = run_cli("online-endpoint", "invoke", "why", "-r", str(request), "--explain", "3", cwd=analysed.root)
    assert done.returncode == 0, done.stderr
    [row] = json.loads(done.stdout)["explanation"]["outputs"][0]["contributions"]
    assert len(row) == 3


def test_a_deployment_without_explain_or_without_a_tree_model_refuses_with_the_reason(analysed, tree_endpoint):
    ws = analysed.ws
    ws.online_endpoints.create(name="linear")
    try:
        ws.online_deployments.create(name="blue", endpoint_name="linear", model="attrition:1", explain=True)
        ws.online_endpoints.update("linear", traffic={"blue": 100})
        with pytest.raises(InvalidInput, match="tree model.*LogisticRegression"):
            ws.online_endpoints.invoke("linear", [WORKSHOP_ROW], explain=True)
        ws.online_deployments.update("blue", "linear", explain=False)
        with pytest.raises(InvalidInput, match="explain: true"):
            ws.online_endpoints.invoke("linear", [WORKSHOP_ROW], explain=True)
        assert ws.online_endpoints.invoke("linear", [WORKSHOP_ROW])["result"] in (["No"], ["Yes"])
    finally:
        ws.online_endpoints.delete("linear")

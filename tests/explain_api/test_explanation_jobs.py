"""Explanation jobs on a registered model version: SDK, REST and CLI against a real server."""

from __future__ import annotations

import json

import numpy as np
import pytest

from server_fixtures import run_cli

from .conftest import JOB_SECONDS


@pytest.fixture(scope="module")
def explained(analysed):
    """A completed explanation job of attrition:1 over the whole HR data asset."""
    ws = analysed.ws
    job = ws.models.explain("attrition:1", "employeeattrition", target="Attrition")
    assert job.type == "explanation" and job.status == "Queued"
    return ws.jobs.wait(job.name, timeout=JOB_SECONDS)


def test_the_stored_explanation_is_the_engines_on_the_same_rows(analysed, explained):
    from modelyard.explain import explain_model

    assert explained.status == "Completed", explained.error
    stored = analysed.ws.models.explanation("attrition:1")
    direct = explain_model(analysed.model, analysed.frame.drop(columns=["Attrition"]))
    assert stored.method == "linear" and stored.rows_evaluated == 1470 and stored.raw is not None
    assert stored.raw.features == direct.raw.features
    for mine, theirs in zip(stored.raw.outputs, direct.raw.outputs):
        assert np.allclose(mine.global_importance, theirs.global_importance, atol=1e-9)
        assert np.allclose(mine.contributions, theirs.contributions, atol=1e-9)
    assert set(explained.outputs) == {"explanation"}
    assert explained.properties["model"] == "attrition:1"
    timings = explained.properties["timings"]
    assert set(timings) == {"loading_seconds", "analysis_seconds", "writing_seconds", "phases"}
    phases = timings["phases"]
    assert {"loading_model", "reading_data", "transform", "contributions", "engineered_view", "raw_view",
            "writing"} <= set(phases), phases
    assert all(set(spent) == {"wall", "cpu"} and min(spent.values()) >= 0 for spent in phases.values())


def test_the_model_version_lists_its_explanations(analysed, explained):
    listed = analysed.ws.models.analyses("attrition:1")
    assert [a.job for a in listed][-1] == explained.name
    assert listed[0].status == "Completed" and listed[0].data == "employeeattrition:1"
    assert listed[0].result_uri.endswith(f"jobs/{explained.name}/outputs/explanation/result.json")
    assert analysed.ws.models.explanation("attrition:1", explained.name).rows_total == 1470
    assert all(a.kind == "explanation" for a in listed)


def test_rest_queues_with_201_and_routes_carry_operation_ids(analysed):
    import httpx

    posted = httpx.post(f"{analysed.url}/api/models/attrition/versions/1/explanations",
                        json={"data": "employeeattrition", "target": "Attrition", "sample": 10}, timeout=60)
    assert posted.status_code == 201, posted.text
    assert posted.json()["type"] == "explanation" and posted.json()["properties"]["model"] == "attrition:1"
    assert analysed.ws.jobs.wait(posted.json()["name"], timeout=JOB_SECONDS).status == "Completed"
    paths = httpx.get(f"{analysed.url}/openapi.json", timeout=60).json()["paths"]
    route = paths["/api/models/{name}/versions/{version}/explanations"]
    assert route["post"]["operationId"] == "explainModel" and route["get"]["operationId"] == "listModelExplanations"
    assert paths["/api/models/{name}/versions/{version}/explanations/{job}"]["get"]["operationId"] == \
        "getModelExplanation"
    assert paths["/api/models/{name}/versions/{version}/fairness"]["post"]["operationId"] == "assessModelFairness"
    assert paths["/api/models/{name}/versions/{version}/error-analyses"]["post"]["operationId"] == \
        "analyzeModelErrors"


def test_explain_from_the_cli_prints_the_top_raw_features(analysed, explained):
    done = run_cli("model", "explain", "attrition:1", "--data", "employeeattrition:1", "--target", "Attrition",
                   "--sample", "50", cwd=analysed.root)
    assert done.returncode == 0, done.stderr
    assert "explanation job" in done.stderr and "raw feature importance" in done.stdout
    stored = analysed.ws.models.explanation("attrition:1")
    assert len(stored.local_rows) == 50 and stored.sampled   # the newest completed one is the CLI's
    top = sorted(zip(stored.raw.outputs[0].global_importance, stored.raw.features), reverse=True)
    lines = [line for line in done.stdout.splitlines() if "│" in line]
    assert top[0][1] in lines[1] or top[0][1] in "".join(lines[:3])
    assert sum(1 for line in lines if line.strip("│ ").split("│")[0].strip().isdigit()) == 15

    shown = run_cli("model", "show-explanation", "attrition:1", "--job", explained.name, "-o", "json",
                    cwd=analysed.root)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["rows_evaluated"] == 1470
    engineered = run_cli("model", "show-explanation", "attrition:1", "--view", "engineered", "--top", "5",
                         cwd=analysed.root)
    assert engineered.returncode == 0 and "engineered feature importance" in engineered.stdout

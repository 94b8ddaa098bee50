"""Pipeline endpoints on a real server: a batch inference draft published, runs started over REST with
the endpoint's key and parameter values (another data asset version), versions with a default, the CLI's
verbs, and requests that must start nothing."""

from __future__ import annotations

import httpx
import pytest

from modelyard.errors import Conflict, NotFound

from tests.designer_api.test_submit import RUN_TIMEOUT, finished
from tests.server_fixtures import run_cli


@pytest.fixture(scope="module")
def published(trained, served, hr_csv, tmp_path_factory):
    """attrition-batch (a batch inference draft) published as endpoint attrition-scoring with the CLI;
    employeeattrition:2 holds the first 100 rows."""
    import pandas as pd

    ws, run = trained
    _, _, root = served
    ws.designer_drafts.create_inference(run, batch=True, name="attrition-batch")
    subset = tmp_path_factory.mktemp("data") / "hr-head.csv"
    pd.read_csv(hr_csv, encoding="utf-8-sig").head(100).to_csv(subset, index=False)
    ws.data.create(name="employeeattrition", type="mltable", path=str(subset), profile=False)
    created = run_cli("pipeline-endpoint", "create", "attrition-scoring", "--draft", "attrition-batch",
                      "--compute", "cpu-cluster", cwd=root)
    assert created.returncode == 0, created.stderr
    assert "default version 1, runs at POST /api/pipeline-endpoints/attrition-scoring/runs" in created.stdout
    return ws


def runs_url(ws, name):
    return str(ws._api.http.base_url).rstrip("/") + ws.pipeline_endpoints.get(name).runs_uri


def test_a_run_starts_over_rest_with_the_key_and_reads_the_parameters_asset(published):
    ws = published
    endpoint = ws.pipeline_endpoints.get("attrition-scoring")
    assert [(v.version, v.draft, v.compute, v.parameters) for v in endpoint.versions] == [
        (1, "attrition-batch:1", "cpu-cluster", {"hr": "employeeattrition:1"})]
    key = ws.pipeline_endpoints.get_credentials("attrition-scoring").primary_key
    answer = httpx.post(runs_url(ws, "attrition-scoring"), headers={"Authorization": f"Bearer {key}"},
                        json={"parameters": {"hr": "employeeattrition:2"}})
    assert answer.status_code == 201, answer.text
    job = ws.jobs.get(answer.json()["name"])
    assert (job.display_name, job.experiment_name) == ("attrition-batch:1", "attrition-scoring")
    steps = finished(ws, job)
    scored = ws.designer_drafts.read_port(steps["score"].name, "scored_dataset", limit=1)
    assert scored["total"] == 100  # employeeattrition:2, not the published draft's version 1


@pytest.mark.parametrize("headers, body, status, fragment", [
    ({}, {"parameters": {}}, 401, "missing or wrong key for pipeline endpoint 'attrition-scoring'"),
    ({"Authorization": "Bearer wrong"}, {"parameters": {}}, 401, "missing or wrong key"),
    (None, {"parameters": {"score": "employeeattrition:2"}}, 400, "has no dataset node score"),
    (None, {"parameters": {"hr": "nosuchdata:1"}}, 400, "nosuchdata"),
    (None, {"version": 9}, 404, "pipeline endpoint 'attrition-scoring' has no version 9"),
])
def test_bad_requests_start_nothing(published, headers, body, status, fragment):
    ws = published
    key = ws.pipeline_endpoints.get_credentials("attrition-scoring").primary_key
    before = len(ws.jobs.list())
    reply = httpx.post(runs_url(ws, "attrition-scoring"), json=body,
                       headers=headers if headers is not None else {"Authorization": f"Bearer {key}"})
    assert reply.status_code == status and fragment in reply.text, reply.text
    assert key not in reply.text and len(ws.jobs.list()) == before


def test_versions_with_a_default_and_the_cli_verbs(published, served):
    ws = published
    _, _, root = served
    added = run_cli("pipeline-endpoint", "add-version", "attrition-scoring", "--draft", "attrition:1",
                    "--compute", "cpu-cluster", "--not-default", cwd=root)
    assert added.returncode == 0 and "default version 1" in added.stdout, added.stderr
    job = ws.pipeline_endpoints.invoke("attrition-scoring", version=2)
    assert job.display_name == "attrition:1"  # the training draft, published as version 2
    ws.jobs.cancel(job.name)
    assert ws.pipeline_endpoints.update("attrition-scoring", default_version=2).default_version == 2
    ws.pipeline_endpoints.update("attrition-scoring", default_version=1)
    shown = run_cli("pipeline-endpoint", "show", "attrition-scoring", cwd=root)
    assert shown.returncode == 0 and "attrition-batch:1" in shown.stdout and "attrition:1" in shown.stdout
    listed = run_cli("pipeline-endpoint", "list", "-o", "json", cwd=root)
    assert '"name": "attrition-scoring"' in listed.stdout
    invoked = run_cli("pipeline-endpoint", "invoke", "attrition-scoring", "--param", "hr=employeeattrition:2",
                      "--wait", cwd=root, timeout=RUN_TIMEOUT)
    assert invoked.returncode == 0, invoked.stderr
    assert ws.jobs.get(invoked.stdout.strip()).display_name == "attrition-batch:1"

    with pytest.raises(Conflict, match="pipeline endpoint 'attrition-scoring' exists already"):
        ws.pipeline_endpoints.create(name="attrition-scoring", draft="attrition-batch")
    with pytest.raises(NotFound, match="designer draft nosuch not found"):
        ws.pipeline_endpoints.create(name="other", draft="nosuch")
    assert [e.name for e in ws.pipeline_endpoints.list()] == ["attrition-scoring"]  # nothing half-made
    refused = run_cli("pipeline-endpoint", "update", "attrition-scoring", "--default-version", "7", cwd=root)
    assert refused.returncode != 0 and "has no version 7" in refused.stderr

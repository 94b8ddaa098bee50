"""Pipeline parameters on a real server: a module parameter promoted with the CLI and the SDK, a submit and
a pipeline endpoint run giving values, each checked against the module parameter's definition (a 400
naming the parameter, no run started), and reuse decided by the resolved values."""

from __future__ import annotations

import httpx
import pytest

from modelyard.errors import InvalidInput

from tests.designer_api.test_pipeline_endpoints import runs_url
from tests.designer_api.test_submit import finished
from tests.server_fixtures import run_cli

FRACTION = "fraction_of_rows_in_the_first_output_dataset"


@pytest.fixture(scope="module")
def promoted(cluster, served):
    """attrition with Split Data's fraction promoted (CLI) as 'fraction' and the learner's L2 weight (SDK)."""
    ws = cluster
    _, _, root = served
    done = run_cli("designer", "set-parameter", "attrition", "--node", "split", "--parameter", FRACTION,
                   "--as", "fraction", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "saved designer draft attrition:2; pipeline parameters: {'fraction': 0.7}" in done.stdout
    draft = ws.designer_drafts.promote_parameter("attrition", "lr", "l2_regularization_weight", as_name="l2",
                                                 default=0.5)
    assert (draft.version, draft.graph.parameters) == (3, {"fraction": 0.7, "l2": 0.5})
    return ws


def test_a_submit_takes_values_and_an_equal_value_reuses_every_step(promoted):
    ws = promoted
    steps = finished(ws, ws.designer_drafts.submit("attrition", compute="cpu-cluster", parameters={"fraction": 0.5}))
    left = ws.designer_drafts.read_port(steps["split"].name, "results_dataset1", limit=1)
    assert left["total"] == 735  # half of 1470 rows, not the default 0.7
    learner = ws.designer_drafts.read_port(steps["lr"].name, "untrained_model")["value"]
    assert learner["parameters"]["l2_regularization_weight"] == 0.5  # the default

    endpoint = ws.pipeline_endpoints.create(name="attrition-training", draft="attrition", compute="cpu-cluster")
    assert endpoint.versions[0].parameters == {"hr": "employeeattrition:1", "fraction": 0.7, "l2": 0.5}
    key = ws.pipeline_endpoints.get_credentials("attrition-training").primary_key
    answer = httpx.post(runs_url(ws, "attrition-training"), headers={"Authorization": f"Bearer {key}"},
                        json={"parameters": {"fraction": "0.5", "l2": "0.5"}}, timeout=60)
    assert answer.status_code == 201, answer.text
    again = finished(ws, ws.jobs.get(answer.json()["name"]))
    assert {step for step, child in again.items() if not child.reused_from} == set()  # same resolved values


@pytest.mark.parametrize("parameters, fragment", [
    ({"fraction": 1.5}, "pipeline parameter 'fraction' = 1.5: 1.5 is out of range: it must be between 0 and 1 "
                        "(it sets node 'split' (Split Data)"),
    ({"l2": "strong"}, "pipeline parameter 'l2' = 'strong': 'strong' is not a number"),
    ({"l3": 1}, "has no dataset node l3, nor such a pipeline parameter; its dataset nodes are: hr; its pipeline "
                "parameters: fraction, l2"),
])
def test_a_bad_value_answers_400_naming_the_parameter_and_starts_nothing(promoted, parameters, fragment):
    ws = promoted
    if "attrition-training" not in [e.name for e in ws.pipeline_endpoints.list()]:
        ws.pipeline_endpoints.create(name="attrition-training", draft="attrition", compute="cpu-cluster")
    before = len(ws.jobs.list())
    key = ws.pipeline_endpoints.get_credentials("attrition-training").primary_key
    answer = httpx.post(runs_url(ws, "attrition-training"), headers={"Authorization": f"Bearer {key}"},
                        json={"parameters": parameters}, timeout=60)
    assert answer.status_code == 400 and fragment in answer.json()["detail"], answer.text
    if "l3" not in parameters:
        with pytest.raises(InvalidInput, match="pipeline parameter"):
            ws.designer_drafts.submit("attrition", compute="cpu-cluster", parameters=parameters)
    assert len(ws.jobs.list()) == before


def test_the_cli_submits_with_param_and_refuses_a_bad_one(promoted, served):
    _, _, root = served
    refused = run_cli("designer", "submit", "attrition", "--param", "fraction=2", "--compute", "cpu-cluster", cwd=root)
    assert refused.returncode != 0 and "pipeline parameter 'fraction' = '2': 2.0 is out of range" in refused.stderr
    assert "Traceback" not in refused.stderr
    malformed = run_cli("designer", "submit", "attrition", "--param", "fraction", cwd=root)
    assert malformed.returncode != 0 and "--param 'fraction': write NAME=VALUE" in malformed.stderr

"""Bad analysis requests: refused with a message naming the problem (4xx, non-zero exit), nothing left behind."""

from __future__ import annotations

import httpx
import pytest

from server_fixtures import run_cli

from .conftest import JOB_SECONDS


def _refused(analysed, kind_route: str, body: dict, status: int, *fragments: str, model: str = "attrition/versions/1"):
    """POST the request; assert its status and message, and that no job was created."""
    before = analysed.ws.jobs.count()
    answer = httpx.post(f"{analysed.url}/api/models/{model}/{kind_route}", json=body, timeout=60)
    assert answer.status_code == status, answer.text
    for fragment in fragments:
        assert fragment in answer.json()["detail"], answer.text
    assert analysed.ws.jobs.count() == before
    return answer.json()["detail"]


@pytest.fixture(scope="module")
def partial_data(analysed, tmp_path_factory):
    """A data asset of the HR rows without the OverTime and Age columns."""
    path = tmp_path_factory.mktemp("partial") / "partial.csv"
    analysed.frame.drop(columns=["OverTime", "Age"]).to_csv(path, index=False)
    analysed.ws.data.create(name="partial", type="mltable", path=str(path))
    return "partial:1"


def test_data_missing_the_models_columns_is_refused_naming_them(analysed, partial_data):
    _refused(analysed, "explanations", {"data": partial_data}, 400, "'Age'", "'OverTime'", "partial:1",
             "attrition:1")
    done = run_cli("model", "explain", "attrition:1", "--data", partial_data, cwd=analysed.root)
    assert done.returncode != 0 and "'OverTime'" in done.stderr and "Traceback" not in done.stderr


def test_a_sensitive_feature_that_is_not_a_column_is_refused(analysed):
    body = {"data": "employeeattrition", "target": "Attrition", "sensitive": ["Gender", "Sex"]}
    _refused(analysed, "fairness", body, 400, "sensitive feature 'Sex' is not a column", "MaritalStatus")
    done = run_cli("model", "fairness", "attrition:1", "--data", "employeeattrition", "--target", "Attrition",
                   "--sensitive", "Sex", cwd=analysed.root)
    assert done.returncode != 0 and "'Sex' is not a column" in done.stderr


def test_a_continuous_sensitive_feature_needs_bins(analysed):
    body = {"data": "employeeattrition", "target": "Attrition", "sensitive": ["Age"]}
    _refused(analysed, "fairness", body, 400, "'Age' is continuous", "give bins", "--bins Age=")
    body["bins"] = {"Gender": [1.0, 2.0]}
    body["sensitive"] = ["Gender"]
    _refused(analysed, "fairness", body, 400, "bins were given for sensitive feature 'Gender'", "string")


def test_target_and_request_fields_are_checked(analysed):
    _refused(analysed, "error-analyses", {"data": "employeeattrition", "target": "Left"}, 400,
             "target column 'Left' is not in data asset employeeattrition:1")
    _refused(analysed, "error-analyses", {"data": "employeeattrition"}, 400, "name the column with the true labels")
    _refused(analysed, "error-analyses", {"data": "employeeattrition", "target": "Attrition", "max_depth": 30}, 400,
             "max_depth")
    _refused(analysed, "explanations", {"data": "nosuchdata"}, 400, "nosuchdata")


def test_archived_or_unknown_model_versions_are_refused(analysed, hr_csv, tmp_path):
    from workshop_rows import register_pipeline

    register_pipeline(analysed.ws, hr_csv, tmp_path / "model", C=0.5)
    analysed.ws.models.archive("attrition:2")
    _refused(analysed, "explanations", {"data": "employeeattrition"}, 400, "attrition:2 is archived",
             model="attrition/versions/2")
    _refused(analysed, "explanations", {"data": "employeeattrition"}, 404, "attrition:9 not found",
             model="attrition/versions/9")
    done = run_cli("model", "error-analysis", "attrition:2", "--data", "employeeattrition", "--target", "Attrition",
                   cwd=analysed.root)
    assert done.returncode != 0 and "archived" in done.stderr


def test_a_job_that_fails_at_run_time_leaves_no_result(analysed, hr_csv):
    """Without a profile the server cannot tell Age is continuous: the job fails with the engine's message."""
    analysed.ws.data.create(name="unprofiled", type="mltable", path=str(hr_csv), profile=False)
    done = run_cli("model", "fairness", "attrition:1", "--data", "unprofiled", "--target", "Attrition",
                   "--sensitive", "Age", cwd=analysed.root, timeout=JOB_SECONDS)
    assert done.returncode == 1 and "sensitive feature 'Age' is continuous" in done.stderr, done.stderr
    failed = [a for a in analysed.ws.models.analyses("attrition:1", "fairness") if a.data == "unprofiled:1"]
    assert [a.status for a in failed] == ["Failed"] and failed[0].result_uri is None
    assert analysed.ws.jobs.get(failed[0].job).outputs == {}  # no result stored
    answer = httpx.get(f"{analysed.url}/api/models/attrition/versions/1/fairness/{failed[0].job}", timeout=60)
    assert answer.status_code == 409 and "Failed" in answer.json()["detail"]


def test_an_uploaded_explanation_needs_a_real_run_and_model_and_lists_with_the_versions_explanations(analysed):
    from modelyard.explain import explain_model

    explanation = explain_model(analysed.model, analysed.frame.head(20)).model_dump(mode="json")
    route = "explanations/uploaded"
    _refused(analysed, route, {"explanation": explanation, "run": "nope"}, 400, "run: job 'nope' does not exist")
    _refused(analysed, route, {"explanation": explanation}, 404, "model", model="missing/versions/1")
    _refused(analysed, route, {"explanation": {"method": "tree"}}, 400, "explanation.estimator: Field required")
    job = analysed.ws.models.upload_explanation("attrition:1", explain_model(analysed.model, analysed.frame.head(20)),
                                                comment="from my notebook")
    assert (job.type, job.status, job.display_name) == ("explanation", "Completed", "from my notebook")
    listed = {a.job: a for a in analysed.ws.models.analyses("attrition:1")}
    assert listed[job.name].data == "uploaded from a notebook"
    assert analysed.ws.models.explanation("attrition:1", job.name).model_dump(mode="json") == explanation

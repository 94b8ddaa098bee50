"""Fairness mitigation of a registered model version (fairlearn's ThresholdOptimizer): a new registered version
pointing back to the original, with less disparity, deciding exactly as fairlearn does; bad input refused."""

from __future__ import annotations

import numpy as np
import pytest

from server_fixtures import run_cli

from modelyard.errors import InvalidInput

from .conftest import JOB_SECONDS


@pytest.fixture(scope="module")
def mitigated(analysed):
    ws = analysed.ws
    job = ws.models.mitigate("attrition:1", "employeeattrition", sensitive="MaritalStatus", target="Attrition",
                             model_name="attrition-fair")
    assert job.type == "mitigation"
    return ws.jobs.wait(job.name, timeout=JOB_SECONDS)


def test_the_mitigated_version_is_registered_pointing_to_the_original(analysed, mitigated):
    assert mitigated.status == "Completed", mitigated.error
    report = analysed.ws.models.mitigation("attrition:1")
    assert (report.original_model, report.mitigated_model) == ("attrition:1", "attrition-fair:1")
    version = analysed.ws.models.get("attrition-fair:1")
    assert version.properties["mitigated_from"] == "attrition:1"
    assert version.properties["mitigation_job"] == mitigated.name
    assert [a.job for a in analysed.ws.models.analyses("attrition:1", "mitigation")] == [mitigated.name]


def test_its_disparity_is_lower_and_its_decisions_are_fairlearns(analysed, mitigated, tmp_path):
    from fairlearn.metrics import demographic_parity_difference
    from fairlearn.postprocessing import ThresholdOptimizer

    from modelyard.explain import load_explainable

    frame = analysed.frame
    rows = frame.drop(columns=["Attrition"])
    y = (frame["Attrition"] == "Yes").astype(int)
    groups = frame["MaritalStatus"]
    model = load_explainable(analysed.ws.models.download("attrition-fair:1", tmp_path / "model"))
    decisions = (model.predict(rows) == "Yes").astype(int)
    original = (analysed.model.predict_proba(rows)[:, 1] >= 0.5).astype(int)
    before = demographic_parity_difference(y, original, sensitive_features=groups)
    after = demographic_parity_difference(y, decisions, sensitive_features=groups)
    assert after < before / 2
    report = analysed.ws.models.mitigation("attrition:1")
    assert report.before.disparities.demographic_parity_difference == pytest.approx(before, abs=1e-12)
    assert report.after.disparities.demographic_parity_difference == pytest.approx(after, abs=1e-12)

    theirs = ThresholdOptimizer(estimator=analysed.model, constraints="demographic_parity", objective="accuracy_score",
                                prefit=True, predict_method="predict_proba")
    theirs.fit(rows[model.model_columns], y, sensitive_features=groups)
    expected = theirs.predict(rows[model.model_columns], sensitive_features=groups, random_state=report.seed)
    np.testing.assert_array_equal(decisions, expected)


def test_bad_mitigation_requests_are_refused_with_nothing_registered(analysed):
    ws = analysed.ws
    before = [m.version for m in ws.models.list()]
    with pytest.raises(InvalidInput, match="'Nope' is not a column"):
        ws.models.mitigate("attrition:1", "employeeattrition", sensitive="Nope", target="Attrition")
    with pytest.raises(InvalidInput, match="one sensitive feature at a time"):
        ws.models._analyse("attrition:1", "mitigation", data="employeeattrition", target="Attrition",
                           sensitive=["Gender", "MaritalStatus"])
    with pytest.raises(InvalidInput, match="constraints"):
        ws.models.mitigate("attrition:1", "employeeattrition", sensitive="Gender", target="Attrition",
                           constraints="be_fair")
    done = run_cli("model", "mitigate", "attrition:1", "--data", "employeeattrition", "--sensitive", "Age",
                   "--target", "Attrition", cwd=analysed.root)
    assert done.returncode != 0 and "continuous" in done.stderr and "Age" in done.stderr
    assert [m.version for m in ws.models.list()] == before

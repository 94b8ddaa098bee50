"""Cohorts of a model version: saved filters (and/or), their metrics beside the whole data's; bad filters refused
naming what is wrong (SDK, REST, CLI)."""

from __future__ import annotations

import json

import httpx
import pytest

from server_fixtures import run_cli

from modelyard.errors import Conflict, InvalidInput, NotFound


@pytest.fixture(scope="module")
def cohorts(analysed):
    ws = analysed.ws
    ws.models.create_cohort("attrition:1", "young-overtime", [{"column": "Age", "operator": "<", "value": 30},
                                                              {"column": "OverTime", "operator": "==", "value": "Yes"}])
    ws.models.create_cohort("attrition:1", "single-or-sales",
                            [{"column": "MaritalStatus", "operator": "==", "value": "Single"},
                             {"column": "Department", "operator": "==", "value": "Sales"}], combine="or")
    done = run_cli("model", "cohort", "create", "attrition:1", "--name", "managers",
                   "--filter", "JobRole in Manager,Research Director", cwd=analysed.root)
    assert done.returncode == 0, done.stderr
    return ws.models.compare_cohorts("attrition:1", "employeeattrition", target="Attrition")


def test_each_cohorts_rows_and_metrics_are_those_of_its_filters(analysed, cohorts):
    from sklearn.metrics import accuracy_score

    frame = analysed.frame
    picked = {"young-overtime": (frame.Age < 30) & (frame.OverTime == "Yes"),
              "single-or-sales": (frame.MaritalStatus == "Single") | (frame.Department == "Sales"),
              "managers": frame.JobRole.isin(["Manager", "Research Director"])}
    assert cohorts.whole.rows == len(frame) and cohorts.whole.share == 1.0
    assert [c.name for c in cohorts.cohorts] == sorted(picked)
    for cohort in cohorts.cohorts:
        rows = frame[picked[cohort.name]]
        assert cohort.rows == len(rows) and cohort.share == pytest.approx(len(rows) / len(frame))
        expected = accuracy_score(rows.Attrition, analysed.model.predict(rows.drop(columns=["Attrition"])))
        assert cohort.metrics["accuracy"] == pytest.approx(expected, abs=1e-12)
    whole = accuracy_score(frame.Attrition, analysed.model.predict(frame.drop(columns=["Attrition"])))
    assert cohorts.whole.metrics["accuracy"] == pytest.approx(whole, abs=1e-12)


def test_the_cli_lists_compares_and_deletes(analysed, cohorts):
    listed = run_cli("model", "cohort", "list", "attrition:1", cwd=analysed.root)
    assert listed.returncode == 0 and "Age < 30 and OverTime == 'Yes'" in listed.stdout
    compared = run_cli("model", "cohort", "compare", "attrition:1", "--data", "employeeattrition", "--target",
                       "Attrition", "--cohort", "managers", "-o", "json", cwd=analysed.root)
    assert compared.returncode == 0, compared.stderr
    assert [c["name"] for c in json.loads(compared.stdout)["cohorts"]] == ["managers"]
    analysed.ws.models.create_cohort("attrition:1", "gone", [{"column": "Age", "operator": ">", "value": 60}])
    assert run_cli("model", "cohort", "delete", "attrition:1", "--name", "gone", cwd=analysed.root).returncode == 0
    assert "gone" not in [c.name for c in analysed.ws.models.cohorts("attrition:1")]


@pytest.mark.parametrize("filters, words", [
    ([{"column": "Salary", "operator": ">", "value": 1}], ["'Salary'", "columns are"]),
    ([{"column": "Age", "operator": "<", "value": "forty"}], ["'Age'", "'forty'", "numbers"]),
    ([{"column": "OverTime", "operator": "==", "value": 1}], ["'OverTime'", "text"]),
    ([{"column": "JobRole", "operator": "in", "value": "Manager"}], ["'JobRole'", "list"]),
])
def test_bad_filters_are_400_naming_them_and_nothing_is_saved(analysed, filters, words):
    response = httpx.post(f"{analysed.url}/api/models/attrition/versions/1/cohorts",
                          json={"name": "bad", "filters": filters}, timeout=60)
    assert response.status_code == 400, response.text
    for word in words:
        assert word in response.text
    with pytest.raises(NotFound, match="no cohort 'bad'"):
        analysed.ws.models._api().get("/api/models/attrition/versions/1/cohorts/bad")


def test_bad_operators_names_and_cohorts_are_refused(analysed, cohorts):
    response = httpx.post(f"{analysed.url}/api/models/attrition/versions/1/cohorts",
                          json={"name": "odd", "filters": [{"column": "Age", "operator": "~", "value": 1}]}, timeout=60)
    assert response.status_code == 400 and "operator" in response.text
    with pytest.raises(Conflict, match="young-overtime"):
        analysed.ws.models.create_cohort("attrition:1", "young-overtime",
                                         [{"column": "Age", "operator": "<", "value": 25}])
    with pytest.raises(InvalidInput, match="'nope'"):
        analysed.ws.models.compare_cohorts("attrition:1", "employeeattrition", target="Attrition", cohorts=["nope"])
    done = run_cli("model", "cohort", "create", "attrition:1", "--name", "x", "--filter", "Age about 30",
                   cwd=analysed.root)
    assert done.returncode != 0 and "COLUMN OPERATOR VALUE" in done.stderr

"""Fairness and error-analysis jobs on a registered model version, through the SDK and the CLI."""

from __future__ import annotations

import numpy as np

from server_fixtures import run_cli

from .conftest import JOB_SECONDS

SENSITIVE = ["Gender", "MaritalStatus", "Age"]
AGE_BINS = [18, 30, 40, 50, 60]


def test_the_stored_fairness_report_is_the_engines_on_the_same_rows(analysed):
    from modelyard.explain import assess_fairness

    ws = analysed.ws
    job = ws.models.assess_fairness("attrition:1", "employeeattrition", sensitive=SENSITIVE,
                                    bins={"Age": AGE_BINS}, target="Attrition")
    assert job.type == "fairness"
    done = ws.jobs.wait(job.name, timeout=JOB_SECONDS)
    assert done.status == "Completed", done.error
    stored = ws.models.fairness("attrition:1")
    direct = assess_fairness(analysed.model, analysed.frame, target="Attrition", sensitive=SENSITIVE,
                             bins={"Age": AGE_BINS})
    assert [f.feature for f in stored.features] == SENSITIVE and stored.features[2].bins == AGE_BINS
    for mine, theirs in zip(stored.features, direct.features):
        assert [g.group for g in mine.groups] == [g.group for g in theirs.groups]
        assert [g.count for g in mine.groups] == [g.count for g in theirs.groups]
        assert np.allclose([g.selection_rate for g in mine.groups], [g.selection_rate for g in theirs.groups])
        assert np.isclose(mine.disparities.equalized_odds_difference, theirs.disparities.equalized_odds_difference)
    listed = ws.models.analyses("attrition:1", "fairness")
    assert [(a.job, a.target) for a in listed] == [(job.name, "Attrition")]  # the studio's mitigation reuses both


def test_fairness_from_the_cli_prints_groups_and_disparities(analysed):
    done = run_cli("model", "fairness", "attrition:1", "--data", "employeeattrition", "--target", "Attrition",
                   "--sensitive", "Gender,MaritalStatus", "--bins", "Age=18,30,40,50,60", cwd=analysed.root)
    assert done.returncode != 0 and "bins were given for Age" in done.stderr  # Age is not among the sensitive ones
    done = run_cli("model", "fairness", "attrition:1", "--data", "employeeattrition", "--target", "Attrition",
                   "--sensitive", "Gender,MaritalStatus,Age", "--bins", "Age=18,30,40,50,60", cwd=analysed.root)
    assert done.returncode == 0, done.stderr
    for text in ("Gender at threshold 0.5", "demographic parity difference", "Female", "Male", "Divorced",
                 "[30, 40)", "overall"):
        assert text in done.stdout
    shown = run_cli("model", "show-fairness", "attrition:1", "-o", "json", cwd=analysed.root)
    assert shown.returncode == 0 and '"selection_rate"' in shown.stdout


def test_error_analysis_from_the_cli_is_the_engines_tree(analysed):
    from modelyard.explain import analyze_errors

    done = run_cli("model", "error-analysis", "attrition:1", "--data", "employeeattrition:1", "--target",
                   "Attrition", "--max-depth", "2", cwd=analysed.root)
    assert done.returncode == 0, done.stderr
    stored = analysed.ws.models.error_analysis("attrition:1")
    direct = analyze_errors(analysed.model, analysed.frame, target="Attrition", max_depth=2)
    assert stored.errors == direct.errors and stored.rows == 1470
    assert [(n.condition, n.rows, n.errors) for n in stored.nodes] == \
        [(n.condition, n.rows, n.errors) for n in direct.nodes]
    assert f"error tree: {direct.errors} errors in 1470 rows" in done.stdout
    assert "all rows" in done.stdout and direct.nodes[1].condition.split(" ")[0] in done.stdout

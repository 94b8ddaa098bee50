"""AutoML end to end on small budgets: leaderboard, ensembles, concurrency, the time budget, both tasks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from modelyard.automl import AutoMLResult, TrialResult, run_automl
from modelyard.automl import _ensemble
from modelyard.errors import InvalidInput
from automl_fixtures import Recorder, make_job

CLASSIFICATION_METRICS = {
    "accuracy", "AUC_weighted", "AUC_macro", "AUC_micro", "average_precision_score_weighted",
    "average_precision_score_macro", "average_precision_score_micro", "norm_macro_recall",
    "precision_score_weighted", "precision_score_macro", "precision_score_micro", "recall_score_weighted",
    "recall_score_macro", "recall_score_micro", "f1_score_weighted", "f1_score_macro", "f1_score_micro",
    "balanced_accuracy", "log_loss", "matthews_correlation", "weighted_accuracy"}
REGRESSION_METRICS = {
    "r2_score", "normalized_root_mean_squared_error", "normalized_mean_absolute_error", "spearman_correlation",
    "root_mean_squared_error", "mean_absolute_error", "median_absolute_error", "normalized_median_absolute_error",
    "explained_variance", "root_mean_squared_log_error"}


def test_hr_classification_leaderboard(hr_run, hr_split):
    from sklearn.metrics import roc_auc_score

    result, reporter, wall = hr_run
    assert isinstance(result, AutoMLResult) and result.task == "classification"
    assert result.primary_metric == "AUC_weighted" and result.classes == ["No", "Yes"]
    completed = [t for t in result.trials if t.status == "Completed"]
    assert len(completed) >= 3
    primaries = [t.primary for t in completed]
    assert primaries == sorted(primaries, reverse=True)          # leaderboard order, best first
    assert result.best is result.trials[0] or result.best.primary >= result.trials[0].primary - 1e-12
    assert {t.algorithm for t in completed} >= {"LogisticRegression", "LightGBM"}
    for trial in completed:
        assert CLASSIFICATION_METRICS <= set(trial.metrics), trial.algorithm
        assert trial.featurization.startswith("auto")
    linear = next(t for t in completed if t.algorithm == "LogisticRegression")
    assert linear.featurization.startswith("auto+") and "C" in linear.params
    # the best model takes raw columns and beats a coin clearly on the hold-out
    _, test = hr_split
    proba = result.best.model.predict_proba(test.drop(columns="Attrition"))
    auc = roc_auc_score(test["Attrition"] == "Yes", proba[:, list(result.best.model.classes_).index("Yes")])
    assert auc > 0.78
    assert set(result.best.model.predict(test.drop(columns="Attrition").head(20))) <= {"No", "Yes"}
    # reporter saw the story in order
    names = reporter.names()
    assert names[0] == "on_featurization" and names[1] == "on_guardrails"
    assert names.count("on_trial_start") >= len(completed) and "on_progress" in names
    ended = [args[0] for name, args in reporter.calls if name == "on_trial_end"]
    assert all(isinstance(t, TrialResult) for t in ended)


def test_ensembles_compete_on_the_leaderboard(hr_run):
    result, _, _ = hr_run
    by_algorithm = {t.algorithm: t for t in result.trials}
    assert "VotingEnsemble" in by_algorithm and "StackEnsemble" in by_algorithm
    voting = by_algorithm["VotingEnsemble"]
    assert voting.members and math.isclose(sum(m["weight"] for m in voting.members), 1.0, abs_tol=1e-3)
    assert all(m["trial_id"] in {t.trial_id for t in result.trials} for m in voting.members)
    if voting.status == "Completed":
        assert voting.model is not None and CLASSIFICATION_METRICS <= set(voting.metrics)
    best_single = max(t.primary for t in result.trials if t.status == "Completed" and not t.members)
    if max(t.primary for t in result.trials if t.status == "Completed") > best_single:
        assert result.best.members                                # an ensemble that scores best is the best


def test_greedy_selection_combines_complementary_models():
    """Two models each right on a different half: the blend beats both, and selection finds it."""
    rng = np.random.default_rng(0)
    n = 400
    y = rng.integers(0, 2, n)
    noise = rng.normal(0, 0.35, (2, n))
    half = np.arange(n) < n // 2
    good_a = np.where(half, y + noise[0] * 0.3, 0.5 + noise[0])
    good_b = np.where(~half, y + noise[1] * 0.3, 0.5 + noise[1])
    preds = [np.column_stack([1 - p, p]) for p in (np.clip(good_a, 0, 1), np.clip(good_b, 0, 1))]
    groups = np.arange(n) % 4
    chosen, nested = _ensemble.voting(preds, y, None, groups, "classification", "AUC_weighted", None)
    assert set(chosen) == {0, 1}
    from modelyard.automl._metrics import primary_classification as auc

    assert auc("AUC_weighted", y, nested) > max(auc("AUC_weighted", y, p) for p in preds)


def test_time_budget_and_concurrency(hr_run):
    result, _, wall = hr_run
    budget = result.timings["budget_seconds"]
    assert budget == pytest.approx(90, abs=0.01)
    # structural bound only: the run ends with its budget, or (a machine far slower than predicted) once its
    # first model is done, at most a budget later
    assert wall < budget * 2 + 5
    assert result.timings["total_seconds"] <= wall
    assert result.timings["trials"] >= 2, "both workers start a trial at once"


def test_regression_with_weights_and_validation_share(regression_table):
    table = regression_table.copy()
    table["w"] = np.where(table["age"] > 0, 2.0, 1.0)
    job = make_job(task="regression", target="progression", seconds=15, weight_column_name="w",
                   validation_data_size=0.25, primary_metric="normalized_root_mean_squared_error")
    result = run_automl(job, table)
    completed = [t for t in result.trials if t.status == "Completed"]
    assert len(completed) >= 3 and result.classes is None
    values = [t.primary for t in completed]
    assert values == sorted(values)                              # lower is better for this metric
    assert REGRESSION_METRICS <= set(completed[0].metrics)
    assert {"ElasticNet", "LightGBM"} <= {t.algorithm for t in completed}
    charts = completed[0].charts
    assert charts["task"] == "regression" and charts["predicted_vs_true"]["bins"]
    assert sum(charts["residuals"]["counts"]) == round(len(table) * 0.25)
    prediction = result.best.model.predict(table.drop(columns=["progression", "w"]).head(5))
    assert prediction.shape == (5,) and np.isfinite(prediction).all()
    assert "hold-out" in result.validation


def test_multiclass_with_validation_data_exit_score_and_charts():
    from sklearn.datasets import load_iris

    frame = load_iris(as_frame=True).frame
    frame["target"] = frame["target"].map({0: "setosa", 1: "versicolor", 2: "virginica"})
    train, valid = frame.iloc[::2].reset_index(drop=True), frame.iloc[1::2].reset_index(drop=True)
    job = make_job(target="target", seconds=12, primary_metric="accuracy", limits={"exit_score": 0.9},
                   training={"enable_stack_ensemble": False})
    result = run_automl(job, train, valid)
    assert result.classes == ["setosa", "versicolor", "virginica"]
    assert result.best.primary >= 0.9
    assert result.timings["stop_reason"].startswith("exit_score")
    assert not any(t.algorithm == "StackEnsemble" for t in result.trials)
    charts = result.best.charts
    assert set(charts) >= {"roc", "precision_recall", "calibration", "confusion_matrix", "cumulative_gains", "lift"}
    assert set(charts["roc"]["per_class"]) == {"setosa", "versicolor", "virginica"}
    assert np.asarray(charts["confusion_matrix"]["counts"]).sum() == len(valid)
    assert charts["lift"]["percentiles"][-1] == 100
    assert result.best.model.predict_proba(valid.drop(columns="target")).shape == (len(valid), 3)


def test_allowed_algorithms_and_max_trials(hr_split):
    train, _ = hr_split
    # max_trials ends it; the roomy budget is for a loaded machine, where a 120 s budget left room for one trial
    job = make_job(seconds=600, limits={"max_trials": 3},
                   training={"allowed_training_algorithms": ["LogisticRegression"], "enable_vote_ensemble": False,
                             "enable_stack_ensemble": False})
    result = run_automl(job, train)
    assert {t.algorithm for t in result.trials} == {"LogisticRegression"}
    assert len(result.trials) == 3 and result.timings["stop_reason"] == "max_trials reached"


def test_a_search_that_stops_improving_terminates_early_and_says_why():
    import pandas as pd

    from modelyard.automl import _search

    # every configuration separates these classes perfectly: no trial after the first can improve the best score
    rng = np.random.default_rng(0)
    label = np.arange(200) % 2
    table = pd.DataFrame({"x": label * 10 + rng.normal(size=200), "noise": rng.normal(size=200), "label": label})
    quick = {"allowed_training_algorithms": ["LogisticRegression"], "enable_vote_ensemble": False,
             "enable_stack_ensemble": False, "enable_model_explainability": False}
    # a roomy budget: the stall, not the clock, ends the search (a loaded machine only makes it slower)
    stalled = run_automl(make_job(target="label", seconds=600, n_cross_validations=2, training=quick,
                                  limits={"max_concurrent_trials": 2}), table)
    reason = stalled.timings["stop_reason"]
    assert reason == f"early termination: no better score in the last {_search.STALL_WINDOW} trials"
    assert _search.STALL_AFTER + _search.STALL_WINDOW <= stalled.timings["trials"] <= \
        _search.STALL_AFTER + _search.STALL_WINDOW + 2
    assert stalled.best.primary == 1.0
    # switched off, the same search runs on to its other limits
    endless = run_automl(make_job(target="label", seconds=600, n_cross_validations=2, training=quick,
                                  limits={"max_concurrent_trials": 2, "max_trials": 45,
                                          "enable_early_termination": False}), table)
    assert endless.timings["stop_reason"] == "max_trials reached" and endless.timings["trials"] == 45


def test_an_unknown_executor_is_refused_before_any_work(hr_split):
    with pytest.raises(InvalidInput, match="unknown executor 'dask'; use 'processes' or 'ray'"):
        run_automl(make_job(), hr_split[0], executor="dask")

"""Cross Validate Model and Tune Model Hyperparameters on the HR data."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics

from modelyard.designer import run_module


@pytest.fixture(scope="module")
def data(workshop):
    return workshop["selected"]


def test_cross_validation_scores_every_row_once_and_reports_each_fold(data, workshop):
    scored, by_fold = run_module("cross_validate_model", {"untrained_model": workshop["learner"], "dataset": data},
                                 {"label_column": "Attrition", "number_of_folds": 5, "random_seed": 1}).values()
    assert len(scored) == len(data) and scored.index.equals(data.index)
    assert sorted(scored["Fold Assignments"].unique()) == [1, 2, 3, 4, 5]
    folds = by_fold[by_fold["Fold Number"].isin(["1", "2", "3", "4", "5"])]
    assert folds["Number of examples in fold"].sum() == len(data)
    for number, rows in scored.groupby("Fold Assignments"):
        truth = (rows["Attrition"] == "Yes").astype(int)
        auc = folds.loc[folds["Fold Number"] == str(number), "AUC"].iloc[0]
        assert auc == pytest.approx(metrics.roc_auc_score(truth, rows["Scored Probabilities"]))
    mean = by_fold.loc[by_fold["Fold Number"] == "Mean", "AUC"].iloc[0]
    assert mean == pytest.approx(folds["AUC"].mean())
    assert run_module("evaluate_model", {"scored_dataset": scored})["evaluation_results"]["left"]["metrics"]["AUC"] > 0.7


def test_tune_sweeps_the_grid_and_trains_the_best_on_all_rows(workshop):
    learner = run_module("two_class_boosted_decision_tree", parameters={
        "create_trainer_mode": "ParameterRange", "range_for_number_of_trees_constructed": "5; 40",
        "range_for_learning_rate": "0.05, 0.3", "random_number_seed": 0})["untrained_model"]
    assert learner.ranges == {"learning_rate": [0.05, 0.3], "number_of_trees_constructed": [5, 40]}
    results, best = run_module("tune_model_hyperparameters", {
        "untrained_model": learner, "training_dataset": workshop["train"],
        "optional_validation_dataset": workshop["test"]},
        {"label_column": "Attrition", "metric_for_measuring_performance_for_classification": "AUC"}).values()
    assert len(results) == 4 and list(results["AUC"]) == sorted(results["AUC"], reverse=True)
    # independently: each parameter set trained and scored on its own
    for _, row in results.iterrows():
        model = run_module("train_model", {"untrained_model": learner.with_parameters(
            {"learning_rate": row["learning_rate"], "number_of_trees_constructed": int(row["number_of_trees_constructed"])}),
            "dataset": workshop["train"]}, {"label_column": "Attrition"})["trained_model"]
        truth = (workshop["test"]["Attrition"] == "Yes").astype(int)
        assert row["AUC"] == pytest.approx(metrics.roc_auc_score(truth, model.predict_proba(workshop["test"])[:, 1]))
    lgbm = best.estimator.named_steps["learner"]
    assert (lgbm.learning_rate, lgbm.n_estimators) == (results.iloc[0]["learning_rate"],
                                                       results.iloc[0]["number_of_trees_constructed"])


def test_a_random_sweep_runs_at_most_the_maximum(workshop):
    learner = run_module("two_class_logistic_regression", parameters={
        "create_trainer_mode": "ParameterRange", "range_for_l1_regularization_weight": "0;0.5;1",
        "range_for_l2_regularization_weight": "0.1;1;10"})["untrained_model"]
    results, _ = run_module("tune_model_hyperparameters", {"untrained_model": learner,
                                                           "training_dataset": workshop["train"]},
                            {"label_column": "Attrition", "specify_parameter_sweeping_mode": "Random sweep",
                             "maximum_number_of_runs_on_random_sweep": 2,
                             "metric_for_measuring_performance_for_classification": "Average Log Loss"}).values()
    assert len(results) == 2 and list(results["Average Log Loss"]) == sorted(results["Average Log Loss"])
    assert np.isfinite(results["Average Log Loss"]).all()


def test_tuning_a_single_parameter_learner_says_what_to_change(workshop):
    with pytest.raises(Exception, match="Tune Model Hyperparameters: Two-Class Logistic Regression has no parameter "
                                        "ranges; set its 'Create trainer mode' to ParameterRange"):
        run_module("tune_model_hyperparameters", {"untrained_model": workshop["learner"],
                                                  "training_dataset": workshop["train"]}, {"label_column": "Attrition"})


def test_a_range_value_out_of_bounds_is_a_parameter_problem():
    with pytest.raises(Exception, match=r"Two-Class Boosted Decision Tree: parameter 'Range for learning rate' "
                                        r"\(range_for_learning_rate\): 2.0 is out of range: it must be between"):
        run_module("two_class_boosted_decision_tree", parameters={"create_trainer_mode": "ParameterRange",
                                                                  "range_for_learning_rate": "0.1; 2"})
    with pytest.raises(Exception, match=r"\(range_for_number_of_trees_constructed\): '2.5' is not a whole number"):
        run_module("two_class_boosted_decision_tree", parameters={"create_trainer_mode": "ParameterRange",
                                                                  "range_for_number_of_trees_constructed": "2.5"})

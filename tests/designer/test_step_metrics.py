"""What a step of each built-in module logs as metrics, read off the module's own outputs."""

from __future__ import annotations

import pytest

from modelyard.designer import run_module, step_metrics


def test_cross_validation_logs_each_folds_metrics_at_its_fold_and_their_mean(workshop):
    inputs = {"untrained_model": workshop["learner"], "dataset": workshop["selected"]}
    outputs = run_module("cross_validate_model", inputs, {"label_column": "Attrition", "number_of_folds": 3})
    logged = step_metrics("cross_validate_model", inputs, outputs, 1.0)
    by_fold = outputs["evaluation_results_by_fold"].set_index("Fold Number")
    auc = {step: value for name, value, step in logged if name == "AUC"}
    assert auc == pytest.approx({fold: by_fold.loc[str(fold), "AUC"] for fold in (1, 2, 3)})
    assert dict((n, v) for n, v, _ in logged)["mean/AUC"] == pytest.approx(by_fold.loc["Mean", "AUC"])


def test_tune_logs_the_sweeps_best_and_its_run_count(workshop):
    learner = run_module("two_class_logistic_regression", parameters={
        "create_trainer_mode": "ParameterRange", "range_for_l2_regularization_weight": "0.1;1"})["untrained_model"]
    inputs = {"untrained_model": learner, "training_dataset": workshop["train"],
              "optional_validation_dataset": workshop["test"]}
    outputs = run_module("tune_model_hyperparameters", inputs,
                         {"label_column": "Attrition", "metric_for_measuring_performance_for_classification": "AUC"})
    logged = {name: value for name, value, _ in step_metrics("tune_model_hyperparameters", inputs, outputs, 1.0)}
    assert logged == {"best/AUC": pytest.approx(outputs["sweep_results"]["AUC"].max()), "Sweep runs": 2}


def test_evaluate_logs_both_datasets_metrics_and_other_modules_log_none(workshop):
    inputs = {"scored_dataset": workshop["scored"], "scored_dataset_to_compare": workshop["scored"]}
    outputs = run_module("evaluate_model", inputs)
    logged = {name: value for name, value, _ in step_metrics("evaluate_model", inputs, outputs, 0.1)}
    metrics = workshop["evaluation"]["left"]["metrics"]
    assert logged == pytest.approx({**metrics, **{f"compare/{name}": value for name, value in metrics.items()}})
    assert step_metrics("score_model", {}, {"scored_dataset": workshop["scored"]}, 0.1) == []

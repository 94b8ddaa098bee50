"""Cross Validate Model and Tune Model Hyperparameters: many fits of one learner.

Folds are a seeded random assignment (``KFold(shuffle=True, random_state=seed)``). Tune Model
Hyperparameters scores each parameter set on the validation dataset when one is connected, else
by 3-fold cross-validation of the training dataset, then refits the best on all training rows.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from modelyard.errors import InvalidInput

from modelyard.designer._evaluate import LOWER_IS_BETTER, evaluate_scores
from modelyard.designer._registry import column, enum, module, parameter, port
from modelyard.designer._train import SCORE_ATTR, fit_model, score, score_schema, train_schema
from modelyard.designer._values import UntrainedModel

FOLD_COLUMN = "Fold Assignments"
CLASSIFICATION_METRICS = {"Accuracy": "Accuracy", "Precision": "Precision", "Recall": "Recall", "F-score": "F1 Score",
                          "AUC": "AUC", "Average Log Loss": "Average Log Loss"}
REGRESSION_METRICS = {"Mean absolute error": "Mean Absolute Error",
                      "Root of mean squared error": "Root Mean Squared Error",
                      "Relative absolute error": "Relative Absolute Error",
                      "Relative squared error": "Relative Squared Error",
                      "Coefficient of determination": "Coefficient of Determination"}


def cross_validate(learner: UntrainedModel, dataset, label_column: str, folds: int, seed: int,
                   overrides: dict | None = None):
    """``(scored rows with their fold, one metrics dict per fold)``."""
    import pandas as pd
    from sklearn.model_selection import KFold

    if not 2 <= folds <= len(dataset):
        raise InvalidInput(f"{folds} folds need between 2 and {len(dataset)} (the row count)")
    parts, per_fold = [], []
    for number, (train, test) in enumerate(KFold(folds, shuffle=True, random_state=seed).split(dataset), start=1):
        model = fit_model(learner, dataset.iloc[train], label_column, overrides)
        scored = score(model, dataset.iloc[test])
        scored.insert(0, FOLD_COLUMN, number)
        per_fold.append({"Fold Number": number, "Number of examples in fold": len(test),
                         **evaluate_scores(scored)["metrics"]})
        parts.append(scored)
    scored = pd.concat(parts).sort_index()
    scored.attrs[SCORE_ATTR] = parts[0].attrs[SCORE_ATTR]
    return scored, per_fold


def _cross_validation_schema(inputs, params):
    model = train_schema(inputs, params).get("trained_model")
    scored = score_schema({"dataset": inputs.get("dataset"), "trained_model": model},
                          {"append_score_columns_to_output": True}).get("scored_dataset")
    return {"scored_results": {FOLD_COLUMN: "integer", **scored} if scored else None}


@module("cross_validate_model", "Cross Validate Model", "Model Training",
        "Trains and scores the learner once per fold; per-fold metrics with their mean and standard deviation.",
        inputs=[port("untrained_model", "Untrained model", "UntrainedModel"), port("dataset", "Dataset")],
        outputs=[port("scored_results", "Scored results"),
                 port("evaluation_results_by_fold", "Evaluation results by fold")],
        parameters=[column("label_column", "Label column"),
                    parameter("integer", "number_of_folds", "Number of folds", 10, minimum=2),
                    parameter("integer", "random_seed", "Random seed", 0, minimum=0)],
        schema=_cross_validation_schema)
def cross_validate_model(untrained_model, dataset, *, label_column, number_of_folds, random_seed):
    import pandas as pd

    scored, per_fold = cross_validate(untrained_model, dataset, label_column, number_of_folds, random_seed)
    table = pd.DataFrame(per_fold)
    metrics = table.drop(columns=["Fold Number", "Number of examples in fold"])
    summary = pd.DataFrame([{"Fold Number": "Mean", **metrics.mean().to_dict()},
                            {"Fold Number": "Standard Deviation", **metrics.std(ddof=1).to_dict()}])
    table["Fold Number"] = table["Fold Number"].astype(str)
    return scored, pd.concat([table, summary], ignore_index=True)


def _candidates(learner: UntrainedModel, mode: str, runs: int, seed: int) -> list[dict[str, Any]]:
    grid = [dict(zip(learner.ranges, values)) for values in itertools.product(*learner.ranges.values())]
    if mode == "Entire grid" or len(grid) <= runs:
        return grid
    picked = np.random.default_rng(seed).choice(len(grid), size=runs, replace=False)
    return [grid[i] for i in sorted(picked)]


def _metric(learner: UntrainedModel, classification: str, regression: str) -> str:
    if learner.task == "regression":
        return REGRESSION_METRICS[regression]
    name = CLASSIFICATION_METRICS[classification]
    if learner.task == "multiclass":
        return {"Accuracy": "Overall Accuracy", "Precision": "Macro Precision", "Recall": "Macro Recall",
                "Average Log Loss": "Average Log Loss"}.get(classification) or _refuse(classification)
    return name


def _refuse(metric: str):
    raise InvalidInput(f"metric '{metric}' is defined for two classes only; pick Accuracy, Precision, Recall or "
                       "Average Log Loss for a multiclass learner")


def _tune_schema(inputs, params):
    found = train_schema({"untrained_model": inputs.get("untrained_model"), "dataset": inputs.get("training_dataset")},
                          params)
    return {"trained_best_model": found.get("trained_model")}


@module("tune_model_hyperparameters", "Tune Model Hyperparameters", "Model Training",
        "Sweeps a learner's parameter ranges (entire grid or random sweep) and trains the best parameter set.",
        inputs=[port("untrained_model", "Untrained model", "UntrainedModel"),
                port("training_dataset", "Training dataset"),
                port("optional_validation_dataset", "Optional validation dataset", optional=True)],
        outputs=[port("sweep_results", "Sweep results"), port("trained_best_model", "Trained best model",
                                                              "ModelDirectory")],
        parameters=[enum("specify_parameter_sweeping_mode", "Specify parameter sweeping mode",
                         ["Entire grid", "Random sweep"]),
                    parameter("integer", "maximum_number_of_runs_on_random_sweep",
                              "Maximum number of runs on random sweep", 5, minimum=1,
                              enabled_when={"specify_parameter_sweeping_mode": ["Random sweep"]}),
                    parameter("integer", "random_seed", "Random seed", 0, minimum=0),
                    column("label_column", "Label column", columns_of="training_dataset"),
                    enum("metric_for_measuring_performance_for_classification",
                         "Metric for measuring performance for classification", list(CLASSIFICATION_METRICS)),
                    enum("metric_for_measuring_performance_for_regression",
                         "Metric for measuring performance for regression", list(REGRESSION_METRICS))],
        schema=_tune_schema)
def tune_model_hyperparameters(untrained_model, training_dataset, optional_validation_dataset, *,
                               specify_parameter_sweeping_mode, maximum_number_of_runs_on_random_sweep, random_seed,
                               label_column, metric_for_measuring_performance_for_classification,
                               metric_for_measuring_performance_for_regression):
    import pandas as pd

    if not untrained_model.range_mode:
        raise InvalidInput(f"{untrained_model.display_name} has no parameter ranges; set its 'Create trainer mode' "
                           "to ParameterRange and give the ranges to sweep")
    metric = _metric(untrained_model, metric_for_measuring_performance_for_classification,
                     metric_for_measuring_performance_for_regression)
    rows, candidates = [], []
    for overrides in _candidates(untrained_model, specify_parameter_sweeping_mode,
                                 maximum_number_of_runs_on_random_sweep, random_seed):
        if optional_validation_dataset is not None:
            model = fit_model(untrained_model, training_dataset, label_column, overrides)
            value = evaluate_scores(score(model, optional_validation_dataset))["metrics"][metric]
        else:
            _, folds = cross_validate(untrained_model, training_dataset, label_column, 3, random_seed, overrides)
            value = float(np.mean([fold[metric] for fold in folds]))
        rows.append({**overrides, metric: value})
        candidates.append(overrides)
    results = pd.DataFrame(rows).sort_values(metric, ascending=metric in LOWER_IS_BETTER, kind="stable")
    best = candidates[results.index[0]]
    return results.reset_index(drop=True), fit_model(untrained_model, training_dataset, label_column, best)

"""Permutation Feature Importance: how much a trained model's metric drops when one feature's values
are shuffled. Features are shuffled one at a time, in the model's column order, each by the next
permutation of ``numpy.random.default_rng(seed)``; the score is the metric on the rows as they are
minus the metric with that feature shuffled (the other way round for error metrics and log loss),
so a feature the model does not use scores 0."""

from __future__ import annotations

from modelyard.errors import InvalidInput

from modelyard.designer._evaluate import LOWER_IS_BETTER, evaluate_scores
from modelyard.designer._registry import enum, module, parameter, port
from modelyard.designer._train import score

CLASSIFICATION = {"Accuracy": "Accuracy", "Precision": "Precision", "Recall": "Recall",
                  "Average Log Loss": "Average Log Loss"}
REGRESSION = {"Mean Absolute Error": "Mean Absolute Error", "Root Mean Squared Error": "Root Mean Squared Error",
              "Relative Absolute Error": "Relative Absolute Error", "Relative Squared Error": "Relative Squared Error",
              "Coefficient of Determination": "Coefficient of Determination"}
MULTICLASS = {"Accuracy": "Overall Accuracy", "Precision": "Macro Precision", "Recall": "Macro Recall",
              "Average Log Loss": "Average Log Loss"}


def metric_of(model, name: str) -> float:
    table = {"regression": REGRESSION, "multiclass": MULTICLASS}.get(model.task, CLASSIFICATION)
    if name not in table:
        raise InvalidInput(f"metric '{name}' does not measure a {model.task} model; pick one of: {', '.join(table)}")
    return table[name]


def importances(model, rows, metric_name: str, seed: int) -> dict[str, float]:
    import numpy as np

    metric = metric_of(model, metric_name)
    sign = -1 if metric in LOWER_IS_BETTER else 1
    base = evaluate_scores(score(model, rows))["metrics"][metric]
    rng = np.random.default_rng(seed)
    found = {}
    for name in model.feature_columns:
        shuffled = rows.copy()
        shuffled[name] = rows[name].to_numpy()[rng.permutation(len(rows))]
        found[name] = sign * (base - evaluate_scores(score(model, shuffled))["metrics"][metric])
    return found


@module("permutation_feature_importance", "Permutation Feature Importance", "Feature Selection",
        "Scores each feature of a trained model by how much shuffling its values worsens a metric on test data.",
        inputs=[port("trained_model", "Trained model", "ModelDirectory"), port("test_data", "Test data")],
        outputs=[port("feature_importance", "Feature importance")],
        parameters=[parameter("integer", "random_seed", "Random seed", 0, minimum=0),
                    enum("metric_for_measuring_performance", "Metric for measuring performance",
                         list(CLASSIFICATION) + list(REGRESSION))])
def permutation_feature_importance(trained_model, test_data, *, random_seed, metric_for_measuring_performance):
    import pandas as pd

    found = importances(trained_model, test_data, metric_for_measuring_performance, random_seed)
    table = pd.DataFrame({"Feature": list(found), "Score": list(found.values())})
    return table.sort_values("Score", ascending=False, kind="stable").reset_index(drop=True)

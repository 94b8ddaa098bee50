"""Bad input is refused with an InvalidInput that names the problem and the fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from modelyard.automl import run_automl
from modelyard.errors import InvalidInput
from automl_fixtures import make_job


def _small(n=60, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"x": rng.normal(size=n), "k": rng.choice(["a", "b"], n),
                         "label": rng.choice(["yes", "no"], n)})


def test_target_column_missing():
    with pytest.raises(InvalidInput, match="target column 'Attrition' is not in the training data"):
        run_automl(make_job(seconds=10), _small())


def test_target_with_a_single_class():
    frame = _small().assign(label="yes")
    with pytest.raises(InvalidInput, match="single class \\('yes'\\)"):
        run_automl(make_job(target="label", seconds=10), frame)


def test_regression_target_not_numeric():
    with pytest.raises(InvalidInput, match="regression needs a numeric target.*'label'"):
        run_automl(make_job(task="regression", target="label", seconds=10), _small())


def test_fewer_rows_than_folds():
    with pytest.raises(InvalidInput, match="12 rows, fewer than n_cross_validations=20"):
        run_automl(make_job(target="label", seconds=10, n_cross_validations=20), _small(12))


def test_budget_too_small_to_train_anything(hr):
    # no timing assertion (a loaded machine took 25 s): pytest-timeout's hang guard catches a search that goes on
    with pytest.raises(InvalidInput, match="time budget of .* is too small to train any model.*timeout_minutes"):
        run_automl(make_job(seconds=0.5), hr)


def test_entirely_empty_columns_are_dropped_with_a_guardrail():
    frame = _small(80).assign(empty=np.nan, blank=pd.Series([None] * 80, dtype="str"))
    # not a budget test: a roomy budget that max_trials ends, so a loaded machine still trains a model
    job = make_job(target="label", seconds=120, limits={"max_trials": 2},
                   training={"allowed_training_algorithms": ["LogisticRegression"]})
    result = run_automl(job, frame)
    rail = next(g for g in result.guardrails if g["name"] == "Empty and constant columns")
    assert rail["status"] == "done" and {d["column"] for d in rail["details"]} == {"empty", "blank"}
    summary = {r["raw_feature_name"]: r for r in result.featurization}
    assert summary["empty"]["type_detected"] == "Empty" and summary["empty"]["dropped"]
    assert result.best.model.predict(frame.drop(columns="label").head(3)).shape == (3,)


def test_nothing_left_when_every_feature_is_empty():
    frame = pd.DataFrame({"a": [np.nan] * 40, "b": [None] * 40, "label": ["x", "y"] * 20})
    with pytest.raises(InvalidInput, match="no usable feature column is left"):
        run_automl(make_job(target="label", seconds=8), frame)


def test_metric_task_mismatch_and_unknown_algorithm_are_refused_by_the_spec():
    with pytest.raises(ValidationError, match="does not fit a regression task"):
        make_job(task="regression", target="y", primary_metric="AUC_weighted")
    with pytest.raises(ValidationError, match="unknown training algorithm"):
        make_job(training={"allowed_training_algorithms": ["DeepForest"]})


def test_no_algorithm_left_for_the_task():
    job = make_job(task="regression", target="x", seconds=8,
                   training={"allowed_training_algorithms": ["LogisticRegression"]})
    with pytest.raises(InvalidInput, match="no regression algorithm is left"):
        run_automl(job, _small())


def test_positive_label_must_be_a_class():
    with pytest.raises(InvalidInput, match="positive_label 'maybe' is not a class"):
        run_automl(make_job(target="label", seconds=8, positive_label="maybe"), _small())


def test_weight_column_must_exist_and_be_non_negative():
    with pytest.raises(InvalidInput, match="weight column 'w' is not in the training data"):
        run_automl(make_job(target="label", seconds=8, weight_column_name="w"), _small())
    with pytest.raises(InvalidInput, match="non-negative"):
        run_automl(make_job(target="label", seconds=8, weight_column_name="x"), _small())

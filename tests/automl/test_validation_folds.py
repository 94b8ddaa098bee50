"""A small table is cross-validated on repeated folds; a trial's out-of-fold predictions keep each partition's
apart (scored together), and its charts show the first partition: one prediction per row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from automl_fixtures import make_job
from modelyard.automl._work import fold_of_rows, oof_order, out_of_fold, partitions, validation_rows


def _table(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=rows), rng.normal(size=rows)
    return pd.DataFrame({"a": a, "b": b, "label": np.where(a + 0.5 * b + rng.normal(scale=0.5, size=rows) > 0,
                                                           "up", "down")})


def test_a_small_table_is_validated_on_three_partitions_and_ensembles_hold_out_the_first():
    from modelyard.automl._prepare import prepare

    data = prepare(make_job(target="label"), _table(300), None)
    assert data.validation == "5-fold cross-validation repeated 3 times (the default for 300 rows)"
    assert len(data.folds) == 15
    assert (np.bincount(np.concatenate([va for _, va in data.folds])) == 3).all()   # once in each partition
    assert len(data.oof_rows) == 900 and (np.bincount(data.oof_rows) == 3).all()
    np.testing.assert_array_equal(data.oof_rows[:300], data.oof_rows[300:600])
    first_partition = data.folds[:5]
    for group in range(5):   # every partition's prediction of a row is held out with the row
        assert sorted(data.oof_rows[data.groups == group]) == sorted(np.repeat(first_partition[group][1], 3))
    for (_, one), (_, other) in zip(data.folds[:5], data.folds[5:10]):
        assert not np.array_equal(one, other)
    rail = next(r for r in data.guardrails if r["name"] == "Too few rows per class")
    assert rail["status"] == "passed"


def test_a_larger_table_keeps_one_partition():
    from modelyard.automl._prepare import prepare

    data = prepare(make_job(target="label"), _table(1500), None)
    assert data.validation == "5-fold cross-validation (the default for 1500 rows)"
    assert len(data.folds) == 5 and len(data.oof_rows) == 1500 and sorted(data.oof_rows) == list(range(1500))


def test_out_of_fold_predictions_keep_each_partition_apart():
    folds = [(np.array([3, 4, 5]), np.array([0, 1, 2])), (np.array([0, 1, 2]), np.array([3, 4, 5])),
             (np.array([1, 2, 5]), np.array([0, 3, 4])), (np.array([0, 3, 4]), np.array([1, 2, 5]))]
    blocks = [np.array([[0.0], [1.0], [2.0]]), np.array([[3.0], [4.0], [5.0]]),
              np.array([[10.0], [13.0], [14.0]]), np.array([[11.0], [12.0], [15.0]])]
    assert list(oof_order(folds)) == [0, 1, 2, 3, 4, 5]
    assert list(fold_of_rows(folds)) == [0, 0, 0, 1, 1, 1]
    assert partitions(folds) == 2 and list(validation_rows(folds)) == [0, 1, 2, 3, 4, 5] * 2
    np.testing.assert_array_equal(out_of_fold(blocks, folds)[:, 0],
                                  [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0])
    # one partition: the blocks as they are, in fold order
    plain = folds[:2]
    assert list(oof_order(plain)) == [0, 1, 2, 3, 4, 5]
    np.testing.assert_array_equal(out_of_fold(blocks[:2], plain), np.concatenate(blocks[:2]))
    # regression predictions are one-dimensional
    flat = out_of_fold([b[:, 0] for b in blocks], folds)
    assert flat.shape == (12,) and flat[6] == 10.0


def test_a_run_on_a_small_table_scores_every_trial_on_every_partition():
    from modelyard.automl import run_automl

    frame = _table(300)
    job = make_job(target="label", seconds=60, primary_metric="accuracy",
                   limits={"max_concurrent_trials": 2, "max_trials": 3})
    result = run_automl(job, frame)
    assert result.validation.startswith("5-fold cross-validation repeated 3 times")
    singles = [t for t in result.trials if t.status == "Completed" and not t.members]
    assert singles and all(len(t.fold_scores) == 15 for t in singles)
    for trial in singles:   # 15 folds of 60 rows: the accuracy of every partition's predictions is their mean
        assert trial.primary == pytest.approx(np.mean(trial.fold_scores))
    counts = singles[0].charts["confusion_matrix"]["counts"]
    assert np.asarray(counts).sum() == len(frame)   # one out-of-fold prediction per row

"""Linear TreeSHAP over LightGBM's trees: the values of LightGBM's own pred_contrib, and its fallback."""

from __future__ import annotations

import lightgbm as lgb
import numpy as np
import pytest

from modelyard.errors import InvalidInput
from modelyard.explain._methods import LightGBMExplainer

ROWS = 1500


def _data(seed: int = 0):
    """Numbers with NaNs and exact zeros, a categorical column (integer codes) and a duplicate-prone signal."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(ROWS, 6))
    X[:, 2] = rng.integers(0, 40, ROWS)
    X[rng.random(ROWS) < 0.15, 0] = np.nan
    X[rng.random(ROWS) < 0.2, 3] = 0.0
    signal = X[:, 1] + (X[:, 2] % 3 == 0) + np.nan_to_num(X[:, 0], nan=-1.0) * X[:, 3] + np.sin(3 * X[:, 4])
    return X, signal


def _scored_rows(X):
    """The training rows plus the edge cases of LightGBM's decisions: unseen, negative, fractional and
    missing categories, NaN where training had none, values under LightGBM's zero threshold."""
    rows = X[:300].copy()
    rows[:6, 2] = [-1, np.nan, 100, -0.5, 3.7, 1e12]
    rows[6:9, 1] = [np.nan, 1e-36, -0.0]
    rows[9, 3] = 1e-40
    return rows


def _booster(objective: str, **params):
    X, signal = _data()
    labels = {"regression": signal, "binary": (signal > 0.5).astype(int),
              "multiclass": np.digitize(signal, [0.0, 1.0])}[objective]
    extra = {"num_class": 3} if objective == "multiclass" else {}
    settings = {"objective": objective, "verbose": -1, "num_leaves": 31, "min_data_in_leaf": 5,
                "max_cat_to_onehot": 2, "num_threads": 1, **extra, **params}
    return lgb.train(settings, lgb.Dataset(X, labels, categorical_feature=[2]), num_boost_round=30), X


@pytest.mark.parametrize("objective", ["regression", "binary", "multiclass"])
@pytest.mark.parametrize("zero_as_missing", [False, True])
def test_values_equal_pred_contrib_and_add_up_to_the_raw_prediction(objective, zero_as_missing):
    booster, X = _booster(objective, zero_as_missing=zero_as_missing)
    rows = _scored_rows(X)
    explainer = LightGBMExplainer(booster)
    assert explainer.fallback is None
    ours = explainer.contributions(rows)
    expected = booster.predict(rows, pred_contrib=True)
    raw = booster.predict(rows, raw_score=True).reshape(len(rows), -1)
    scale = np.abs(raw).max()
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-6 * scale)
    per_output = ours.reshape(len(rows), raw.shape[1], -1)
    np.testing.assert_allclose(per_output.sum(axis=2), raw, rtol=0, atol=1e-6 * scale)
    np.testing.assert_array_equal(explainer.contributions(rows, threads=1), ours)


def test_trees_up_to_the_best_iteration_and_one_leaf_trees():
    X, signal = _data(1)
    train, valid = lgb.Dataset(X[:1000], signal[:1000]), lgb.Dataset(X[1000:], signal[1000:])
    booster = lgb.train({"verbose": -1, "num_threads": 1, "learning_rate": 0.5}, train, num_boost_round=200,
                        valid_sets=[valid], callbacks=[lgb.early_stopping(3, verbose=False)])
    assert 0 < booster.best_iteration < 200
    constant = lgb.train({"verbose": -1, "num_threads": 1}, lgb.Dataset(X, np.full(ROWS, 2.5)), num_boost_round=3)
    for model in (booster, constant):
        np.testing.assert_allclose(LightGBMExplainer(model).contributions(X), model.predict(X, pred_contrib=True),
                                   rtol=0, atol=1e-9)


def test_falls_back_to_pred_contrib_where_linear_tree_shap_does_not_apply():
    booster, X = _booster("regression", boosting="rf", bagging_freq=1, bagging_fraction=0.7)
    explainer = LightGBMExplainer(booster)
    assert explainer.linear is None and "averages its trees" in explainer.fallback
    np.testing.assert_array_equal(explainer.contributions(X[:50]), booster.predict(X[:50], pred_contrib=True))


def test_linear_trees_which_lightgbm_does_not_explain_either_are_refused_clearly():
    booster, X = _booster("regression", linear_tree=True)
    explainer = LightGBMExplainer(booster)
    assert "linear trees" in explainer.fallback
    with pytest.raises(InvalidInput, match="not implemented for linear trees.*method permutation"):
        explainer.contributions(X[:5])


def test_data_of_another_width_is_refused_naming_both_widths():
    booster, X = _booster("binary")
    with pytest.raises(InvalidInput, match=r"7 feature column\(s\) where the LightGBM model was trained on 6"):
        LightGBMExplainer(booster).contributions(np.hstack([X, X[:, :1]]))

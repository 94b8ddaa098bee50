"""Fairness numbers equal a direct pandas groupby on the same predictions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from modelyard.explain import assess_fairness


def _by_hand(y_true: pd.Series, decision: pd.Series, score: pd.Series, groups: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame({"y": y_true, "d": decision, "s": score, "g": groups})
    frame["tp"] = (frame.y == 1) & (frame.d == 1)
    frame["fp"] = (frame.y == 0) & (frame.d == 1)
    frame["fn"] = (frame.y == 1) & (frame.d == 0)
    frame["tn"] = (frame.y == 0) & (frame.d == 0)
    sums = frame.groupby("g")[["tp", "fp", "fn", "tn", "d"]].sum()
    n = sums[["tp", "fp", "fn", "tn"]].sum(axis=1)
    out = pd.DataFrame({
        "count": n,
        "selection_rate": sums.d / n,
        "accuracy": (sums.tp + sums.tn) / n,
        "precision": sums.tp / (sums.tp + sums.fp),
        "recall": sums.tp / (sums.tp + sums.fn),
        "false_positive_rate": sums.fp / (sums.fp + sums.tn),
        "false_negative_rate": sums.fn / (sums.fn + sums.tp),
    })
    out["auc"] = frame.groupby("g").apply(lambda g: roc_auc_score(g.y, g.s), include_groups=False)
    return out


def _check(report_feature, expected: pd.DataFrame, groups):
    assert [g.group for g in groups] == list(expected.index)
    for group in groups:
        row = expected.loc[group.group]
        for name, value in row.items():
            assert getattr(group, name) == pytest.approx(value, abs=1e-12), (group.group, name)
    rates, tpr, fpr = expected.selection_rate, expected.recall, expected.false_positive_rate
    assert report_feature.demographic_parity_difference == pytest.approx(rates.max() - rates.min(), abs=1e-12)
    assert report_feature.demographic_parity_ratio == pytest.approx(rates.min() / rates.max(), abs=1e-12)
    assert report_feature.equalized_odds_difference == pytest.approx(
        max(tpr.max() - tpr.min(), fpr.max() - fpr.min()), abs=1e-12)


def test_group_metrics_and_disparities_equal_a_pandas_groupby(hr, lr_pipeline):
    X = hr[lr_pipeline.feature_names_in_]
    score = pd.Series(lr_pipeline.predict_proba(X)[:, 1], index=hr.index)
    y_true = (hr.Attrition == "Yes").astype(int)
    report = assess_fairness(lr_pipeline, hr, target="Attrition", sensitive=["MaritalStatus", "Age"],
                             bins={"Age": [30, 40, 50]}, thresholds=[0.3])
    assert report.positive_label == "Yes" and report.rows == len(hr)
    marital, age = report.features
    expected = _by_hand(y_true, (score >= 0.5).astype(int), score, hr.MaritalStatus)
    _check(marital.disparities, expected, marital.groups)
    assert marital.overall.count == len(hr)
    assert marital.overall.selection_rate == pytest.approx((score >= 0.5).mean(), abs=1e-12)
    age_groups = pd.cut(hr.Age, [-np.inf, 30, 40, 50, np.inf], right=False,
                        labels=["[-inf, 30)", "[30, 40)", "[40, 50)", "[50, inf)"]).astype(str)
    assert age.bins == [30, 40, 50]
    _check(age.disparities, _by_hand(y_true, (score >= 0.5).astype(int), score, age_groups), age.groups)
    (point,) = marital.thresholds
    assert point.threshold == 0.3
    _check(point.disparities, _by_hand(y_true, (score >= 0.3).astype(int), score, hr.MaritalStatus), point.groups)

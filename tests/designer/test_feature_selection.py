"""Filter Based Feature Selection: scores equal scipy's and scikit-learn's; the N best are kept."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.metrics import mutual_info_score

from modelyard.designer import run_module

FEATURES = ["Age", "MonthlyIncome", "TotalWorkingYears", "JobLevel", "DistanceFromHome", "OverTime", "JobRole"]


def select(frame, method, n, target="Attrition"):
    result = run_module("filter_based_feature_selection", {"dataset": frame[[*FEATURES, target]]},
                        {"feature_scoring_method": method, "target_column": target, "number_of_desired_features": n})
    return result["filtered_dataset"], result["features"]


def codes(series):
    return series if pd.api.types.is_numeric_dtype(series) else series.astype("category").cat.codes


@pytest.mark.parametrize("method, measure", [("Pearson Correlation", stats.pearsonr),
                                             ("Spearman Correlation", stats.spearmanr),
                                             ("Kendall Correlation", stats.kendalltau)])
def test_correlations_equal_scipy(hr, method, measure):
    _, scores = select(hr, method, 3)
    y = codes(hr["Attrition"])
    for name in FEATURES:
        assert scores[name].iloc[0] == pytest.approx(abs(measure(codes(hr[name]), y).statistic)), name


def test_chi_squared_equals_scipy_on_the_contingency_table(hr):
    _, scores = select(hr, "Chi Squared", 2)
    for name in FEATURES:
        expected = stats.chi2_contingency(pd.crosstab(hr[name], hr["Attrition"]), correction=False).statistic
        assert scores[name].iloc[0] == pytest.approx(expected), name


def test_mutual_information_equals_scikit_learn(hr):
    _, scores = select(hr, "Mutual Information", 2)
    for name in FEATURES:
        assert scores[name].iloc[0] == pytest.approx(mutual_info_score(hr[name], hr["Attrition"])), name


def test_the_n_best_are_kept_with_the_target_first(hr):
    filtered, scores = select(hr, "Pearson Correlation", 3)
    ranked = list(scores.columns)
    assert list(scores.iloc[0]) == sorted(scores.iloc[0], reverse=True)
    assert list(filtered.columns) == ["Attrition", *ranked[:3]]
    assert "OverTime" in ranked[:3]  # the strongest single signal of attrition in this data


def test_count_based_counts_non_zero_values(hr):
    _, scores = select(hr, "Count Based", 1)
    assert scores["TotalWorkingYears"].iloc[0] == (hr["TotalWorkingYears"] != 0).sum()


def test_a_constant_feature_scores_zero(hr):
    frame = hr.assign(Age=1)
    _, scores = select(frame, "Pearson Correlation", 1)
    assert scores["Age"].iloc[0] == 0 and np.isfinite(scores.iloc[0]).all()


def test_an_unknown_target_is_named(hr):
    with pytest.raises(Exception, match=r"Filter Based Feature Selection: parameter 'Target column' \(target_column\): "
                                        r"column 'attrition' \(did you mean 'Attrition'\?\)"):
        run_module("filter_based_feature_selection", {"dataset": hr}, {"target_column": "attrition"})

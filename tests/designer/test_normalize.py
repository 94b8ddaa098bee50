"""Normalize Data: each method equals the textbook formula or scikit-learn on the HR numerics."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from modelyard.designer import run_module

NUMERICS = ["Age", "DailyRate", "DistanceFromHome", "MonthlyIncome", "TotalWorkingYears", "YearsAtCompany"]


def normalize(frame, method, names=NUMERICS, **parameters):
    result = run_module("normalize_data", {"dataset": frame},
                        {"transformation_method": method, "columns_to_transform": names, **parameters})
    return result["transformed_dataset"], result["transformation_function"]


def test_zscore_equals_standard_scaler(hr):
    out, _ = normalize(hr, "ZScore")
    assert np.allclose(out[NUMERICS].to_numpy(), StandardScaler().fit_transform(hr[NUMERICS]))


def test_minmax_equals_minmax_scaler(hr):
    out, _ = normalize(hr, "MinMax")
    assert np.allclose(out[NUMERICS].to_numpy(), MinMaxScaler().fit_transform(hr[NUMERICS]))


def test_logistic_and_tanh_equal_their_formulas(hr):
    scaled = hr[NUMERICS] / 1000.0  # tanh and the logistic saturate on raw incomes
    frame = hr.assign(**{name: scaled[name] for name in NUMERICS})
    logistic, _ = normalize(frame, "Logistic")
    assert np.allclose(logistic[NUMERICS].to_numpy(), 1 / (1 + np.exp(-scaled.to_numpy())))
    tanh, _ = normalize(frame, "Tanh")
    assert np.allclose(tanh[NUMERICS].to_numpy(), np.tanh(scaled.to_numpy()))


def test_lognormal_is_the_fitted_lognormal_cdf(hr):
    positive = ["Age", "DailyRate", "DistanceFromHome", "MonthlyIncome"]
    out, _ = normalize(hr, "LogNormal", positive)
    for name in positive:
        logs = np.log(hr[name].to_numpy(float))
        expected = stats.lognorm.cdf(hr[name], s=logs.std(), scale=np.exp(logs.mean()))
        assert np.allclose(out[name], expected), name


def test_other_columns_are_left_alone(hr):
    out, _ = normalize(hr, "ZScore")
    others = [c for c in hr.columns if c not in NUMERICS]
    assert out[others].equals(hr[others])


def test_a_constant_column_becomes_zero_or_missing(hr):
    out, _ = normalize(hr, "ZScore", ["EmployeeCount", "Age"])  # EmployeeCount is 1 on every row
    assert (out["EmployeeCount"] == 0).all()
    out, _ = normalize(hr, "MinMax", ["EmployeeCount"], use_0_for_constant_columns_when_checked=False)
    assert out["EmployeeCount"].isna().all()


def test_the_transformation_applies_the_training_statistics(hr):
    train, test = hr.iloc[:1000], hr.iloc[1000:]
    _, transformation = normalize(train, "ZScore")
    applied = run_module("apply_transformation", {"transformation": transformation, "dataset": test})
    expected = StandardScaler().fit(train[NUMERICS]).transform(test[NUMERICS])
    assert np.allclose(applied["transformed_dataset"][NUMERICS].to_numpy(), expected)


def test_the_default_selection_is_every_numeric_column(hr):
    out, transformation = run_module("normalize_data", {"dataset": hr}).values()
    numeric = [c for c in hr.columns if hr[c].dtype.kind in "if"]
    assert sorted(transformation.statistics) == sorted(numeric)
    assert out["Attrition"].equals(hr["Attrition"])


def test_text_columns_are_refused_with_the_fix(hr):
    with pytest.raises(Exception, match=r"Normalize Data: parameter 'columns_to_transform' selects non-numeric "
                                        r"columns 'Attrition' \(string\); select numeric columns only"):
        normalize(hr, "ZScore", ["Age", "Attrition"])


def test_applying_to_data_without_the_fitted_columns_is_refused(hr):
    _, transformation = normalize(hr, "ZScore")
    with pytest.raises(Exception, match="Apply Transformation: the normalization was fitted on columns the data "
                                        "lacks: Age"):
        run_module("apply_transformation", {"transformation": transformation, "dataset": hr.drop(columns="Age")})

"""The HR attrition profile checked against an independent pandas computation."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from modelyard.data import infer_schema, profile_source, read_arrow
from modelyard.spec.data import QUANTILES

NUMERIC = ["Age", "MonthlyIncome", "DailyRate", "DistanceFromHome", "YearsAtCompany", "EmployeeCount"]
CATEGORICAL = ["Attrition", "BusinessTravel", "JobRole", "OverTime"]


@pytest.fixture(scope="module")
def frame(hr_csv) -> pd.DataFrame:
    return pd.read_csv(hr_csv, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def profile(hr_csv, source):
    hr = source(hr_csv)
    return {column.name: column for column in profile_source(hr, infer_schema(hr)).columns}


def close(a, b) -> bool:
    if b is None or (isinstance(b, float) and math.isnan(b)):
        return a is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def test_schema_has_every_column_without_bom_and_typed(hr_csv, frame, source):
    schema = infer_schema(source(hr_csv))
    assert [c.name for c in schema] == list(frame.columns)
    assert schema[0].name == "Age"
    types = {c.name: c.type for c in schema}
    assert types["Age"] == "integer" and types["Attrition"] == "string"
    assert all(types[n] == "integer" for n in frame.select_dtypes("number").columns)


def test_read_arrow_matches_pandas(hr_csv, frame, source):
    hr = source(hr_csv)
    table = read_arrow(hr, infer_schema(hr))
    assert table.num_rows == 1470
    assert table.column("MonthlyIncome").to_pylist() == frame["MonthlyIncome"].tolist()


@pytest.mark.parametrize("name", NUMERIC)
def test_numeric_statistics_match_pandas(profile, frame, name):
    column, series = profile[name], frame[name]
    assert column.count == column.non_missing == 1470 and column.missing == 0
    assert column.type_counts == {"integer": 1470}
    assert column.min == series.min() and column.max == series.max()
    assert column.distinct == series.nunique()
    assert close(column.mean, series.mean())
    assert close(column.std, series.std()) and close(column.variance, series.var())
    assert close(column.skewness, series.skew()) and close(column.kurtosis, series.kurt())
    assert column.quantiles_exact is True
    for q in QUANTILES:
        assert close(column.quantiles[f"{q * 100:g}%"], series.quantile(q)), q
    assert sum(b.count for b in column.histogram) == 1470
    assert column.histogram[0].lower == series.min() and column.histogram[-1].upper == series.max()


def test_histogram_bins_count_like_numpy(profile, frame):
    import numpy as np

    counts, _ = np.histogram(frame["Age"], bins=20)
    assert [b.count for b in profile["Age"].histogram] == counts.tolist()


@pytest.mark.parametrize("name", CATEGORICAL)
def test_value_counts_match_pandas(profile, frame, name):
    column, series = profile[name], frame[name]
    assert column.distinct == series.nunique()
    expected = series.value_counts()
    assert {v.value: v.count for v in column.value_counts} == expected.head(20).to_dict()
    assert column.min == series.min() and column.max == series.max()
    assert column.mean is None and column.histogram is None


def test_quantile_labels_are_the_workshop_ones(profile):
    assert list(profile["Age"].quantiles) == ["0.1%", "1%", "5%", "25%", "50%", "75%", "95%", "99%", "99.9%"]

"""Data quality rates: nulls and type errors over the production rows, out-of-bounds over its valid values."""

from __future__ import annotations

import pandas as pd
import pytest

from modelyard.monitor import compute_drift
from modelyard.spec.monitor import MonitorSignal

from .conftest import feature, metric

QUALITY = MonitorSignal(type="data_quality")


def test_rates_of_a_numerical_column():
    reference = pd.DataFrame({"age": [20, 30, 40, 50]})
    production = pd.DataFrame({"age": [25, None, "forty", 60, 35, 10, None, 45, float("inf"), 50]})
    result = compute_drift(reference, production, QUALITY)
    assert metric(result, "age", "null_value_rate").value == pytest.approx(2 / 10)
    assert metric(result, "age", "data_type_error_rate").value == pytest.approx(2 / 10)  # 'forty', inf
    assert metric(result, "age", "out_of_bounds_rate").value == pytest.approx(2 / 6)     # 60 and 10
    assert feature(result, "age").passed is False and result.status == "failed"


def test_rates_of_a_categorical_column():
    reference = pd.DataFrame({"travel": ["rarely", "often", "never", "rarely"]})
    production = pd.DataFrame({"travel": ["rarely", "weekly", None, 3, "never", "often", "often", "weekly"]})
    result = compute_drift(reference, production, QUALITY)
    assert metric(result, "travel", "null_value_rate").value == pytest.approx(1 / 8)
    assert metric(result, "travel", "data_type_error_rate").value == pytest.approx(1 / 8)  # the number 3
    assert metric(result, "travel", "out_of_bounds_rate").value == pytest.approx(3 / 7)   # weekly x2, 3


def test_clean_production_passes_and_thresholds_can_allow_some():
    reference = pd.DataFrame({"age": [20, 30, 40, 50], "travel": ["a", "b", "a", "b"]})
    production = pd.DataFrame({"age": [21, 49, 30, None], "travel": ["a", "a", "b", "b"]})
    strict = compute_drift(reference, production, QUALITY)
    assert strict.failed_features == ["age"]
    lenient = compute_drift(reference, production, MonitorSignal(
        type="data_quality", metric_thresholds={"numerical": {"null_value_rate": 0.3}}))
    assert lenient.status == "passed"
    assert metric(lenient, "travel", "null_value_rate").threshold is None

"""A synthetic shift on the HR table is detected on exactly the shifted features, at the default thresholds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modelyard.monitor import compute_drift
from modelyard.spec.monitor import MonitorSignal

from .conftest import metric

SHIFTED = {"Age", "MonthlyIncome", "BusinessTravel"}


def production_from(hr, rows: int, shift: bool, seed: int = 7):
    """``rows`` rows resampled from the HR table; with ``shift``, Age +5 years, MonthlyIncome +3000 and 15%
    of BusinessTravel a new category."""
    rng = np.random.default_rng(seed)
    production = hr.iloc[rng.integers(0, len(hr), rows)].reset_index(drop=True)
    if shift:
        production["Age"] += 5
        production["MonthlyIncome"] += 3000
        production.loc[rng.random(rows) < 0.15, "BusinessTravel"] = "Travel_Weekly"
    return production


@pytest.mark.parametrize("as_arrow", [False, True])
def test_a_shift_is_detected_on_exactly_the_shifted_features(hr, as_arrow):
    production = production_from(hr, 50_000, shift=True)
    if as_arrow:
        import pyarrow as pa

        hr, production = pa.Table.from_pandas(hr), pa.Table.from_pandas(production)
    result = compute_drift(hr, production, MonitorSignal(type="data_drift"))
    assert result.status == "failed"
    assert set(result.failed_features) == SHIFTED
    assert len(result.features) == 35 and all(f.passed is not None for f in result.features)
    assert result.message.startswith("drift on 3 of 35 features")
    assert metric(result, "BusinessTravel", "jensen_shannon_distance").threshold == 0.1
    assert metric(result, "Age", "normalized_wasserstein_distance").value > 0.5


def test_resampled_production_without_a_shift_passes(hr):
    result = compute_drift(hr, production_from(hr, 50_000, shift=False), MonitorSignal(type="data_drift"))
    assert result.status == "passed" and result.failed_features == []
    assert result.production_rows == 50_000 and result.reference_rows == 1470


def test_data_quality_finds_the_values_outside_the_reference(hr):
    result = compute_drift(hr, production_from(hr, 20_000, shift=True), MonitorSignal(type="data_quality"))
    assert set(result.failed_features) == SHIFTED
    assert 0.1 < metric(result, "BusinessTravel", "out_of_bounds_rate").value < 0.2
    assert metric(result, "Age", "null_value_rate").value == 0.0


def test_prediction_drift_compares_the_model_outputs(hr):
    rng = np.random.default_rng(11)
    reference = hr[["Attrition"]].rename(columns={"Attrition": "prediction"})
    production = pd.DataFrame({"prediction": np.where(rng.random(5000) < 0.5, "Yes", "No"),
                               "probability": rng.random(5000)})
    reference = reference.assign(probability=rng.beta(2, 8, len(reference)))
    result = compute_drift(reference, production, MonitorSignal(type="prediction_drift"))
    assert result.signal_type == "prediction_drift"
    assert set(result.failed_features) == {"prediction", "probability"}
    assert metric(result, "prediction", "jensen_shannon_distance").value > 0.1


def test_worst_metrics_name_the_feature_furthest_past_each_threshold(hr):
    result = compute_drift(hr, production_from(hr, 5_000, shift=True), MonitorSignal(
        type="data_drift", metric_thresholds={"numerical": {"normalized_wasserstein_distance": 0.1,
                                                            "two_sample_kolmogorov_smirnov_test": 0.01},
                                              "categorical": {"jensen_shannon_distance": 0.1}}))
    worst = {w.metric: w for w in result.worst_metrics()}
    assert set(worst) == {"normalized_wasserstein_distance", "two_sample_kolmogorov_smirnov_test",
                          "jensen_shannon_distance"}
    for name, pick in (("normalized_wasserstein_distance", max), ("two_sample_kolmogorov_smirnov_test", min),
                       ("jensen_shannon_distance", max)):
        values = {f.feature: m.value for f in result.features for m in f.metrics if m.metric == name}
        assert worst[name].value == pick(values.values()) and values[worst[name].feature] == worst[name].value
        assert worst[name].passed is False and worst[name].feature in SHIFTED
    assert worst["jensen_shannon_distance"].feature == "BusinessTravel"
    assert worst["normalized_wasserstein_distance"].threshold == 0.1

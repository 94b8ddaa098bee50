"""Bad input to the monitor engine: a clear error naming the offending thing and the fix, or a clear result."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import pytest
from pydantic import ValidationError

from modelyard.errors import InvalidInput
from modelyard.monitor import compute_drift
from modelyard.spec.monitor import MonitorSignal

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


def timed(times: list[str], values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"timestamp": times, "age": values})


def windowed(**window) -> MonitorSignal:
    return MonitorSignal(type="data_drift", production_data={"timestamp_column": "timestamp",
                                                             "data_window": window})


def test_a_feature_the_reference_lacks_is_named():
    reference, production = pd.DataFrame({"age": [1, 2]}), pd.DataFrame({"age": [1, 2], "income": [3, 4]})
    with pytest.raises(InvalidInput, match="reference data lacks the feature 'income'; its columns are age"):
        compute_drift(reference, production, MonitorSignal(type="data_drift", features=["age", "income"]))


def test_a_feature_production_lacks_is_named():
    reference, production = pd.DataFrame({"age": [1, 2], "income": [3, 4]}), pd.DataFrame({"age": [1, 2]})
    with pytest.raises(InvalidInput, match="production data lacks the feature 'income'"):
        compute_drift(reference, production, MonitorSignal(type="data_drift"))


def test_no_production_rows_in_the_window_is_a_clear_result_not_an_error():
    production = timed(["2026-11-01T10:00:00Z", "2026-11-02T10:00:00Z"], [30, 40])
    result = compute_drift(pd.DataFrame({"age": [30, 40]}), production,
                           windowed(lookback_window_offset="P0D", lookback_window_size="P7D"), now=NOW)
    assert result.status == "no_production_data" and result.features == []
    assert result.message.startswith("no production data in the window 2026-11-26T12:00:00+00:00 to "
                                     "2026-12-03T12:00:00+00:00")
    assert result.production_rows == 0


def test_a_window_keeps_only_its_rows():
    production = timed(["2026-11-30T10:00:00Z", "2026-12-01T10:00:00", "2026-12-03T11:59:00Z",
                        "2026-12-03T12:00:00Z"], [30, 40, 50, 60])
    result = compute_drift(pd.DataFrame({"age": [30, 40]}), production,
                           windowed(window_start="2026-12-01T00:00:00Z", window_end="2026-12-03T12:00:00Z"))
    assert result.production_rows == 2 and result.features[0].histogram.production == [0, 1, 1]


def test_a_timestamp_that_does_not_parse_is_named():
    production = timed(["2026-12-01T10:00:00Z", "yesterday"], [30, 40])
    with pytest.raises(InvalidInput, match="production timestamp column 'timestamp' does not parse as a time: "
                                           "'yesterday' at row 1 .*ISO 8601"):
        compute_drift(pd.DataFrame({"age": [30, 40]}), production,
                      windowed(lookback_window_size="P1D"), now=NOW)


def test_a_missing_timestamp_column_is_named():
    with pytest.raises(InvalidInput, match="production data lacks the timestamp column 'timestamp'"):
        compute_drift(pd.DataFrame({"age": [30]}), pd.DataFrame({"age": [30]}), windowed(lookback_window_size="P1D"),
                      now=NOW)


def test_a_threshold_for_a_metric_the_column_type_has_not_is_named_with_the_valid_ones():
    with pytest.raises(ValidationError, match="metric_thresholds.numerical: metric 'pearsons_chi_squared_test' "
                                              "does not exist for numerical columns in a data_drift signal; use "
                                              "one of normalized_wasserstein_distance, "
                                              "two_sample_kolmogorov_smirnov_test, population_stability_index"):
        MonitorSignal(type="data_drift", metric_thresholds={"numerical": {"pearsons_chi_squared_test": 0.05}})
    signal = MonitorSignal(type="data_drift", feature_thresholds={"age": {"jensen_shannon_distance": 0.2}})
    with pytest.raises(InvalidInput, match="feature_thresholds.age \\(numerical\\): metric 'jensen_shannon_distance' "
                                           "does not exist for numerical columns .* use one of "
                                           "normalized_wasserstein_distance"):
        compute_drift(pd.DataFrame({"age": [30, 40]}), pd.DataFrame({"age": [30, 41]}), signal)


def test_a_metric_no_signal_knows_and_a_p_value_threshold_above_one_are_refused():
    with pytest.raises(ValidationError, match="metric 'accuracy' does not exist in a data_quality signal"):
        MonitorSignal(type="data_quality", feature_thresholds={"age": {"accuracy": 0.9}})
    with pytest.raises(ValidationError, match="threshold 5.0 for two_sample_kolmogorov_smirnov_test must be "
                                              "between 0 and 1"):
        MonitorSignal(type="data_drift", metric_thresholds={"numerical": {"two_sample_kolmogorov_smirnov_test": 5}})


def test_per_feature_thresholds_replace_the_types_set():
    reference, production = pd.DataFrame({"age": [30, 40, 50]}), pd.DataFrame({"age": [31, 41, 52]})
    signal = MonitorSignal(type="data_drift", feature_thresholds={"age": {"normalized_wasserstein_distance": 0.5}})
    assert compute_drift(reference, production, signal).status == "passed"
    assert compute_drift(reference, production, MonitorSignal(type="data_drift")).status == "failed"


def test_top_features_need_the_models_importance():
    reference = pd.DataFrame({"a": [1, 2], "b": [1, 2], "c": ["x", "y"]})
    signal = MonitorSignal(type="data_drift", features={"top_n_feature_importance": 2})
    with pytest.raises(InvalidInput, match="top_n_feature_importance needs the model's feature importance"):
        compute_drift(reference, reference, signal)
    result = compute_drift(reference, reference, signal, importance={"a": 0.1, "b": -0.5, "c": 0.3, "gone": 9})
    assert [f.feature for f in result.features] == ["b", "c"]


def test_the_target_and_timestamp_are_not_features():
    reference = pd.DataFrame({"age": [30, 40], "label": ["y", "n"], "ts": ["2026-12-01", "2026-12-02"]})
    signal = MonitorSignal(type="data_drift", reference_data={"target_column_name": "label"},
                           production_data={"timestamp_column": "ts"})
    assert [f.feature for f in compute_drift(reference, reference, signal).features] == ["age"]


def test_something_else_than_a_table_is_refused():
    with pytest.raises(InvalidInput, match="production data must be a pandas DataFrame or a pyarrow Table, got list"):
        compute_drift(pd.DataFrame({"a": [1]}), [1, 2], MonitorSignal(type="data_drift"))


def test_an_empty_reference_is_an_error_not_a_pass():
    with pytest.raises(InvalidInput, match="reference data has no rows: a signal needs a reference"):
        compute_drift(pd.DataFrame({"age": pd.Series([], dtype=float)}), pd.DataFrame({"age": [1.0]}),
                      MonitorSignal(type="data_drift"))

"""``compute_drift``: one signal over a reference and a production table, feature by feature."""

from __future__ import annotations

from datetime import datetime, timezone

from modelyard.errors import InvalidInput
from modelyard.monitor._columns import categorical_column, category_type, is_numerical, numeric_column
from modelyard.monitor._evaluate import evaluate_feature
from modelyard.monitor._features import all_features, prediction_columns, top_features
from modelyard.monitor._tables import Side, in_window, window_bounds
from modelyard.spec.monitor import (MonitorData, MonitorSignal, SignalResult, TopFeatures, metrics_for,
                                    unknown_metric_message)


def compute_drift(reference, production, signal: MonitorSignal, *, importance: dict[str, float] | None = None,
                  now: datetime | None = None) -> SignalResult:
    """Compare ``production`` with ``reference`` (pandas DataFrames or pyarrow Tables) as ``signal`` says.

    ``importance`` (feature -> the model's importance) is needed for ``features: {top_n_feature_importance}``;
    ``now`` anchors lookback windows (default: the current time). A production window without rows is a
    ``no_production_data`` result, not an error; bad input (a feature or timestamp column a side lacks, a
    time that does not parse, a threshold for a metric the column's type has not) raises InvalidInput.
    """
    now = now or datetime.now(timezone.utc)
    ref, _ = _windowed(Side("reference", reference), signal.reference_data, now)
    prod, prod_bounds = _windowed(Side("production", production), signal.production_data, now)
    base = dict(signal_type=signal.type, window_start=prod_bounds[0], window_end=prod_bounds[1],
                reference_rows=ref.rows, production_rows=prod.rows)
    if ref.rows == 0:
        where = " in its data_window" if signal.reference_data.data_window else ""
        raise InvalidInput(f"reference data has no rows{where}: a signal needs a reference to compare with")
    if prod.rows == 0:  # checked first: an empty collection has none of the model's columns yet
        return SignalResult(status="no_production_data", message=f"no production data{_window_text(*prod_bounds)}: "
                            "nothing to compare; check that the endpoint collects data and the window", **base)
    pair = prediction_columns(signal)
    if pair:
        prod.require(pair[1], "prediction column", " (set production_data.target_column_name to the column "
                                                   "holding the model's outputs)")
        ref.require(pair[0], "target column")
        prod = prod.renamed(pair[1], pair[0])
    features = [pair[0]] if pair else _features(signal, ref, prod, importance)
    numerical = {name: is_numerical(ref.column(name)) for name in features}
    thresholds = {name: _thresholds(signal, name, "numerical" if numerical[name] else "categorical")
                  for name in features}
    results = []
    for name in features:
        if numerical[name]:
            reference_column, production_column = numeric_column(ref.column(name)), numeric_column(prod.column(name))
        else:
            reference_column = categorical_column(ref.column(name))
            production_column = categorical_column(prod.column(name), category_type(reference_column))
        results.append(evaluate_feature(name, signal.type, reference_column, production_column, thresholds[name]))
    failed = [result.feature for result in results if result.passed is False]
    what = "data quality issues" if signal.type == "data_quality" else "drift"
    message = (f"{what} on {len(failed)} of {len(results)} features: {', '.join(failed)}" if failed
               else f"no {what} on {len(results)} features")
    return SignalResult(status="failed" if failed else "passed", message=message, features=results, **base)


def _windowed(side: Side, data: MonitorData, now: datetime) -> tuple[Side, tuple[datetime | None, datetime | None]]:
    if data.timestamp_column is None:
        return side, (None, None)
    if data.data_window is None:
        side.require(data.timestamp_column, "timestamp column")
        return side, (None, None)
    start, end = window_bounds(data.data_window, now)
    return in_window(side, data.timestamp_column, start, end), (start, end)


def _window_text(start: datetime | None, end: datetime | None) -> str:
    if start is None and end is None:
        return ""
    return f" in the window {start.isoformat() if start else '-'} to {end.isoformat() if end else '-'}"


def _features(signal: MonitorSignal, ref: Side, prod: Side, importance: dict[str, float] | None) -> list[str]:
    """The features the signal compares; each must be in both sides."""
    if signal.features == "all_features":
        features = all_features(signal, ref.columns, prod.columns)
    elif isinstance(signal.features, TopFeatures):
        features = top_features(signal, ref.columns, importance)
    else:
        features = list(signal.features)
    for name in features:
        ref.require(name, "feature")
        prod.require(name, "feature")
    for name in signal.feature_thresholds:
        if name not in features:
            raise InvalidInput(f"feature_thresholds names {name!r}, which the signal does not compare; "
                               f"its features are {', '.join(features)}")
    return features


def _thresholds(signal: MonitorSignal, feature: str, column_type: str) -> dict[str, float]:
    given = signal.feature_thresholds.get(feature)
    if given is None:
        return signal.thresholds_for(column_type)
    for metric in given:
        if metric not in metrics_for(signal.type)[column_type]:
            raise InvalidInput(unknown_metric_message(metric, column_type, signal.type,
                                                      f"feature_thresholds.{feature} ({column_type})"))
    return dict(given)

"""What a monitor's signals need from its data assets' schemas, checked before anything is stored or run."""

from __future__ import annotations

from dataclasses import dataclass

from modelyard.errors import InvalidInput
from modelyard.monitor._features import all_features, prediction_columns
from modelyard.spec.monitor import MonitorSignal, TopFeatures, metrics_for, unknown_metric_message

NUMERICAL_TYPES = ("integer", "decimal")
TIME_TYPES = ("datetime", "string")


@dataclass(frozen=True)
class AssetColumns:
    """A data asset version's columns and their types (empty: no schema known, nothing to check)."""

    where: str  # e.g. "reference data asset hr:1"
    types: dict[str, str]

    def require(self, column: str, what: str, fix: str = "") -> None:
        if self.types and column not in self.types:
            raise InvalidInput(f"{self.where} lacks the {what} {column!r}; its columns are "
                               f"{', '.join(self.types)}{fix}")


def column_kind(schema_type: str) -> str:
    return "numerical" if schema_type in NUMERICAL_TYPES else "categorical"


def check_signal(name: str, signal: MonitorSignal, reference: AssetColumns, production: AssetColumns) -> None:
    """Every rule a signal's features, timestamps and thresholds must satisfy against the two schemas."""
    where = f"signal '{name}'"
    for side, data in ((production, signal.production_data), (reference, signal.reference_data)):
        if data.timestamp_column:
            side.require(data.timestamp_column, "timestamp column")
            kind = side.types.get(data.timestamp_column)
            if kind is not None and kind not in TIME_TYPES:
                raise InvalidInput(f"{where}: timestamp column {data.timestamp_column!r} of {side.where} is "
                                   f"{kind}, not a time; name a datetime column (ISO 8601 text works too)")
    pair = prediction_columns(signal)
    if pair:
        reference.require(pair[0], "target column", f" that {where} compares the predictions with")
        production.require(pair[1], "prediction column", f" of {where}; set production_data.target_column_name "
                                                         "to the column holding the model's outputs")
        return
    if isinstance(signal.features, TopFeatures):
        features = []  # known at each run, from the model's importance
    elif signal.features == "all_features":
        features = all_features(signal, list(reference.types), list(production.types))
    else:
        features = list(signal.features)
        for feature in features:
            reference.require(feature, "feature", f" (in {where}); drop it from features or pick another "
                                                  "reference")
    for feature in features:
        production.require(feature, "feature", f" that {where} compares")
    for feature in features:
        _check_types(where, signal, feature, reference, production)
    for feature, given in signal.feature_thresholds.items():
        if features and feature not in features:
            raise InvalidInput(f"{where}: feature_thresholds names {feature!r}, which the signal does not compare; "
                               f"its features are {', '.join(features)}")
        kind = reference.types.get(feature)
        for metric in given if kind else ():
            if metric not in metrics_for(signal.type)[column_kind(kind)]:
                raise InvalidInput(unknown_metric_message(metric, column_kind(kind), signal.type,
                                                          f"{where}: feature_thresholds.{feature} ({kind})"))


def _check_types(where: str, signal: MonitorSignal, feature: str, reference: AssetColumns,
                 production: AssetColumns) -> None:
    """Drift compares like with like: a numerical reference column must be numerical in production too (data
    quality counts the values that are not as type errors instead)."""
    if signal.type == "data_quality":
        return
    ref_type, prod_type = reference.types.get(feature), production.types.get(feature)
    if ref_type and prod_type and column_kind(ref_type) != column_kind(prod_type):
        raise InvalidInput(f"{where}: feature {feature!r} is {ref_type} in {reference.where} but {prod_type} in "
                           f"{production.where}; drift compares like with like: fix the production schema "
                           f"or leave {feature!r} out of features")

"""Which columns a signal compares: ``all_features``, a list, or the top N by the model's importance.

Over a model's collected inputs (production ``data_context: model_inputs``), all features are the reference's
columns the model received: a training table's columns the model never saw (an id, a constant) are not
drift. A ``prediction_drift`` signal over ``all_features`` compares the model's outputs (production's
``target_column_name``, by default the collected ``prediction``) with the reference's target column.
"""

from __future__ import annotations

from modelyard.errors import InvalidInput
from modelyard.spec.monitor import MonitorSignal, TopFeatures

PREDICTION_COLUMN = "prediction"  # what a deployment's data collector writes to model_outputs


def left_out(signal: MonitorSignal) -> set[str | None]:
    """The time and target columns, never features."""
    return {signal.reference_data.timestamp_column, signal.production_data.timestamp_column,
            signal.reference_data.target_column_name, signal.production_data.target_column_name}


def prediction_columns(signal: MonitorSignal) -> tuple[str, str] | None:
    """(reference target, production prediction column) when the signal compares a model's predictions with the
    reference's labels; None otherwise."""
    target = signal.reference_data.target_column_name
    if signal.type != "prediction_drift" or signal.features != "all_features" or not target:
        return None
    return target, signal.production_data.target_column_name or PREDICTION_COLUMN


def all_features(signal: MonitorSignal, reference: list[str], production: list[str]) -> list[str]:
    """``all_features``: the reference's columns but time and target (only those production has, over a model's
    collected inputs, when production's columns are known)."""
    skipped = left_out(signal)
    features = [name for name in reference if name not in skipped]
    if signal.production_data.data_context == "model_inputs" and production:
        features = [name for name in features if name in production]
    return features


def top_features(signal: MonitorSignal, reference: list[str], importance: dict[str, float] | None) -> list[str]:
    """The ``top_n_feature_importance`` reference columns of highest absolute importance."""
    assert isinstance(signal.features, TopFeatures)
    if not importance:
        raise InvalidInput("features: top_n_feature_importance needs the model's feature importance; "
                           "pass importance={feature: value} or list the features")
    skipped = left_out(signal)
    ranked = sorted((name for name in importance if name in reference and name not in skipped),
                    key=lambda name: -abs(importance[name]))
    return ranked[:signal.features.top_n_feature_importance]

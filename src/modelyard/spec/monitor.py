"""Shapes of model monitoring: signal definitions in Azure ML v2's monitor shape, and their results.

A signal (``data_drift``, ``prediction_drift`` or ``data_quality``) compares a production window with a
reference. Thresholds are per column type (``numerical`` / ``categorical``) and, where one feature needs
its own, per feature. The monitor engine returns a ``SignalResult``: per feature, per metric, the value,
the threshold, pass/fail and the histograms of both sides, ready to be stored and served as it is.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal

from pydantic import Field, field_validator, model_validator

from modelyard.spec._common import Record, Spec

# Azure's name for what a deployment's data collector wrote: azureml:<endpoint>-<deployment>-model_inputs@latest
COLLECTED_DATA_NAME = re.compile(r"^(?:azureml:)?(?P<prefix>.+)-(?P<collection>model_inputs|model_outputs)"
                                 r"(?:@latest)?$")
COLLECTED_TIMESTAMP = "timestamp"  # the UTC time the collector wrote on each row

SignalType = Literal["data_drift", "prediction_drift", "data_quality"]
ColumnType = Literal["numerical", "categorical"]

DRIFT_METRICS: dict[str, tuple[str, ...]] = {
    "numerical": ("normalized_wasserstein_distance", "two_sample_kolmogorov_smirnov_test",
                  "population_stability_index"),
    "categorical": ("jensen_shannon_distance", "pearsons_chi_squared_test", "population_stability_index"),
}
QUALITY_METRICS: dict[str, tuple[str, ...]] = {
    "numerical": ("null_value_rate", "data_type_error_rate", "out_of_bounds_rate"),
    "categorical": ("null_value_rate", "data_type_error_rate", "out_of_bounds_rate"),
}
# A threshold a metric takes when a signal names it without a value. Distances and rates fail above it;
# the two tests (KS, chi-squared) compare their p-value and fail below it.
DEFAULT_THRESHOLDS: dict[str, float] = {
    "normalized_wasserstein_distance": 0.1,      # Azure ML's default for numerical drift
    "jensen_shannon_distance": 0.1,              # Azure ML's default for categorical drift
    "population_stability_index": 0.2,           # the textbook "significant shift"
    "two_sample_kolmogorov_smirnov_test": 0.05,  # p-value
    "pearsons_chi_squared_test": 0.05,           # p-value
    "null_value_rate": 0.0,                      # Azure ML's data quality defaults
    "data_type_error_rate": 0.0,
    "out_of_bounds_rate": 0.0,
}
P_VALUE_METRICS = frozenset({"two_sample_kolmogorov_smirnov_test", "pearsons_chi_squared_test"})
# What a signal checks when it names no thresholds: Azure ML v2's defaults.
DEFAULT_METRIC_THRESHOLDS: dict[str, dict[str, dict[str, float]]] = {
    "data_drift": {"numerical": {"normalized_wasserstein_distance": 0.1},
                   "categorical": {"jensen_shannon_distance": 0.1}},
    "prediction_drift": {"numerical": {"normalized_wasserstein_distance": 0.1},
                         "categorical": {"jensen_shannon_distance": 0.1}},
    "data_quality": {kind: {metric: 0.0 for metric in metrics} for kind, metrics in QUALITY_METRICS.items()},
}


def metrics_for(signal_type: SignalType) -> dict[str, tuple[str, ...]]:
    """The metrics a signal type knows, per column type."""
    return QUALITY_METRICS if signal_type == "data_quality" else DRIFT_METRICS


def unknown_metric_message(metric: str, column_type: str, signal_type: SignalType, where: str) -> str:
    valid = ", ".join(metrics_for(signal_type)[column_type])
    return (f"{where}: metric {metric!r} does not exist for {column_type} columns in a {signal_type} signal; "
            f"use one of {valid}")


class DataWindow(Spec):
    """Either a lookback (``lookback_window_offset`` before the run, ``lookback_window_size`` long, ISO 8601
    durations like ``P7D``) or explicit ``window_start`` / ``window_end``. The start is included, the end not."""

    lookback_window_offset: timedelta | None = None
    lookback_window_size: timedelta | None = None
    window_start: datetime | None = None
    window_end: datetime | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "DataWindow":
        lookback = self.lookback_window_size is not None or self.lookback_window_offset is not None
        explicit = self.window_start is not None or self.window_end is not None
        if lookback and explicit:
            raise ValueError("give a lookback (lookback_window_offset, lookback_window_size) or window_start/"
                             "window_end, not both")
        if self.lookback_window_offset is not None and self.lookback_window_size is None:
            raise ValueError("lookback_window_offset needs lookback_window_size (e.g. P7D)")
        if self.lookback_window_size is not None and self.lookback_window_size <= timedelta(0):
            raise ValueError(f"lookback_window_size must be positive, got {self.lookback_window_size}")
        if self.window_start and self.window_end and self.window_start >= self.window_end:
            raise ValueError(f"window_start {self.window_start} must be before window_end {self.window_end}")
        return self


class MonitorInputData(Spec):
    path: str = Field(description="a data asset (azureml:name:1, azureml:name@latest) or a path/URI")
    type: Literal["uri_file", "uri_folder", "mltable"] = "uri_folder"


class MonitorData(Spec):
    """One side of a comparison: where the rows come from and which of them count."""

    input_data: MonitorInputData | None = None
    data_context: Literal["model_inputs", "model_outputs", "training", "test", "validation",
                          "ground_truth"] | None = None
    timestamp_column: str | None = Field(None, description="the column a data_window filters on")
    data_window: DataWindow | None = None
    target_column_name: str | None = Field(None, description="left out of 'all features'")

    @model_validator(mode="after")
    def _window_needs_a_timestamp(self) -> "MonitorData":
        collected = COLLECTED_DATA_NAME.match(self.input_data.path) if self.input_data else None
        if collected:  # an endpoint's collected data: what the model received or answered, timed at collection
            self.timestamp_column = self.timestamp_column or COLLECTED_TIMESTAMP
            self.data_context = self.data_context or collected["collection"]
        if self.data_window is not None and not self.timestamp_column:
            raise ValueError("a data_window needs timestamp_column: the column holding each row's time")
        return self


class TopFeatures(Spec):
    top_n_feature_importance: int = Field(ge=1)


Features = Literal["all_features"] | list[str] | TopFeatures


class MetricThresholds(Spec):
    """Threshold per metric, per column type: ``numerical: {normalized_wasserstein_distance: 0.1}``."""

    numerical: dict[str, float] | None = None
    categorical: dict[str, float] | None = None


class MonitorSignal(Spec):
    type: SignalType
    production_data: MonitorData = Field(default_factory=MonitorData)
    reference_data: MonitorData = Field(default_factory=MonitorData)
    features: Features = "all_features"
    metric_thresholds: MetricThresholds | None = Field(
        None, description="null: Azure ML's defaults (normalized Wasserstein 0.1, Jensen-Shannon 0.1; "
                          "data quality rates 0)")
    feature_thresholds: dict[str, dict[str, float]] = Field(
        default_factory=dict, description="per feature, metric -> threshold; replaces the type's set for it")
    alert_enabled: bool = True

    @field_validator("features", mode="before")
    @classmethod
    def _features(cls, value):
        return value if value != "all" else "all_features"

    @model_validator(mode="after")
    def _known_metrics(self) -> "MonitorSignal":
        known = metrics_for(self.type)
        for column_type in ("numerical", "categorical"):
            given = getattr(self.metric_thresholds, column_type, None) or {}
            for metric, value in given.items():
                if metric not in known[column_type]:
                    raise ValueError(unknown_metric_message(metric, column_type, self.type,
                                                            f"metric_thresholds.{column_type}"))
                _check_threshold(metric, value)
        for feature, given in self.feature_thresholds.items():
            for metric, value in given.items():
                if not any(metric in names for names in known.values()):
                    every = sorted({name for names in known.values() for name in names})
                    raise ValueError(f"feature_thresholds.{feature}: metric {metric!r} does not exist in a "
                                     f"{self.type} signal; use one of {', '.join(every)}")
                _check_threshold(metric, value)
        return self

    def thresholds_for(self, column_type: ColumnType) -> dict[str, float]:
        """The metrics checked on a column of this type, with their thresholds."""
        if self.metric_thresholds is None:
            return dict(DEFAULT_METRIC_THRESHOLDS[self.type][column_type])
        return dict(getattr(self.metric_thresholds, column_type) or {})


def _check_threshold(metric: str, value: float) -> None:
    if value < 0 or (metric in P_VALUE_METRICS or metric.endswith("_rate")) and value > 1:
        bound = "between 0 and 1" if metric in P_VALUE_METRICS or metric.endswith("_rate") else "at least 0"
        raise ValueError(f"threshold {value} for {metric} must be {bound}")


class Histogram(Record):
    """Counts of both sides over the same bins: ``edges`` (numerical, len(counts) + 1) or ``categories``."""

    edges: list[float] | None = None
    categories: list[str] | None = None
    reference: list[int]
    production: list[int]


class MetricResult(Record):
    metric: str
    value: float | None = Field(description="the distance, rate, or the test's p-value; null when it could not "
                                            "be computed (see note)")
    statistic: float | None = Field(None, description="the test statistic (KS D, chi-squared), for the tests")
    threshold: float | None = Field(description="null: computed for information, not checked")
    passed: bool | None
    note: str | None = None


class FeatureResult(Record):
    feature: str
    column_type: ColumnType
    passed: bool | None = Field(description="false when a checked metric fails; null when none was evaluated")
    metrics: list[MetricResult]
    histogram: Histogram | None = None
    reference_rows: int = Field(description="non-null reference values")
    production_rows: int = Field(description="non-null production values")


class WorstMetric(Record):
    """A checked metric of a signal over its features in one period: the value furthest past (or nearest to) its
    threshold, and the feature it belongs to; what the studio plots over time with the threshold line."""

    metric: str
    feature: str
    value: float
    threshold: float
    passed: bool


class SignalResult(Record):
    signal_type: SignalType
    status: Literal["passed", "failed", "no_production_data"]
    message: str
    window_start: datetime | None = None
    window_end: datetime | None = None
    reference_rows: int
    production_rows: int
    features: list[FeatureResult] = Field(default_factory=list)

    @property
    def failed_features(self) -> list[str]:
        return [feature.feature for feature in self.features if feature.passed is False]

    def worst_metrics(self) -> list[WorstMetric]:
        """Per checked metric, in the order the features report them, its worst feature: the largest distance or
        rate, the smallest p-value (ties: the first feature)."""
        worst: dict[str, WorstMetric] = {}
        for feature in self.features:
            for m in feature.metrics:
                if m.value is None or m.threshold is None:
                    continue
                sign = -1 if m.metric in P_VALUE_METRICS else 1
                known = worst.get(m.metric)
                if known is None or sign * m.value > sign * known.value:
                    worst[m.metric] = WorstMetric(metric=m.metric, feature=feature.feature, value=m.value,
                                                  threshold=m.threshold, passed=bool(m.passed))
        return list(worst.values())

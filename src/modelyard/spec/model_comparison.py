"""Shapes of a champion/challenger comparison: two model versions scored on one held-out data version."""

from __future__ import annotations

from pydantic import Field

from modelyard.spec._common import Record, Spec


class ModelComparisonRequest(Spec):
    challenger: str = Field(description="the new model version: name:version or name@alias")
    champion: str = Field(description="the model version in production: name:version or name@alias")
    data: str = Field(description="held-out labelled data version: name or name:version (mltable)")
    metric: str = Field("AUC_weighted", description="an Azure AutoML metric: AUC_weighted, accuracy, r2_score, ...")
    min_gain: float = Field(0.0, description="how much better than the champion the challenger must be")
    target: str | None = Field(None, description="the label column (default: the one the challenger's AutoML job "
                                                 "was trained on)")


class ModelScore(Record):
    model: str
    value: float


class ModelComparison(Record):
    metric: str
    greater_is_better: bool
    data: str
    target: str
    rows: int
    challenger: ModelScore
    champion: ModelScore
    gain: float = Field(description="how much better the challenger is (negative: worse), in the metric's units")
    min_gain: float
    passed: bool = Field(description="gain >= min_gain: the challenger may replace the champion")

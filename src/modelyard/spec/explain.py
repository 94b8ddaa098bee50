"""Shapes of Responsible AI results: explanations, fairness assessments and error-analysis trees.

The explain engine returns these records as they are; the job and REST layers store and serve them.
Every list of numbers lines up with the list of names next to it (``features``, ``groups``, ``thresholds``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from modelyard.spec._common import Record

ExplainMethod = Literal["tree", "linear", "permutation", "kernel"]
ModelOutput = Literal["log_odds", "probability", "raw", "prediction"]
Value = float | int | str | bool | None


class OutputContributions(Record):
    """One explained output (a class, or the regression prediction) in one view."""

    output: str = Field(description="the class label explained, or 'prediction' for regression")
    base_value: float = Field(description="the expected model output over the background; "
                                          "base_value + sum(row contributions) = the model's output for that row")
    global_importance: list[float] = Field(description="mean |contribution| per feature over every evaluated row")
    contributions: list[list[float]] = Field(description="per local row, per feature")


class Dependence(Record):
    """Feature value against its contribution, for one top feature over the local rows."""

    feature: str
    output: str
    values: list[Value]
    contributions: list[float]


class ExplanationView(Record):
    """Contributions over one set of features: the engineered columns the model sees, or the raw columns."""

    features: list[str]
    data: list[list[Value]] = Field(description="the local rows' feature values, per row, per feature")
    outputs: list[OutputContributions]
    dependence: list[Dependence]


class Explanation(Record):
    method: ExplainMethod = Field(description="tree (tree SHAP), linear (exact linear SHAP, interventional), "
                                              "permutation or kernel (model-agnostic SHAP with a background)")
    model_output: ModelOutput = Field(description="what contributions add up to: log_odds (margin of a "
                                                  "classifier), probability, raw (a tree model's raw score) or "
                                                  "prediction (regression)")
    estimator: str = Field(description="class name of the estimator that was explained")
    rows_total: int
    rows_evaluated: int = Field(description="rows behind global importance")
    local_rows: list[int] = Field(description="positions (0-based) in the given data of the local rows")
    sampled: bool = Field(description="true when rows were sampled (the data had more rows than the limits)")
    background_rows: int = Field(0, description="rows in the background sample (0 for path-dependent tree SHAP)")
    engineered: ExplanationView
    raw: ExplanationView | None = Field(description="engineered contributions summed back to their raw column; "
                                                    "null when the pipeline's columns cannot be traced back")
    raw_features: dict[str, list[str]] = Field(default_factory=dict,
                                               description="raw column -> the engineered columns summed into it")

    def global_importance(self) -> dict[str, float]:
        """Feature -> mean |contribution| averaged over the explained outputs, over the raw columns when the
        pipeline traces back to them (the columns a model receives), else over the engineered ones."""
        view = self.raw or self.engineered
        return {feature: sum(output.global_importance[i] for output in view.outputs) / len(view.outputs)
                for i, feature in enumerate(view.features)} if view.outputs else {}


class GroupMetrics(Record):
    group: str
    count: int
    selection_rate: float | None
    accuracy: float | None
    precision: float | None
    recall: float | None
    false_positive_rate: float | None
    false_negative_rate: float | None
    auc: float | None = Field(description="null when the group holds a single class")


class Disparities(Record):
    demographic_parity_difference: float
    demographic_parity_ratio: float
    equalized_odds_difference: float


class ThresholdPoint(Record):
    threshold: float
    overall: GroupMetrics
    groups: list[GroupMetrics]
    disparities: Disparities


class SensitiveFeatureReport(Record):
    feature: str
    bins: list[float] | None = Field(None, description="bin edges used for a continuous feature")
    overall: GroupMetrics
    groups: list[GroupMetrics]
    disparities: Disparities
    thresholds: list[ThresholdPoint] = Field(description="the same metrics across the threshold grid")


class FairnessReport(Record):
    positive_label: Any
    threshold: float = Field(description="a row is a positive decision when P(positive_label) >= threshold")
    rows: int
    features: list[SensitiveFeatureReport]


class MitigationSide(Record):
    """One model's decisions on the mitigation's rows: metrics overall and per group, and the disparities."""

    overall: GroupMetrics
    groups: list[GroupMetrics]
    disparities: Disparities


class FairnessMitigation(Record):
    """fairlearn's ThresholdOptimizer over a model for one sensitive feature: fairness before and after on the
    same rows; the mitigated model is registered as a new version (``mitigated_model``)."""

    feature: str
    bins: list[float] | None = None
    constraints: str
    objective: str
    positive_label: Any
    threshold: float = Field(description="the original model's decision threshold (P(positive) >= threshold)")
    rows: int
    seed: int = Field(description="the seed of the mitigated model's randomised decisions")
    before: MitigationSide
    after: MitigationSide
    original_model: str | None = Field(None, description="name:version that was mitigated")
    mitigated_model: str | None = Field(None, description="name:version registered for the mitigated model")


class ErrorNode(Record):
    id: int
    parent: int | None
    depth: int
    condition: str | None = Field(description="the rule that leads from the parent here, e.g. \"OverTime = 'Yes'\"")
    rows: int
    errors: int
    error_rate: float = Field(description="errors / rows in this node")
    error_coverage: float = Field(description="errors in this node / all errors")
    children: list[int]


class ErrorAnalysis(Record):
    rows: int
    errors: int
    error_rate: float
    features: list[str] = Field(description="raw columns the tree could split on")
    nodes: list[ErrorNode] = Field(description="the tree, root first (id 0)")

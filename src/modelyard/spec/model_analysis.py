"""Shapes of Responsible AI jobs on a registered model version: explanation, fairness and error analysis.

A request names the data (a data asset) and the analysis' options; the server turns it into a job
(``ModelAnalysisJob``) that runs on a compute like any other and stores its result (the records of
``spec.explain``) as the job's output, listed under the model version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, field_validator, model_validator

from modelyard.spec._common import Name, Record, Spec
from modelyard.spec.explain import Explanation
from modelyard.spec.job import DataInput, _JobBase
from modelyard.spec.job_status import JobStatus

AnalysisKind = Literal["explanation", "fairness", "error_analysis", "mitigation"]
ANALYSIS_KINDS: tuple[str, ...] = ("explanation", "fairness", "error_analysis", "mitigation")
DATA_INPUT = "data"


class _AnalysisRequest(Spec):
    data: str = Field(description="the rows to analyse: a data asset (name, name:3, name@latest, azureml:name:3)")
    compute: str | None = Field(None, description="compute target; default 'local'")
    experiment_name: Name | None = None
    display_name: str | None = None

    @field_validator("compute")
    @classmethod
    def _compute_name(cls, value: str | None) -> str | None:
        return value.removeprefix("azureml:") if value else value


class ExplanationRequest(_AnalysisRequest):
    sample: int | None = Field(None, ge=1, description="rows explained locally (a seeded sample beyond that); "
                                                       "default: up to 1000 (100 for model-agnostic methods)")
    method: Literal["auto", "tree", "linear", "permutation", "kernel"] = "auto"
    output: Literal["raw", "probability"] = "raw"
    target: str | None = Field(None, description="a column of the data the model does not read (left out)")


class _LabelledRequest(_AnalysisRequest):
    target: str | None = Field(None, description="the column with the true labels; default: the AutoML job's "
                                                 "target_column_name the model came from")


class FairnessRequest(_LabelledRequest):
    sensitive: list[str] = Field(min_length=1, description="columns whose groups are compared, e.g. Gender")
    bins: dict[str, list[float]] = Field(default_factory=dict, description="bin edges of continuous sensitive "
                                                                           "features, e.g. {'Age': [30, 40, 50]}")
    threshold: float = Field(0.5, ge=0, le=1)
    positive_label: str | int | bool | None = None

    @model_validator(mode="after")
    def _bins_name_sensitive_features(self) -> "FairnessRequest":
        unknown = [f for f in self.bins if f not in self.sensitive]
        if unknown:
            raise ValueError(f"bins were given for {', '.join(unknown)}, which is not among the sensitive features "
                             f"{', '.join(self.sensitive)}; add it to sensitive or drop its bins")
        return self


class MitigationRequest(FairnessRequest):
    """fairlearn's ThresholdOptimizer over the model version for one sensitive feature; the mitigated model is
    registered as a new version (of ``model_name``, default the same name), pointing back to the original."""

    constraints: Literal["demographic_parity", "equalized_odds", "true_positive_rate_parity",
                         "false_positive_rate_parity", "false_negative_rate_parity",
                         "true_negative_rate_parity"] = "demographic_parity"
    objective: Literal["accuracy_score", "balanced_accuracy_score", "selection_rate", "true_positive_rate",
                       "true_negative_rate"] = "accuracy_score"
    model_name: Name | None = Field(None, description="register the mitigated model under this name; default: "
                                                      "the original's (a new version of it)")
    seed: int = Field(0, description="seed of the mitigated model's randomised decisions")

    @model_validator(mode="after")
    def _one_sensitive_feature(self) -> "MitigationRequest":
        if len(self.sensitive) != 1:
            raise ValueError(f"mitigation is for one sensitive feature at a time, got {', '.join(self.sensitive)}; "
                             "run one mitigation per feature")
        return self


class ErrorAnalysisRequest(_LabelledRequest):
    max_depth: int = Field(3, ge=1, le=8)
    min_rows: int | None = Field(None, ge=1, description="rows in a leaf at least; default max(20, 1% of rows)")


REQUESTS: dict[str, type[_AnalysisRequest]] = {"explanation": ExplanationRequest, "fairness": FairnessRequest,
                                               "error_analysis": ErrorAnalysisRequest,
                                               "mitigation": MitigationRequest}
ROUTES = {"explanation": "explanations", "fairness": "fairness", "error_analysis": "error-analyses",
          "mitigation": "mitigations"}
"""The path segment of each kind under /api/models/{name}/versions/{version}/."""


class ModelAnalysisJob(_JobBase):
    """The job an analysis runs as: ``inputs.data`` pinned to a data version, ``model`` to a model version.

    An explanation computed elsewhere (a notebook) and uploaded is recorded as a completed explanation job
    with ``uploaded`` set and no data input.
    """

    type: AnalysisKind
    model: str = Field(description="name:version")
    target: str | None = None
    settings: dict = Field(default_factory=dict, description="the analysis' options (the request's, less data "
                                                             "and compute)")
    uploaded: bool = Field(False, description="an explanation uploaded, not computed by this job")
    run: str | None = Field(None, description="the job an uploaded explanation was computed in, if any")

    @model_validator(mode="after")
    def _only_explanations_are_uploaded(self) -> "ModelAnalysisJob":
        if (self.uploaded or self.run) and self.type != "explanation":
            raise ValueError(f"only an explanation is uploaded, not a {self.type}; leave uploaded and run out")
        return self

    @property
    def data(self) -> DataInput:
        return self.inputs[DATA_INPUT]


class ModelAnalysis(Record):
    """One analysis of a model version: its job, and where its result is once it completed."""

    kind: AnalysisKind
    job: str
    status: JobStatus
    model: str
    data: str
    target: str | None = Field(None, description="the column with the true labels the analysis read, when it read one")
    error: str | None = None
    created_at: datetime
    result_uri: str | None = Field(None, description="the stored result (JSON) in the artifact store")


class UploadedExplanation(Spec):
    """An explanation computed in a notebook (the v1 ``ExplanationClient.upload_model_explanation``) with the same
    engine, stored under the model version like an explanation job's result."""

    explanation: Explanation
    comment: str | None = None
    run: str | None = Field(None, description="the job (e.g. a notebook's interactive run) it was computed in")


class TrialExplanation(Record):
    """The explanation of an AutoML trial's model: the job that made or makes it (the AutoML job, for its best
    model, or an explaining refit of the trial), and where its result is once it completed."""

    trial: str
    job: str
    status: JobStatus
    error: str | None = None
    created_at: datetime
    result_uri: str | None = Field(None, description="the stored result (JSON) in the artifact store")

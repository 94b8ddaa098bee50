"""What an AutoML job records in its properties while it runs and when it ends.

``runtime/_automl.py`` writes these shapes (through ``AutoMLProgress.part``), the REST API serves
them (``GET /api/jobs/{name}/automl``), and the studio's TypeScript types are generated from them.
Every field is optional: the job fills them in as it goes (guardrails first, the leaderboard last).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from modelyard._json import plain
from modelyard.spec.job_status import JobStatus, TrialStatus


class Progress(BaseModel):
    """Base of recorded progress: fields written by a newer server are kept, not refused."""

    model_config = ConfigDict(extra="allow")


class Guardrail(Progress):
    name: str
    status: Literal["passed", "done", "alerted"]
    description: str
    details: list[dict[str, Any]]


class FeaturizationRow(Progress):
    raw_feature_name: str
    type_detected: str
    dtype: str
    dropped: bool
    reason: str | None = None
    missing_values: int
    distinct_values: int
    engineered_feature_count: int
    engineered_features: list[str]
    transformations: list[str]


class LeaderboardRow(Progress):
    trial: str
    algorithm: str
    score: float | None = None
    status: TrialStatus
    job: str | None = Field(None, description="the trial's child job")


class BestModelExplanation(Progress):
    """How explaining the best model at the end of the run went: a failure is reported, it fails no run."""

    status: Literal[JobStatus.COMPLETED, JobStatus.FAILED]
    error: str | None = None
    method: str | None = Field(None, description="the explainer's method, once Completed")
    rows: int | None = Field(None, description="rows explained, once Completed")


class AutoMLProgress(Progress):
    """An AutoML parent job's properties (besides those every job may carry)."""

    compute_type: str | None = None
    task: Literal["classification", "regression"] | None = None
    primary_metric: str | None = None
    featurization: list[FeaturizationRow] | None = None
    guardrails: list[Guardrail] | None = None
    trials_done: int | None = None
    best_score: float | None = None
    seconds_left: float | None = None
    best_child_run_id: str | None = None
    best_child_job: str | None = None
    best_model_uri: str | None = None
    leaderboard: list[LeaderboardRow] | None = None
    classes: list[Any] | None = None
    validation: str | None = None
    timings: dict[str, int | float | str | list[str] | None] | None = Field(
        None, description="seconds per phase (queued_seconds, startup_seconds, ... total_seconds), once it ended")
    explanation: BestModelExplanation | None = None

    @classmethod
    def part(cls, **values: Any) -> dict[str, Any]:
        """``values`` checked against this shape, as JSON to merge into the job's properties."""
        return cls.model_validate(plain(values)).model_dump(mode="json", exclude_unset=True)

    @classmethod
    def of(cls, properties: dict[str, Any] | None) -> "AutoMLProgress":
        return cls.model_validate(properties or {})

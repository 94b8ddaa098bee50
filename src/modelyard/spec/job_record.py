"""A job as the server returns it, with the spec it runs from typed: one union of every job type's spec,
told apart by its ``type`` field (the job's own type).

Every job row stores its spec with its ``type``; rows written before that carry none, and read as the job's
type. A new job type is one more member of ``JobSpec`` (and of ``JobType``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Union

from pydantic import Field, TypeAdapter, model_validator

from modelyard.spec._common import Record
from modelyard.spec.automl import AutoMLJob, AutoMLRefitJob, TrialJob
from modelyard.spec.environment import EnvironmentBuildJob
from modelyard.spec.job import BatchScoringJob, CommandJob, InteractiveRunJob, PipelineJob
from modelyard.spec.job_status import JobStatus
from modelyard.spec.model_analysis import ModelAnalysisJob
from modelyard.spec.monitor_definition import MonitorJob

JobType = Literal["command", "pipeline", "automl", "trial", "automl_refit", "batch_scoring", "explanation",
                  "fairness", "error_analysis", "mitigation", "monitor", "environment_build", "interactive"]
JobSpec = Annotated[Union[CommandJob, PipelineJob, AutoMLJob, TrialJob, AutoMLRefitJob, BatchScoringJob,
                          ModelAnalysisJob, MonitorJob, EnvironmentBuildJob, InteractiveRunJob],
                    Field(discriminator="type")]
JOB_SPEC: TypeAdapter[JobSpec] = TypeAdapter(JobSpec)


class Job(Record):
    name: str
    type: JobType
    status: JobStatus
    display_name: str | None = None
    description: str | None = None
    experiment_name: str
    compute: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    parent: str | None = None
    step: str | None = None
    spec: JobSpec
    mlflow_run_id: str | None = None
    properties: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None
    attempt: int = 0
    reused_from: str | None = None
    archived: bool = False
    created_at: datetime
    started_at: datetime | None = None
    ended_at: datetime | None = None
    status_history: dict[str, datetime] = Field(default_factory=dict, description="when each status was entered")
    duration_seconds: float | None = None
    metrics: dict[str, float] = Field(default_factory=dict)
    parameters: dict[str, str] = Field(default_factory=dict, description="the MLflow run's parameters")

    @model_validator(mode="before")
    @classmethod
    def _spec_typed_by_the_job(cls, data: Any) -> Any:
        """A spec stored without its ``type`` (rows written before specs carried it) has the job's."""
        spec = data.get("spec") if isinstance(data, dict) else None
        if isinstance(spec, dict) and "type" not in spec:
            return {**data, "spec": {**spec, "type": data.get("type")}}
        return data

"""Shapes of jobs in the Azure ML v2 style: command and pipeline jobs, their inputs and outputs."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal, Union

from pydantic import BeforeValidator, Field, field_validator, model_validator

from modelyard.spec._azure import system_for_curated
from modelyard.spec._common import Name, Record, Spec
from modelyard.spec.batch_endpoint import BatchScoringSettings
from modelyard.spec.endpoint import CodeConfiguration
from modelyard.spec.job_status import JobStatus

# Jobs that no worker process runs: a pipeline is driven by the scheduler, a trial by its AutoML job, an
# interactive run by the notebook (or script) that logs it.
NOT_ON_WORKERS: tuple[str, ...] = ("pipeline", "trial", "interactive")
PLACEHOLDER = re.compile(r"\$\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")
DATA_PREFIXES = ("azureml:", "data:")
LiteralValue = Union[bool, int, float, str]


class DataInput(Spec):
    """A data input: a data asset (``azureml:name:3``, ``azureml:name@latest``), a local path or a URL."""

    type: Literal["uri_file", "uri_folder", "mltable"] | None = Field(None, description="default: the asset's type")
    path: str
    mode: Literal["ro_mount", "download", "direct"] = "download"


class JobOutput(Spec):
    type: Literal["uri_file", "uri_folder", "mltable"] = "uri_folder"
    name: Name | None = Field(None, description="register the output as this data asset when the job completes")
    description: str | None = None


class PythonEnvironment(Spec):
    """A virtualenv built once per content hash: python version plus pip packages or a requirements file."""

    python: str | None = Field(None, description="e.g. '3.11'; default: the server's interpreter")
    pip: list[str] = Field(default_factory=list)
    requirements: str | None = Field(None, description="path of a requirements file (relative to the job file)")


# Azure's curated names for scikit-learn-like environments stand for "system" (spec._azure says which); any
# other string is a registered environment's reference (azureml:attrition-env:3), pinned to a version at submit
Environment = Annotated[Union[Literal["system"], PythonEnvironment, str], BeforeValidator(system_for_curated)]


class JobLimits(Spec):
    timeout: int | None = Field(None, ge=1, description="seconds before the job is killed and failed")


def _inputs(value: dict[str, Any]) -> dict[str, Any]:
    """Plain strings with a data prefix become data inputs; other scalars stay literals."""
    parsed: dict[str, Any] = {}
    for key, item in (value or {}).items():
        if isinstance(item, str) and item.startswith(DATA_PREFIXES):
            parsed[key] = DataInput(path=item)
        elif isinstance(item, dict):
            parsed[key] = DataInput.model_validate(item)
        else:
            parsed[key] = item
    return parsed


class _JobBase(Spec):
    schema_: str | None = Field(None, alias="$schema")
    name: Name | None = None
    display_name: str | None = None
    description: str | None = None
    experiment_name: Name | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    compute: str | None = Field(None, description="compute target name; default 'local'")
    inputs: dict[str, Union[DataInput, LiteralValue]] = Field(default_factory=dict)
    outputs: dict[str, JobOutput | None] = Field(default_factory=dict)

    @field_validator("inputs", mode="before")
    @classmethod
    def _parse_inputs(cls, value: Any) -> Any:
        return _inputs(value) if isinstance(value, dict) else value

    @field_validator("compute")
    @classmethod
    def _compute_name(cls, value: str | None) -> str | None:
        return value.removeprefix("azureml:") if value else value


class CommandJob(_JobBase):
    type: Literal["command"] = "command"
    command: str = Field(min_length=1)
    code: str | None = Field(None, description="folder snapshotted at submit (honours .gitignore/.amlignore)")
    environment: Environment = "system"
    environment_variables: dict[str, str] = Field(default_factory=dict)
    limits: JobLimits = Field(default_factory=JobLimits)
    max_retries: int = Field(0, ge=0, le=10)
    deterministic: bool = Field(True, description="in pipelines, reuse earlier outputs when nothing changed")

    @model_validator(mode="after")
    def _placeholders_resolve(self) -> "CommandJob":
        for match in PLACEHOLDER.finditer(self.command):
            kind, _, key = match.group(1).partition(".")
            names = self.inputs if kind == "inputs" else self.outputs if kind == "outputs" else None
            if names is None or key not in names:
                known = ", ".join(f"{kind}.{n}" for n in (names or {})) or "none"
                raise ValueError(f"command placeholder ${{{{{match.group(1)}}}}} names no {kind or 'input'} "
                                 f"(declared: {known})")
        return self


class ComponentRef(Spec):
    """A pipeline step that runs a registered component (``azureml:name:version``) or a component file."""

    type: Literal["component"] = "component"
    component: str
    inputs: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, JobOutput | None] = Field(default_factory=dict)
    compute: str | None = None
    display_name: str | None = None


class PipelineSettings(Spec):
    default_compute: str | None = None
    continue_on_step_failure: bool = False
    force_rerun: bool = False


class PipelineStep(CommandJob):
    """An inline command step; its inputs may bind ``${{parent.inputs.x}}`` or ``${{parent.jobs.s.outputs.y}}``."""

    inputs: dict[str, Any] = Field(default_factory=dict)

    @field_validator("inputs", mode="before")
    @classmethod
    def _parse_inputs(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        return {k: v if isinstance(v, str) and PLACEHOLDER.fullmatch(v.strip()) else _inputs({k: v})[k]
                for k, v in value.items()}


class PipelineJob(_JobBase):
    type: Literal["pipeline"] = "pipeline"
    settings: PipelineSettings = Field(default_factory=PipelineSettings)
    jobs: dict[str, Annotated[Union[PipelineStep, ComponentRef], Field(discriminator="type")]] = Field(min_length=1)

    @field_validator("jobs", mode="before")
    @classmethod
    def _step_types(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: ({**v, "type": "component"} if isinstance(v, dict) and "component" in v and "type" not in v
                        else {**v, "type": v.get("type", "command")} if isinstance(v, dict) else v)
                    for k, v in value.items()}
        return value


class BatchScoringJob(_JobBase):
    """A batch endpoint invocation: its deployment's model and settings, pinned when it was invoked.

    ``inputs.input_data`` is what is scored; ``outputs.score`` receives the predictions.
    """

    type: Literal["batch_scoring"] = "batch_scoring"
    endpoint_name: str
    deployment_name: str
    model: str = Field(description="name:version")
    code_configuration: CodeConfiguration | None = None
    settings: BatchScoringSettings
    environment: Environment = "system"


class InteractiveRunCreate(Spec):
    """A run logged from a notebook or a script outside any job (Azure ML v1's ``experiment.start_logging()``):
    a job of type ``interactive``, Running until the code that logs it ends it."""

    name: Name | None = None
    display_name: str | None = None
    description: str | None = None
    experiment_name: Name | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    compute: str | None = Field(None, description="the compute instance whose kernel logs the run, if any")


class InteractiveRunJob(InteractiveRunCreate):
    """What an interactive job records: its create request, or for a run a kernel started with plain MLflow
    (adopted as a job), that run's experiment, compute instance and run id."""

    type: Literal["interactive"] = "interactive"
    experiment_name: str | None = None  # an adopted run's MLflow experiment may have any name
    mlflow_run: str | None = Field(None, description="the adopted MLflow run, which the job ends with")


class InteractiveRunEnd(Spec):
    status: Literal[JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELED] = JobStatus.COMPLETED
    error: str | None = Field(None, description="why it failed, for a Failed run")


class JobUpdate(Spec):
    """What may change on a submitted job: how it is labelled and whether lists show it."""

    display_name: str | None = None
    description: str | None = None
    tags: dict[str, str] | None = None
    archived: bool | None = None


class JobFilter(Spec):
    status: JobStatus | None = None
    experiment_name: str | None = None
    parent: str | None = None
    search: str | None = None
    include_archived: bool = False
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class Experiment(Record):
    """A group of top-level jobs that share an ``experiment_name``."""

    name: str
    job_count: int
    last_job: str = Field(description="the most recently created job of the experiment")
    last_status: JobStatus
    last_created_at: datetime


class LogChunk(Record):
    """One read of a job's log from ``offset``: whole lines only while the job runs."""

    name: str
    status: JobStatus
    offset: int = Field(description="where the next read starts")
    text: str
    done: bool = Field(description="the job ended and this chunk reached the end of its log")


class MetricPoint(Record):
    """One logged value of a metric (MLflow's step and timestamp in milliseconds)."""

    step: int
    value: float
    timestamp: int


class RunArtifact(Record):
    """A file the job's MLflow run logged (``charts.json``, ``model/MLmodel`` ...)."""

    path: str
    size: int | None = None


class OutputFile(Record):
    """A file of one of the job's outputs."""

    name: str

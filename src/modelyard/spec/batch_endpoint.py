"""Shapes of batch endpoints, their deployments and invocations (Azure ML v2 style)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from modelyard.spec._common import Name, Record, Spec
from modelyard.spec.compute import LOCAL_COMPUTE
from modelyard.spec.endpoint import CodeConfiguration

OutputAction = Literal["append_row", "summary_only"]


class BatchEndpointDefaults(Spec):
    deployment_name: str | None = Field(None, description="the deployment an invocation uses when it names none")


class BatchEndpointCreate(Spec):
    schema_: str | None = Field(None, alias="$schema")
    name: Name
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    defaults: BatchEndpointDefaults = Field(default_factory=BatchEndpointDefaults)
    auth_mode: str | None = Field(None, description="accepted for Azure compatibility; the workspace's auth applies")


class BatchEndpointUpdate(Spec):
    description: str | None = None
    tags: dict[str, str] | None = None
    defaults: BatchEndpointDefaults | None = None


class BatchRetrySettings(Spec):
    max_retries: int = Field(3, ge=0, le=100, description="tries after the first for a mini-batch that raises")
    timeout: int = Field(30, ge=1, description="seconds one mini-batch may take")


class BatchScoringSettings(Spec):
    """How a deployment splits, scores and writes its input; an invocation may override mini_batch_size."""

    mini_batch_size: int = Field(10, ge=1, description="rows per mini-batch for tabular input, files for uri_folder")
    error_threshold: int = Field(-1, ge=-1, description="failed rows (or files) tolerated; -1 ignores all failures")
    max_concurrency_per_instance: int = Field(1, ge=1, le=64)
    instance_count: int = Field(1, ge=1, le=64)
    output_action: OutputAction = "append_row"
    output_file_name: str = Field("predictions.csv", pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    retry_settings: BatchRetrySettings = Field(default_factory=BatchRetrySettings)

    @property
    def concurrency(self) -> int:
        """Mini-batches scored at a time."""
        return self.instance_count * self.max_concurrency_per_instance

    def settings(self) -> "BatchScoringSettings":
        """Just the scoring settings of a deployment (or of anything holding them)."""
        return BatchScoringSettings.model_validate(self.model_dump(include=set(BatchScoringSettings.model_fields)))


class BatchDeploymentCreate(BatchScoringSettings):
    schema_: str | None = Field(None, alias="$schema")
    name: Name
    endpoint_name: Name
    type: Literal["model"] = "model"
    description: str | None = None
    model: str = Field(description="name:version, name@alias or azureml:name:version")
    code_configuration: CodeConfiguration | None = None
    compute: str = Field(LOCAL_COMPUTE, description="compute target: local, a cluster or a ray compute")
    environment: Any = Field(None, description="a registered environment (azureml:name:3, @latest) the scoring jobs "
                                                "run in; anything else is accepted for Azure compatibility and the "
                                                "jobs use the server's interpreter")
    logging_level: str | None = Field(None, description="accepted for Azure compatibility")
    tags: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _resources(cls, value: Any) -> Any:
        """Azure writes ``resources: {instance_count: N}``; it means ``instance_count``."""
        if isinstance(value, dict) and isinstance(value.get("resources"), dict):
            value = dict(value)
            resources = value.pop("resources")
            if "instance_count" in resources:
                value.setdefault("instance_count", resources["instance_count"])
        return value

    @field_validator("model", "compute")
    @classmethod
    def _azure_prefix(cls, value: str) -> str:
        return value.removeprefix("azureml:")


class BatchDeploymentUpdate(Spec):
    """A change to a batch deployment: each field given replaces the deployment's own; the result is checked
    like a new deployment."""

    description: str | None = None
    tags: dict[str, str] | None = None
    model: str | None = Field(None, description="name:version, name@alias or azureml:name:version")
    code_configuration: CodeConfiguration | None = None
    compute: str | None = None
    mini_batch_size: int | None = None
    error_threshold: int | None = None
    max_concurrency_per_instance: int | None = None
    instance_count: int | None = None
    output_action: OutputAction | None = None
    output_file_name: str | None = None
    retry_settings: BatchRetrySettings | None = None


class BatchDeployment(BatchScoringSettings):
    name: str
    endpoint_name: str
    description: str | None = None
    model: str
    model_version: int
    code_configuration: CodeConfiguration | None = None
    compute: str
    tags: dict[str, str] = Field(default_factory=dict)
    environment: str | None = Field(None, description="the registered environment its jobs run in (azureml:name:3)")
    created_at: datetime


class BatchEndpoint(Record):
    name: str
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    defaults: BatchEndpointDefaults
    scoring_uri: str = Field(description="POST here (with the workspace's API auth) to start a scoring job")
    deployments: list[BatchDeployment] = Field(default_factory=list)
    created_at: datetime


class BatchInvoke(Spec):
    """One invocation: score ``input`` with a deployment; the result is a job."""

    input: str = Field(description="a data asset (azureml:name:3, name@latest), an uploaded snapshot or job output")
    input_type: Literal["uri_file", "uri_folder", "mltable"] | None = Field(
        None, description="default: the data asset's type")
    deployment_name: str | None = None
    mini_batch_size: int | None = Field(None, ge=1)
    output_name: Name | None = Field(None, description="register the scored output as this data asset")
    experiment_name: Name | None = None
    display_name: str | None = None

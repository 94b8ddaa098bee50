"""Shapes of online endpoints and their deployments (Azure ML v2 style)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, field_validator

from modelyard.spec._common import Name, Record, Spec

AuthMode = Literal["key", "token", "none"]
EXPLAIN = ("prepare the model's explainer when it loads, so that a request may ask for its rows' contributions "
           "(\"explain\": true in the body or ?explain=true; tree models)")


class CodeConfiguration(Spec):
    code: str = Field(description="folder holding the scoring script (uploaded as a snapshot)")
    scoring_script: str = Field(description="file with init() and run(raw_data)")


class RequestSettings(Spec):
    request_timeout_ms: int = Field(5000, ge=10, le=600_000)
    max_concurrent_requests_per_instance: int = Field(64, ge=1, le=10_000)
    max_body_bytes: int = Field(10 * 1024 * 1024, ge=1024)


class Probe(Spec):
    initial_delay: int = Field(0, ge=0)
    period: int = Field(10, ge=1)
    timeout: int = Field(2, ge=1)
    failure_threshold: int = Field(3, ge=1)


class DataCollection(Spec):
    enabled: bool = False


class DataCollector(Spec):
    """Azure ML's ``data_collector``: which of a deployment's requests are written, and where they go
    (``collected/<endpoint>/<deployment>/<collection>/yyyy/mm/dd/hh/`` in the artifact store)."""

    collections: dict[Literal["model_inputs", "model_outputs"], DataCollection] = Field(
        default_factory=dict, description="model_inputs / model_outputs: {enabled: true}")
    sampling_rate: float = Field(1.0, gt=0, le=1, description="share of requests collected (0 < rate <= 1)")
    rolling_rate: Literal["hour", "Hour"] = Field("hour", description="one folder per hour, as Azure's default")
    buffer_rows: int = Field(100_000, ge=1, le=10_000_000,
                             description="rows a scoring process holds before it drops (and counts) new ones")
    flush_seconds: float = Field(1.0, gt=0, le=3600, description="how often the buffer is written")

    @property
    def enabled(self) -> list[str]:
        return [name for name, collection in self.collections.items() if collection.enabled]


class DataCollectionStatus(Record):
    endpoint_name: str
    deployment_name: str
    collections: list[str] = Field(description="the enabled collections")
    sampling_rate: float
    path: str = Field(description="the folder of collected data: <collection>/yyyy/mm/dd/hh/*.parquet")
    rows: dict[str, int] = Field(description="rows written per collection, all scoring processes together")
    dropped_rows: int = Field(description="rows not collected because a scoring process's buffer was full")
    files: int
    write_errors: int


class CollectedData(Record):
    """One collection of a deployment, read as a data asset: ``azureml:<name>@latest``."""

    name: str = Field(description="<endpoint>-<deployment>-model_inputs (or model_outputs)")
    endpoint_name: str
    deployment_name: str
    collection: Literal["model_inputs", "model_outputs"]
    rows: int = Field(description="rows in the files that read")
    files: int
    skipped_files: list[str] = Field(default_factory=list, description="files that did not read (truncated or "
                                                                       "damaged)")
    first_timestamp: datetime | None = None
    last_timestamp: datetime | None = None
    path: str


class OnlineEndpointCreate(Spec):
    schema_: str | None = Field(None, alias="$schema")
    name: Name
    description: str | None = None
    auth_mode: AuthMode = "key"
    tags: dict[str, str] = Field(default_factory=dict)
    traffic: dict[str, int] = Field(default_factory=dict)
    mirror_traffic: dict[str, int] = Field(default_factory=dict)


class OnlineEndpointUpdate(Spec):
    description: str | None = None
    tags: dict[str, str] | None = None
    traffic: dict[str, int] | None = None
    mirror_traffic: dict[str, int] | None = None


class OnlineDeploymentCreate(Spec):
    schema_: str | None = Field(None, alias="$schema")
    name: Name
    endpoint_name: Name
    model: str = Field(description="name:version, name@alias or azureml:name:version")
    code_configuration: CodeConfiguration | None = None
    environment: Any = None
    instance_count: int = Field(1, ge=1, le=16)
    instance_type: str | None = Field(None, description="accepted for Azure compatibility")
    request_settings: RequestSettings = Field(default_factory=RequestSettings)
    liveness_probe: Probe = Field(default_factory=Probe)
    readiness_probe: Probe = Field(default_factory=Probe)
    data_collector: DataCollector | None = None
    explain: bool = Field(False, description=EXPLAIN)

    @field_validator("model")
    @classmethod
    def _model(cls, value: str) -> str:
        return value.removeprefix("azureml:")


class OnlineDeploymentUpdate(Spec):
    model: str | None = None
    instance_count: int | None = Field(None, ge=1, le=16)
    request_settings: RequestSettings | None = None
    data_collector: DataCollector | None = None
    explain: bool | None = Field(None, description=EXPLAIN)


class InstanceState(Record):
    pid: int | None = None
    state: str
    restarts: int = 0


class OnlineDeployment(Record):
    name: str
    endpoint_name: str
    model: str
    model_version: int
    instance_count: int
    request_settings: RequestSettings
    state: Literal["Creating", "Succeeded", "Failed", "Updating", "Deleting"]
    error: str | None = None
    instances: list[InstanceState] = Field(default_factory=list)
    data_collector: DataCollector | None = None
    explain: bool = Field(False, description=EXPLAIN)
    environment: str | None = Field(None, description="the registered environment it serves from (azureml:name:3)")
    created_at: datetime


class OnlineEndpoint(Record):
    name: str
    description: str | None = None
    auth_mode: AuthMode
    tags: dict[str, str] = Field(default_factory=dict)
    traffic: dict[str, int]
    mirror_traffic: dict[str, int] = Field(default_factory=dict)
    scoring_uri: str
    swagger_uri: str
    deployments: list[OnlineDeployment] = Field(default_factory=list)
    created_at: datetime


class EndpointKeys(Record):
    primary_key: str | None = None
    secondary_key: str | None = None
    access_token: str | None = None

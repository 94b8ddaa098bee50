"""Shapes of compute targets: where jobs run."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Union

from pydantic import Field, field_validator, model_validator

from modelyard.spec._azure import COMPUTE_FIELDS_WITHOUT_EFFECT, recorded
from modelyard.spec._common import Name, Record, Spec

LOCAL_COMPUTE = "local"


class _ComputeBase(Spec):
    schema_: str | None = Field(None, alias="$schema")
    name: Name
    description: str | None = None


class ClusterComputeCreate(_ComputeBase):
    """A pool of worker processes on the server's machine (Azure's AmlCompute)."""

    type: Literal["cluster", "amlcompute"] = "cluster"
    min_instances: int = Field(0, ge=0, le=64)
    max_instances: int = Field(1, ge=1, le=64)
    idle_time_before_scale_down: int = Field(600, ge=0, description="seconds an idle instance lives above min")
    # Azure's AmlCompute fields: recorded under config.azure, with a note that they change nothing here
    size: str | None = Field(None, description="Azure VM size (e.g. Standard_DS3_v2); instances are processes here")
    tier: Literal["dedicated", "low_priority"] | None = None
    location: str | None = None
    identity: dict[str, Any] | None = None
    ssh_public_access_enabled: bool | None = None
    ssh_settings: dict[str, Any] | None = Field(None, description="recorded without admin_password")
    network_settings: dict[str, Any] | None = None
    enable_node_public_ip: bool | None = None
    tags: dict[str, str] | None = None

    @field_validator("tier", mode="before")
    @classmethod
    def _tier(cls, value: Any) -> Any:
        """Azure writes both 'low_priority' (YAML) and 'LowPriority' (SDK)."""
        if isinstance(value, str):
            lowered = value.strip().lower().replace("_", "")
            return {"dedicated": "dedicated", "lowpriority": "low_priority"}.get(lowered, value)
        return value

    @model_validator(mode="after")
    def _bounds(self) -> "ClusterComputeCreate":
        if self.min_instances > self.max_instances:
            raise ValueError(f"min_instances ({self.min_instances}) exceeds max_instances ({self.max_instances})")
        self.type = "cluster"
        return self

    def azure_fields(self) -> dict[str, Any]:
        """The Azure-only fields given, as recorded (secrets left out)."""
        return {key: recorded(getattr(self, key)) for key in COMPUTE_FIELDS_WITHOUT_EFFECT
                if getattr(self, key) is not None}


class RayComputeCreate(_ComputeBase):
    """An existing Ray cluster, reached through its job submission API (the dashboard address)."""

    type: Literal["ray"] = "ray"
    address: str = Field(description="Ray dashboard address, e.g. http://127.0.0.1:8265")


class InstanceComputeCreate(_ComputeBase):
    """A JupyterLab server run by the workspace server (Azure's compute instance / Notebook VM)."""

    type: Literal["instance", "computeinstance"] = "instance"
    idle_shutdown_minutes: int | None = Field(None, ge=1, description="stop after this many minutes without activity")
    port: int | None = Field(None, ge=1, le=65535, description="loopback port for JupyterLab; a free one when unset")

    @model_validator(mode="after")
    def _alias(self) -> "InstanceComputeCreate":
        self.type = "instance"
        return self


ComputeCreate = Annotated[Union[ClusterComputeCreate, RayComputeCreate, InstanceComputeCreate],
                          Field(discriminator="type")]


class ComputeUpdate(Spec):
    min_instances: int | None = Field(None, ge=0, le=64)
    max_instances: int | None = Field(None, ge=1, le=64)
    idle_time_before_scale_down: int | None = Field(None, ge=0)
    description: str | None = None


class InstanceCounts(Record):
    current: int = 0
    idle: int = 0
    busy: int = 0


class Compute(Record):
    name: str
    type: Literal["local", "cluster", "ray", "instance"]
    description: str | None = None
    # instances: Starting, Running, Stopped or Failed (the last error in provisioning_errors)
    provisioning_state: Literal["Creating", "Succeeded", "Failed", "Stopped", "Starting", "Running"]
    provisioning_errors: str | None = None
    config: dict[str, Any]
    instances: InstanceCounts = Field(default_factory=InstanceCounts)
    queued_jobs: int = 0
    created_at: datetime
    notes: list[str] = Field(default_factory=list, description="Azure fields recorded that have no local effect")
    url: str | None = Field(None, description="instances: JupyterLab's address with its token, while Running")

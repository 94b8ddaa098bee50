"""Shapes of compute targets: where jobs run."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Union

from pydantic import Field, model_validator

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
    size: str | None = Field(None, description="accepted for Azure compatibility; instances are processes here")

    @model_validator(mode="after")
    def _bounds(self) -> "ClusterComputeCreate":
        if self.min_instances > self.max_instances:
            raise ValueError(f"min_instances ({self.min_instances}) exceeds max_instances ({self.max_instances})")
        self.type = "cluster"
        return self


class RayComputeCreate(_ComputeBase):
    """An existing Ray cluster, reached through its job submission API (the dashboard address)."""

    type: Literal["ray"] = "ray"
    address: str = Field(description="Ray dashboard address, e.g. http://127.0.0.1:8265")


ComputeCreate = Annotated[Union[ClusterComputeCreate, RayComputeCreate], Field(discriminator="type")]


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
    type: Literal["local", "cluster", "ray"]
    description: str | None = None
    provisioning_state: Literal["Creating", "Succeeded", "Failed", "Stopped"]
    provisioning_errors: str | None = None
    config: dict[str, Any]
    instances: InstanceCounts = Field(default_factory=InstanceCounts)
    queued_jobs: int = 0
    created_at: datetime

"""Shapes of pipeline endpoints: a published Designer draft (training or batch inference) behind a
key-authenticated REST route that starts a run with parameter values; versions with a default."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from modelyard.spec._common import Name, Record, Spec


class PipelineEndpointVersionCreate(Spec):
    draft: str = Field(description="the Designer draft to publish: name (its latest version) or name:version")
    compute: str | None = Field(None, description="the compute its runs use (default: local)")
    experiment_name: str | None = Field(None, description="default: the endpoint's name")
    description: str | None = None
    make_default: bool = Field(True, description="runs without a version use this one")


class PipelineEndpointCreate(PipelineEndpointVersionCreate):
    schema_: str | None = Field(None, alias="$schema")
    name: Name


class PipelineEndpointUpdate(Spec):
    description: str | None = None
    default_version: int | None = Field(None, ge=1)


class PipelineEndpointVersion(Record):
    version: int
    draft: str = Field(description="name:version of the published draft")
    compute: str | None = None
    experiment_name: str | None = None
    description: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict, description="dataset node id -> the asset it reads "
                                       "unless a run names another; pipeline parameter -> its default")
    created_at: datetime


class PipelineEndpoint(Record):
    name: str
    description: str | None = None
    default_version: int
    versions: list[PipelineEndpointVersion] = Field(default_factory=list)
    runs_uri: str
    created_at: datetime


class PipelineRunRequest(Spec):
    """A run of a pipeline endpoint: its version (default: the endpoint's default) with these parameters."""

    parameters: dict[str, Any] = Field(default_factory=dict, description="dataset node id -> data asset "
                                       "(name:version) this run reads; pipeline parameter -> its value")
    version: int | None = Field(None, ge=1)
    experiment_name: str | None = None

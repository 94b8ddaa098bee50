"""Shapes of registered models: immutable versions with aliases and lineage."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from modelyard.spec._common import Name, Record, Spec

ModelType = Literal["mlflow_model", "custom_model"]


class ModelCreate(Spec):
    schema_: str | None = Field(None, alias="$schema")
    name: Name
    version: int | None = Field(None, ge=1)
    type: ModelType | None = Field(None, description="default: detected (an MLmodel file means mlflow_model)")
    path: str = Field(description="runs:/<run>/<path>, job:<job>/outputs/<output>, azureml://jobs/<job>/outputs/"
                                  "<output>, job:<automl job> (its best model), or an uploaded/local MLflow model "
                                  "folder or pickled model file")
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    properties: dict[str, str] = Field(default_factory=dict)
    force_new_version: bool = Field(False, description="a new version even when the same content is registered "
                                                       "under this name already")


class ModelUpdate(Spec):
    description: str | None = None
    tags: dict[str, str] | None = None
    archived: bool | None = None
    set_aliases: list[Name] = Field(default_factory=list, description="point these aliases at this version")
    remove_aliases: list[Name] = Field(default_factory=list)


class Model(Record):
    name: str
    version: int
    type: ModelType
    path: str
    source: str
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    properties: dict[str, Any] = Field(default_factory=dict)
    aliases: list[str] = Field(default_factory=list)
    sha256: str
    size_bytes: int
    flavors: list[str] = Field(default_factory=list)
    signature: dict[str, Any] | None = None
    lineage: dict[str, Any] = Field(default_factory=dict, description="job, MLflow run, data versions, metrics")
    archived: bool = False
    created_at: datetime

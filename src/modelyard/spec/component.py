"""Shapes of components: reusable command steps for pipelines (the Designer's modules are components)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from modelyard.spec._common import Name, Record, Spec
from modelyard.spec.job import PLACEHOLDER, Environment, JobOutput

InputType = Literal["uri_file", "uri_folder", "mltable", "string", "integer", "number", "boolean"]
DATA_TYPES = ("uri_file", "uri_folder", "mltable")


class ComponentInput(Spec):
    type: InputType
    default: Any = None
    optional: bool = False
    description: str | None = None


class ComponentCreate(Spec):
    schema_: str | None = Field(None, alias="$schema")
    name: Name
    version: int | None = Field(None, ge=1)
    display_name: str | None = None
    description: str | None = None
    type: Literal["command"] = "command"
    inputs: dict[str, ComponentInput] = Field(default_factory=dict)
    outputs: dict[str, JobOutput | None] = Field(default_factory=dict)
    command: str = Field(min_length=1)
    code: str | None = None
    environment: Environment = "system"
    is_deterministic: bool = True

    @model_validator(mode="after")
    def _placeholders_resolve(self) -> "ComponentCreate":
        for match in PLACEHOLDER.finditer(self.command):
            kind, _, key = match.group(1).partition(".")
            names = self.inputs if kind == "inputs" else self.outputs if kind == "outputs" else None
            if names is None or key not in names:
                raise ValueError(f"command placeholder ${{{{{match.group(1)}}}}} names no declared {kind or 'input'}")
        return self


class Component(Record):
    name: str
    version: int
    display_name: str | None = None
    description: str | None = None
    spec: dict[str, Any]
    created_at: datetime
    builtin: bool = Field(False, description="a Designer module shipped with modelyard: read-only, in every workspace")
    category: str | None = Field(None, description="a built-in module's Designer category")

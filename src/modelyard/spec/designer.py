"""Shapes of the Designer: built-in modules declared as data, column selectors and draft graphs.

A module's id is Azure ML's registry component name (``select_columns_in_dataset``, ``split_data``,
``two_class_logistic_regression``), so a v2 pipeline YAML that names
``azureml://registries/azureml/components/split_data/labels/default`` finds the same module here
(``module_id`` strips that reference down to the id). Ports and parameters carry a snake_case name
(used in drafts and YAML) and Azure's display name.

A schema is ``{column: type}`` with the dataset types (integer, decimal, string, boolean, datetime)
plus ``categorical``; it flows through a draft from each dataset's stored schema.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import Field, field_validator

from modelyard.spec._common import Spec

PortType = Literal["DataFrameDirectory", "UntrainedModel", "ModelDirectory", "TransformationDirectory",
                   "EvaluationResult"]
ParameterKind = Literal["integer", "number", "boolean", "string", "enum", "column", "column_selection", "script",
                        "range"]
ColumnType = Literal["integer", "decimal", "string", "boolean", "datetime", "categorical"]
Schema = dict[str, str]

# Azure's selector type names, and the schema types each stands for
SELECTOR_TYPES: dict[str, tuple[str, ...]] = {
    "Numeric": ("integer", "decimal"),
    "String": ("string",),
    "Boolean": ("boolean",),
    "DateTime": ("datetime",),
    "Categorical": ("categorical",),
    "All": ("integer", "decimal", "string", "boolean", "datetime", "categorical"),
}
_AZURE_REFERENCE = re.compile(r"^azureml:(//registries/[^/]+/components/)?(?P<name>[A-Za-z0-9_]+)([/:@].*)?$")


def module_id(reference: str) -> str:
    """The module id of ``split_data``, ``azureml:split_data:1`` or
    ``azureml://registries/azureml/components/split_data/versions/0.0.1``."""
    match = _AZURE_REFERENCE.match(reference.strip())
    return match["name"] if match else reference.strip()


class PortSpec(Spec):
    name: str
    display_name: str = Field(description="Azure's name of the port")
    type: PortType
    optional: bool = False
    requires_columns: list[str] = Field(default_factory=list,
                                        description="columns the table on this port must have (e.g. Scored Labels)")


class ParameterSpec(Spec):
    name: str
    display_name: str = Field(description="Azure's name of the parameter")
    kind: ParameterKind
    default: Any = None
    optional: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: list[str] | None = Field(None, description="the values an enum takes")
    item_kind: Literal["integer", "number"] | None = Field(
        None, description="a range's values: integers or numbers, separated by ';' or ',' (each within the bounds)")
    columns_of: str | None = Field(None, description="the input port whose columns a column parameter names")
    enabled_when: dict[str, list[Any]] | None = Field(
        None, description="the parameter counts only when each named parameter has one of the listed values")
    description: str | None = None


class ModuleSpec(Spec):
    id: str
    display_name: str
    category: str
    version: str = "0.0.1"
    description: str
    inputs: list[PortSpec] = Field(default_factory=list)
    outputs: list[PortSpec] = Field(default_factory=list)
    parameters: list[ParameterSpec] = Field(default_factory=list)

    def input(self, name: str) -> PortSpec | None:
        return next((port for port in self.inputs if port.name == name), None)

    def output(self, name: str) -> PortSpec | None:
        return next((port for port in self.outputs if port.name == name), None)

    def parameter(self, name: str) -> ParameterSpec | None:
        return next((p for p in self.parameters if p.name == name), None)


class ColumnRule(Spec):
    """One rule of Azure's column selector, in its JSON spelling."""

    rule_type: Literal["AllColumns", "ColumnNames", "ColumnTypes", "ColumnIndexes"] = Field(alias="ruleType")
    exclude: bool = False
    columns: list[str] = Field(default_factory=list)
    column_types: list[Literal["Numeric", "String", "Boolean", "DateTime", "Categorical", "All"]] = Field(
        default_factory=list, alias="columnTypes")
    column_kinds: list[str] = Field(default_factory=list, alias="columnKinds")
    column_indexes: str = Field("", alias="columnIndexes", description="1-based, e.g. '1-3,5'")

    @field_validator("column_kinds")
    @classmethod
    def _only_all_kinds(cls, kinds: list[str]) -> list[str]:
        if set(kinds) - {"All"}:
            raise ValueError(f"column kinds ({', '.join(kinds)}) are not tracked here; select columns by name or by "
                             "type with column kind All")
        return kinds


class ColumnSelection(Spec):
    """Azure's column selector: rules applied in order. A first rule that includes starts from no
    column; a first rule that excludes starts from all of them."""

    is_filter: bool = Field(True, alias="isFilter")
    rules: list[ColumnRule] = Field(min_length=1)

    @classmethod
    def parse(cls, value: Any) -> "ColumnSelection":
        """A selector from Azure's JSON (text or dict), a list of names, one name, or ``"all"``."""
        if isinstance(value, ColumnSelection):
            return value
        if isinstance(value, str) and value.strip().startswith("{"):
            value = json.loads(value)
        if isinstance(value, str):
            value = [] if value.strip().lower() == "all" else [name.strip() for name in value.split(",")]
            if not value:
                return cls(rules=[ColumnRule(ruleType="AllColumns")])
        if isinstance(value, list):
            return cls(rules=[ColumnRule(ruleType="ColumnNames", columns=[str(v) for v in value])])
        return cls.model_validate(value)


class DraftNode(Spec):
    id: str = Field(min_length=1)
    module: str = Field(description="a module id or an azureml:// component reference")
    parameters: dict[str, Any] = Field(default_factory=dict)

    @field_validator("module")
    @classmethod
    def _module_id(cls, value: str) -> str:
        return module_id(value)


class DraftEdge(Spec):
    source: str
    source_port: str
    target: str
    target_port: str


class DraftGraph(Spec):
    """A Designer graph: nodes (module + parameters) and edges from an output port to an input port."""

    nodes: list[DraftNode] = Field(default_factory=list)
    edges: list[DraftEdge] = Field(default_factory=list)
    parameters: dict[str, Any] = Field(default_factory=dict, description=(
        "pipeline parameters: name -> default value; a node parameter written ${{parent.inputs.<name>}} takes "
        "the value a run gives (else the default), checked against that module parameter's definition"))

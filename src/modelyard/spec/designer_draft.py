"""Shapes of Designer drafts: a pipeline graph of built-in modules plus its canvas layout, saved and
versioned (``name:3``) like every asset; saving a graph again under its name makes the next version."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from modelyard.spec._common import Name, Record, Spec
from modelyard.spec.designer import DraftGraph


class NodePosition(Spec):
    x: float
    y: float


class DesignerDraftCreate(Spec):
    schema_: str | None = Field(None, alias="$schema")
    name: Name
    version: int | None = Field(None, ge=1)
    description: str | None = None
    graph: DraftGraph
    layout: dict[str, NodePosition] = Field(default_factory=dict,
                                            description="each node's position on the canvas, by node id")
    allow_problems: bool = Field(False, description="save a graph that breaks graph rules (a work in progress, as "
                                 "the canvas autosaves it); submitting it is refused until it is fixed")


DraftKind = Literal["training", "real-time", "batch"]


class DesignerDraft(Record):
    name: str
    version: int
    kind: DraftKind = Field("training", description="real-time or batch: an inference pipeline (it reads a "
                                                    "Trained Model), with or without Web Service Input")
    description: str | None = None
    graph: DraftGraph
    layout: dict[str, NodePosition] = Field(default_factory=dict)
    created_at: datetime


class DraftRename(Spec):
    name: Name = Field(description="the draft's new name; every version moves to it")


class DraftSubmit(Spec):
    """Run a saved draft as a pipeline job."""

    version: int | None = Field(None, ge=1, description="the draft's version (default: its latest)")
    compute: str | None = Field(None, description="the compute target of every step (default: local)")
    experiment_name: str | None = Field(None, description="default: the draft's name")
    force_rerun: bool = Field(False, description="run every step, reusing none from earlier runs")
    continue_on_step_failure: bool = Field(False, description="let branches independent of a failed step finish")
    data: dict[str, str] = Field(default_factory=dict, description="dataset node id -> data asset (name:version) "
                                 "read instead of the draft's for this run: a batch inference pipeline's parameter")
    parameters: dict[str, Any] = Field(default_factory=dict, description="pipeline parameter -> its value for this "
                                       "run (the others take their defaults)")


class InferencePipelineCreate(Spec):
    """Azure's "Create inference pipeline" on a completed training run of a draft."""

    job: str = Field(description="the pipeline job that ran the training draft")
    kind: Literal["real-time", "batch"] = "real-time"
    name: Name | None = Field(None, description="the new draft's name (default: <training draft>-real-time or "
                                                "-batch); saved as its next version")


class PipelineParameterPromote(Spec):
    """Azure's "set as pipeline parameter": a node's parameter takes a named pipeline parameter's value."""

    node: str = Field(description="the node id")
    parameter: str = Field(description="the module parameter (snake_case name)")
    name: str | None = Field(None, description="the pipeline parameter (default: the module parameter's name); an "
                                               "existing one binds one more node parameter to it")
    default: Any = Field(None, description="default: the node's current value")


class DraftImport(Spec):
    """A pipeline YAML document of built-in modules (as ``designer export`` writes it) saved as a draft."""

    document: dict[str, Any] | str = Field(description="the pipeline document (type pipeline, inputs, jobs), or "
                                           "its YAML text")
    name: Name | None = Field(None, description="the draft's name (default: the document's display_name)")


class DraftModelRegister(Spec):
    """A real-time inference draft registered as one MLflow model: its transformations and trained model."""

    version: int | None = Field(None, ge=1, description="the draft's version (default: its latest)")
    model_name: Name | None = Field(None, description="default: the draft's name")
    description: str | None = None


class GraphProblem(Record):
    """One broken graph rule; ``where`` is a path like ``nodes.<id>.parameters.<name>``, ``node`` the node
    id the canvas shows it next to (None for a problem of the whole graph)."""

    rule: str
    where: str
    message: str
    node: str | None = None


class DraftValidation(Record):
    valid: bool
    problems: list[GraphProblem] = Field(default_factory=list)
    input_columns: dict[str, dict[str, dict[str, str]]] = Field(
        default_factory=dict, description="node id -> input port -> the columns (name: type) flowing into it, "
        "where known: what a column parameter of that node can name")

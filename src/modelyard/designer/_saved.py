"""Saved outputs of a training run as source nodes of an inference pipeline: a Trained Model and a
Fitted Transformation read from a completed step's output port (Azure keeps them as "MD-" and "TD-"
datasets). Like a dataset node, neither computes: the pipeline's runner passes the saved value downstream.
The trained model's task and label travel as parameters, so the graph validates without reading the model."""

from __future__ import annotations

from modelyard.errors import InvalidInput

from modelyard.designer._registry import enum, module, parameter, port

CATEGORY = "Datasets"
SAVED_MODULES = ("trained_model", "fitted_transformation")


def _refuse(job: str, port_name: str):
    raise InvalidInput(f"output '{port_name}' of job '{job}' is read by the pipeline's runner, which passes it "
                       "downstream; a saved node has no computation of its own")


def _model_schema(_inputs, params):
    return {"trained_model": {"task": params["task"], "label": params["label_column"] or "",
                              "label_type": params["label_type"]}}


@module("trained_model", "Trained Model", CATEGORY,
        "The model a completed training run's step trained (Train Model's output), as an inference pipeline reads it.",
        outputs=[port("trained_model", "Trained model", "ModelDirectory")],
        parameters=[parameter("string", "job", "Step job", description="the step job that trained the model"),
                    parameter("string", "port", "Output port", "trained_model"),
                    enum("task", "Task", ["binary", "multiclass", "regression", "clustering"]),
                    parameter("string", "label_column", "Label column", "", optional=True),
                    parameter("string", "label_type", "Label type", "string")],
        schema=_model_schema)
def trained_model(*, job: str, port: str, task: str, label_column: str, label_type: str):
    _refuse(job, port)


@module("fitted_transformation", "Fitted Transformation", CATEGORY,
        "A transformation that a completed training run's step fitted (cleaning, normalization, ...), as an "
        "inference pipeline applies it.",
        outputs=[port("transformation", "Transformation", "TransformationDirectory")],
        parameters=[parameter("string", "job", "Step job", description="the step job that fitted the transformation"),
                    parameter("string", "port", "Output port")])
def fitted_transformation(*, job: str, port: str):
    _refuse(job, port)

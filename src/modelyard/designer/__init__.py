"""The Designer's built-in modules: pure computations over pandas DataFrames and scikit-learn models.

Each module is declared as data (``modelyard.spec.designer.ModuleSpec``: Azure's display name,
category, version, description, typed ports, parameters with defaults, ranges, enums and Azure's
names); its id is Azure ML's registry component name (``split_data``), and ``azureml://`` component
references resolve to it. ``catalogue()`` lists them; ``run_module(id, inputs, parameters)`` runs
one: inputs and outputs are keyed by port name; parameters given as text (YAML, forms) are coerced
and checked; bad parameters, inputs or data raise ``InvalidInput`` naming the module and the fix.

What flows on each port type: DataFrameDirectory a pandas DataFrame (Score Model's output carries
its label and classes in ``attrs``, which parquet keeps); UntrainedModel a ``UntrainedModel``;
ModelDirectory a ``TrainedModel``, one scikit-learn estimator on raw columns that saves as one
MLflow model, with fitted transformations (and table modules as ``ModuleStep``s) chained in front
by ``with_transformations`` (the inference pipeline's model); TransformationDirectory a fitted
``Transformation`` (DataFrame in, DataFrame out); EvaluationResult a JSON-ready dict
``{"left": ..., "right": ...}``.
``write_port`` / ``read_port`` store each as a folder.

``validate_draft(graph, dataset_schemas)`` checks a draft (``DraftGraph``: nodes = module +
parameters, edges = output port -> input port) with small named rules and returns ``Problem``s
(rule, where, message) whose messages name the node, module, port, parameter and column and say
how to fix the graph; ``flow_schemas`` gives each output port's schema as it flows from the
datasets' schemas. ``run_draft(graph, datasets)`` validates a draft and runs it in this process.
``step_metrics`` is what a module's step logs to its run.
``inference_graph`` makes a training graph's real-time or batch inference pipeline; ``inference_model``
turns a real-time one into one ``TrainedModel`` to deploy.
"""

from modelyard.designer._execute import run_draft
from modelyard.designer._inference import inference_graph, inference_model
from modelyard.designer._ports import read_port, write_port
from modelyard.designer._registry import catalogue, get_module
from modelyard.designer._run import run_module
from modelyard.designer._step_metrics import step_metrics
from modelyard.designer._validate import flow_schemas, validate_draft
from modelyard.designer._values import ModuleStep, TrainedModel, Transformation, UntrainedModel

__all__ = ["ModuleStep", "TrainedModel", "Transformation", "UntrainedModel", "catalogue", "flow_schemas", "get_module",
           "inference_graph", "inference_model", "read_port", "run_draft", "run_module", "step_metrics",
           "validate_draft", "write_port"]

"""A Designer draft as a pipeline job: one command step per module node, each running the Designer step
runner; dataset nodes are no steps but data inputs (pinned ``data:name:version``) of the nodes they feed.
The job's existing reuse then applies: a step whose module, parameters and inputs' content are unchanged
is reused, so a resubmit with one parameter changed reruns that module and what is downstream of it."""

from __future__ import annotations

import json
import shlex
from typing import Any

from modelyard.errors import InvalidInput
from modelyard.spec.designer_draft import DesignerDraft, DraftSubmit
from modelyard.spec.pipeline_graph import binding

RUNNER = "python -m modelyard.runtime.designer_runner"
DESIGNER_MODULE_TAG = "designer_module"
PARAMETERS_TAG = "designer_parameters"  # the pipeline parameter values a run was given (JSON)


def runner_step(module_spec, parameters: dict[str, Any], inputs: dict[str, Any],
                datasets: dict[str, str]) -> dict[str, Any]:
    """The command step running built-in module ``module_spec``: ``inputs`` bound to input ports (an upstream
    output or a data input, read as a table), ``datasets`` ports read from ``data:name:version`` with its
    stored schema."""
    from modelyard.designer import get_module

    words = [RUNNER, "--module", module_spec.id, "--parameters", shlex.quote(json.dumps(parameters, sort_keys=True))]
    for port in inputs:
        words += ["--input", f"{port}=${{{{inputs.{port}}}}}"]
    for port, asset in datasets.items():
        words += ["--dataset", f"{port}={asset}"]
    for port in module_spec.outputs:
        words += ["--output", f"{port.name}=${{{{outputs.{port.name}}}}}"]
    return {"type": "command", "command": " ".join(words),
            "inputs": {**inputs, **{port: {"type": "mltable", "path": asset} for port, asset in datasets.items()}},
            "outputs": {port.name: {"type": "uri_folder"} for port in module_spec.outputs},
            "environment": "system", "display_name": module_spec.display_name,
            "tags": {DESIGNER_MODULE_TAG: module_spec.id},
            # the data behind a datastore path or URL changes under the same parameters: such a step always runs
            **({"deterministic": False} if get_module(module_spec.id).storage else {})}


def _step(node, module_spec, edges, datasets: dict[str, str], saved: dict[str, str]) -> dict[str, Any]:
    upstream = {e.target_port: {"type": "uri_folder", "path": saved[e.source]} if e.source in saved
                else f"${{{{parent.jobs.{e.source}.outputs.{e.source_port}}}}}"
                for e in edges if e.source not in datasets}
    return runner_step(module_spec, node.parameters, upstream,
                       {e.target_port: datasets[e.source] for e in edges if e.source in datasets})


def builtin_component_step(name: str, module_id: str, given: dict[str, Any],
                           literals: dict[str, Any] | None = None) -> dict[str, Any]:
    """A YAML pipeline step naming built-in module ``module_id``: its ``inputs`` hold the module's input
    ports (an upstream output binding, or a data asset read as a table) and its parameters, which may take a
    literal pipeline input of ``literals`` as ``${{parent.inputs.<name>}}``."""
    from modelyard.designer import get_module, validate_draft
    from modelyard.designer._pipeline_parameters import bound_name

    spec = get_module(module_id).spec
    ports = {port.name for port in spec.inputs}
    literals = literals or {}
    parameters = {key: literals.get(bound_name(value), value) for key, value in given.items() if key not in ports}
    unknown = sorted(set(parameters) - {p.name for p in spec.parameters})
    if unknown:
        raise InvalidInput(f"jobs.{name}.inputs: {spec.display_name} has no input port or parameter "
                           f"{', '.join(unknown)} (ports: {', '.join(sorted(ports)) or 'none'}; parameters: "
                           f"{', '.join(p.name for p in spec.parameters) or 'none'})")
    problems = [p for p in validate_draft({"nodes": [{"id": name, "module": module_id, "parameters": parameters}]})
                if p.rule == "invalid_parameter"]
    if problems:
        raise InvalidInput(f"jobs.{name}: " + "; ".join(p.message for p in problems))
    inputs = {port: value if isinstance(value, dict) or binding(value) else {"type": "mltable", "path": value}
              for port, value in given.items() if port in ports}
    return runner_step(spec, parameters, inputs, {})


def saved_outputs(draft: DesignerDraft) -> dict[str, str]:
    """Each saved node (Trained Model, Fitted Transformation) of an inference pipeline -> the training run's
    step output it reads, ``job:<step job>/outputs/<port>``."""
    from modelyard.designer._saved import SAVED_MODULES

    return {node.id: f"job:{node.parameters['job']}/outputs/{node.parameters.get('port') or 'trained_model'}"
            for node in draft.graph.nodes if node.module in SAVED_MODULES}


def pipeline_document(draft: DesignerDraft, datasets: dict[str, str], request: DraftSubmit) -> dict[str, Any]:
    """The pipeline job of ``draft`` (a valid graph) as ``request`` asks; ``datasets``: dataset node id ->
    ``data:name:version``. Saved nodes, like dataset nodes, are no steps but inputs of the nodes they feed."""
    from modelyard.designer import get_module

    saved = saved_outputs(draft)
    jobs = {node.id: _step(node, get_module(node.module).spec,
                           [e for e in draft.graph.edges if e.target == node.id], datasets, saved)
            for node in draft.graph.nodes if node.id not in datasets and node.id not in saved}
    return {"type": "pipeline", "display_name": f"{draft.name}:{draft.version}",
            "experiment_name": request.experiment_name or draft.name, "compute": request.compute,
            "settings": {"default_compute": request.compute, "force_rerun": request.force_rerun,
                         "continue_on_step_failure": request.continue_on_step_failure},
            "tags": {"designer_draft": f"{draft.name}:{draft.version}",
                     **({PARAMETERS_TAG: json.dumps(request.parameters, sort_keys=True)} if request.parameters else {})},
            "jobs": jobs}

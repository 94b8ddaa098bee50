"""A Designer draft as a pipeline job: one command step per module node, each running the Designer step
runner; dataset nodes are no steps but data inputs (pinned ``data:name:version``) of the nodes they feed.
The job's existing reuse then applies: a step whose module, parameters and inputs' content are unchanged
is reused, so a resubmit with one parameter changed reruns that module and what is downstream of it."""

from __future__ import annotations

import json
import shlex
from typing import Any

from modelyard.spec.designer_draft import DesignerDraft, DraftSubmit

RUNNER = "python -m modelyard.runtime.designer_runner"
DESIGNER_MODULE_TAG = "designer_module"


def _step(node, module_spec, edges, datasets: dict[str, str]) -> dict[str, Any]:
    words = [RUNNER, "--module", node.module, "--parameters", shlex.quote(json.dumps(node.parameters, sort_keys=True))]
    inputs: dict[str, Any] = {}
    for edge in edges:
        if edge.source in datasets:
            inputs[edge.target_port] = {"type": "mltable", "path": datasets[edge.source]}
            words += ["--dataset", f"{edge.target_port}={datasets[edge.source]}"]
        else:
            inputs[edge.target_port] = f"${{{{parent.jobs.{edge.source}.outputs.{edge.source_port}}}}}"
            words += ["--input", f"{edge.target_port}=${{{{inputs.{edge.target_port}}}}}"]
    for port in module_spec.outputs:
        words += ["--output", f"{port.name}=${{{{outputs.{port.name}}}}}"]
    return {"type": "command", "command": " ".join(words), "inputs": inputs,
            "outputs": {port.name: {"type": "uri_folder"} for port in module_spec.outputs},
            "environment": "system", "display_name": module_spec.display_name,
            "tags": {DESIGNER_MODULE_TAG: node.module}}


def pipeline_document(draft: DesignerDraft, datasets: dict[str, str], request: DraftSubmit) -> dict[str, Any]:
    """The pipeline job of ``draft`` (a valid graph) as ``request`` asks; ``datasets``: dataset node id ->
    ``data:name:version``."""
    from modelyard.designer import get_module

    jobs = {node.id: _step(node, get_module(node.module).spec,
                           [e for e in draft.graph.edges if e.target == node.id], datasets)
            for node in draft.graph.nodes if node.id not in datasets}
    return {"type": "pipeline", "display_name": f"{draft.name}:{draft.version}",
            "experiment_name": request.experiment_name or draft.name, "compute": request.compute,
            "settings": {"default_compute": request.compute, "force_rerun": request.force_rerun,
                         "continue_on_step_failure": request.continue_on_step_failure},
            "tags": {"designer_draft": f"{draft.name}:{draft.version}"}, "jobs": jobs}

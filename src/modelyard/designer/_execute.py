"""Running a whole draft in this process: validated first, then each node in dependency order.

This is the engine's reference executor (tests, previews); a pipeline runner runs the same steps
one node at a time, storing each output with ``write_port``.
"""

from __future__ import annotations

from typing import Any

from modelyard.errors import InvalidInput
from modelyard.spec.designer import DraftGraph

from modelyard.designer._columns import schema_of
from modelyard.designer._run import run_module, with_message
from modelyard.designer._validate import Draft, topological_order, validate_draft


def run_draft(graph: DraftGraph | dict, datasets: dict[str, Any], storage=None) -> dict[str, dict[str, Any]]:
    """Every node's outputs (node id -> port -> value); ``datasets`` gives each dataset node's rows and
    ``storage`` the datastores that Import Data and Export Data use."""
    graph = graph if isinstance(graph, DraftGraph) else DraftGraph.model_validate(graph)
    draft = Draft.of(graph)
    missing = [node.id for node in draft.graph.nodes if node.module == "dataset" and node.id not in datasets]
    if missing:
        raise InvalidInput(f"no rows given for dataset nodes {', '.join(missing)}")
    problems = validate_draft(graph, {node_id: schema_of(rows) for node_id, rows in datasets.items()})
    if problems:
        raise InvalidInput("the graph cannot run: " + "; ".join(str(problem) for problem in problems))
    nodes = {node.id: node for node in draft.graph.nodes}
    outputs: dict[str, dict[str, Any]] = {}
    for node_id in topological_order(draft)[0]:
        node = nodes[node_id]
        if node.module == "dataset":
            outputs[node_id] = {"output": datasets[node_id]}
            continue
        inputs = {edge.target_port: outputs[edge.source][edge.source_port] for edge in draft.into[node_id]}
        try:
            outputs[node_id] = run_module(node.module, inputs, node.parameters, storage)
        except InvalidInput as error:
            raise with_message(error, f"node '{node_id}': {error.message}") from None
    return outputs

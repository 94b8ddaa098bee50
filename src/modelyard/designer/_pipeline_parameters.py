"""Pipeline parameters (Azure's "set as pipeline parameter"): a draft's ``parameters`` name values with a
default, and a node parameter written ``${{parent.inputs.<name>}}`` takes the named one's value. A run
gives values for some of them; ``bind_parameters`` checks each against the definition of every module
parameter it is bound to and writes the resolved values into the nodes, so the steps (and their reuse)
see plain values."""

from __future__ import annotations

import re
from typing import Any

from modelyard.errors import InvalidInput
from modelyard.spec.designer import DraftGraph, ModuleSpec
from modelyard.spec.pipeline_graph import Problem

from modelyard.designer._params import _coerce, check_parameters, describe

_BINDING = re.compile(r"^\$\{\{\s*parent\.inputs\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}$")
# kinds whose resolved value is written as coerced, so "0.7" and 0.7 run (and reuse) as the same step
_SCALAR_KINDS = ("integer", "number", "boolean", "enum")


def binding(name: str) -> str:
    """The node parameter value that binds pipeline parameter ``name``."""
    return f"${{{{parent.inputs.{name}}}}}"


def bound_name(value: Any) -> str | None:
    """The pipeline parameter a node parameter value binds, or None for a plain value."""
    match = _BINDING.match(value) if isinstance(value, str) else None
    return match["name"] if match else None


def bindings(graph: DraftGraph) -> dict[tuple[str, str], str]:
    """(node id, module parameter) -> the pipeline parameter it takes."""
    return {(node.id, key): name for node in graph.nodes for key, value in node.parameters.items()
            if (name := bound_name(value)) is not None}


def _modules() -> dict[str, ModuleSpec]:
    from modelyard.designer._registry import modules_by_id

    return {module_id: module.spec for module_id, module in modules_by_id().items()}


def _value_problem(spec: ModuleSpec, parameters: dict[str, Any], key: str) -> str | None:
    return next((message for name, message in check_parameters(spec, parameters)[1] if name == key), None)


def resolve(graph: DraftGraph, values: dict[str, Any] | None = None) -> DraftGraph:
    """``graph`` with every bound node parameter replaced by its value (``values``, else the default) and
    no pipeline parameters left; bindings to unknown parameters stay (a graph rule reports them)."""
    values = {**graph.parameters, **(values or {})}
    if not any(bindings(graph)):
        return graph.model_copy(update={"parameters": {}})
    modules = _modules()
    nodes = []
    for node in graph.nodes:
        resolved = dict(node.parameters)
        for key, value in node.parameters.items():
            name = bound_name(value)
            if name in values:
                resolved[key] = _typed(modules.get(node.module), key, values[name])
        nodes.append(node.model_copy(update={"parameters": resolved}))
    return graph.model_copy(update={"nodes": nodes, "parameters": {}})


def _typed(spec: ModuleSpec | None, key: str, value: Any) -> Any:
    parameter = spec.parameter(key) if spec else None
    if parameter is None or parameter.kind not in _SCALAR_KINDS or value is None or value == "":
        return value
    try:
        return _coerce(parameter, value)
    except ValueError:
        return value  # left as given: the parameter rule names the problem


def bind_parameters(graph: DraftGraph, values: dict[str, Any], what: str) -> DraftGraph:
    """The graph a run with ``values`` executes; a name the draft does not have, or a value that one of the
    module parameters bound to it refuses, raises InvalidInput naming the pipeline parameter."""
    unknown = sorted(set(values) - set(graph.parameters))
    if unknown:
        raise InvalidInput(f"{what} has no pipeline parameter {', '.join(unknown)}; its pipeline parameters are: "
                           f"{', '.join(sorted(graph.parameters)) or 'none'}")
    modules, nodes = _modules(), {node.id: node for node in graph.nodes}
    resolved = resolve(graph, values)
    for (node_id, key), name in bindings(graph).items():
        spec = modules.get(nodes[node_id].module)
        if name not in values or spec is None:
            continue
        problem = _value_problem(spec, next(n for n in resolved.nodes if n.id == node_id).parameters, key)
        if problem:
            raise InvalidInput(f"pipeline parameter '{name}' = {values[name]!r}: {problem} (it sets node "
                               f"'{node_id}' ({spec.display_name}), {describe(spec, key)}); send a valid value")
    return resolved


def rule_pipeline_parameters(graph: DraftGraph, dataset_nodes: list[str]) -> list[Problem]:
    """Bindings to parameters the draft does not have, parameters bound to nothing, and parameter names that
    a run could not tell from a dataset node (a run's values name both)."""
    problems = []
    bound = bindings(graph)
    for (node_id, key), name in bound.items():
        if name not in graph.parameters:
            problems.append(Problem("unknown_pipeline_parameter", f"nodes.{node_id}.parameters.{key}",
                                    f"node '{node_id}', parameter '{key}' takes pipeline parameter '{name}', which "
                                    "the draft does not have; add it to the draft's parameters with a default, or "
                                    "set a plain value"))
    for name in graph.parameters:
        if not _BINDING.match(binding(name)):
            problems.append(Problem("invalid_pipeline_parameter", f"parameters.{name}",
                                    f"pipeline parameter '{name}': a name is letters, digits and '_', not starting "
                                    "with a digit; rename it"))
        elif name not in bound.values():
            problems.append(Problem("unused_pipeline_parameter", f"parameters.{name}",
                                    f"pipeline parameter '{name}' sets no module parameter; bind one to it "
                                    f"({binding(name)}) or remove it"))
        elif name in dataset_nodes:
            problems.append(Problem("pipeline_parameter_shadows_dataset", f"parameters.{name}",
                                    f"pipeline parameter '{name}' has the name of a dataset node, so a run's "
                                    "values could not tell them apart; rename the parameter"))
    return problems


def promote(graph: DraftGraph, node_id: str, key: str, name: str | None, default: Any = None) -> DraftGraph:
    """``graph`` with node ``node_id``'s parameter ``key`` made pipeline parameter ``name`` (default: ``key``)
    whose default is ``default`` (else that parameter's existing default, else the node's current value)."""
    node = next((n for n in graph.nodes if n.id == node_id), None)
    if node is None:
        raise InvalidInput(f"the draft has no node '{node_id}'; its nodes are: "
                           f"{', '.join(n.id for n in graph.nodes)}")
    spec = _modules().get(node.module)
    parameter = spec.parameter(key) if spec else None
    if parameter is None:
        raise InvalidInput(f"node '{node_id}' has no parameter '{key}'; its parameters are: "
                           + (", ".join(p.name for p in spec.parameters) if spec else "none"))
    name = name or key
    if default is None:
        current = node.parameters.get(key, parameter.default)
        default = graph.parameters.get(name, graph.parameters.get(bound_name(current), current))
    nodes = [n.model_copy(update={"parameters": {**n.parameters, key: binding(name)}}) if n.id == node_id else n
             for n in graph.nodes]
    promoted = graph.model_copy(update={"nodes": nodes})
    still_bound = set(bindings(promoted).values())
    kept = {other: value for other, value in graph.parameters.items() if other in still_bound}
    return promoted.model_copy(update={"parameters": {**kept, name: default}})

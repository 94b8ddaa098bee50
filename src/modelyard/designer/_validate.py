"""Draft graphs validated by small named rules; every message names the node, its module, the port or
parameter (and the column), and says how to fix the graph.

Schemas flow from each dataset node (``dataset_schemas``: node id -> ``{column: type}``, the stored
dataset's schema) through each module's schema function, so a column that a selector, Train Model
or Split Data names but the upstream schema lacks is found before anything runs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from modelyard.errors import InvalidInput
from modelyard.spec.designer import DraftEdge, DraftGraph, DraftNode, ModuleSpec, Schema
from modelyard.spec.pipeline_graph import Problem

from modelyard.designer._columns import ColumnNotFound, empty_frame, require_columns, schema_of, select
from modelyard.designer._params import check_parameters, describe, is_active
from modelyard.designer._pipeline_parameters import bindings, bound_name, resolve, rule_pipeline_parameters
from modelyard.designer._registry import EMPTY_RUN, Module, modules_by_id


@dataclass
class Draft:
    """A graph with its nodes' modules looked up (unknown modules left out) and edges indexed."""

    graph: DraftGraph
    modules: dict[str, Module] = field(default_factory=dict)
    into: dict[str, list[DraftEdge]] = field(default_factory=lambda: defaultdict(list))
    bound: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: DraftGraph) -> "Draft":
        """The graph as a run with the pipeline parameters' defaults executes it."""
        known = modules_by_id()
        bound, graph = bindings(graph), resolve(graph)
        draft = cls(graph, {n.id: known[n.module] for n in graph.nodes if n.module in known}, bound=bound)
        for edge in graph.edges:
            draft.into[edge.target].append(edge)
        return draft

    def spec(self, node_id: str) -> ModuleSpec | None:
        return self.modules[node_id].spec if node_id in self.modules else None

    def name(self, node_id: str) -> str:
        spec = self.spec(node_id)
        return f"node '{node_id}' ({spec.display_name})" if spec else f"node '{node_id}'"


def rule_known_modules(draft: Draft) -> list[Problem]:
    problems, seen = [], set()
    for node in draft.graph.nodes:
        if node.id in seen:
            problems.append(Problem("duplicate_node", f"nodes.{node.id}",
                                    f"two nodes are named '{node.id}'; give each node its own id"))
        seen.add(node.id)
        if node.id not in draft.modules:
            problems.append(Problem("unknown_module", f"nodes.{node.id}",
                                    f"node '{node.id}' uses module '{node.module}', which is not a built-in module; "
                                    "pick one from `modelyard component list --builtin`"))
    return problems


def _edge_ports(draft: Draft, edge: DraftEdge):
    source, target = draft.spec(edge.source), draft.spec(edge.target)
    return (source.output(edge.source_port) if source else None), (target.input(edge.target_port) if target else None)


def rule_edges_connect_ports(draft: Draft) -> list[Problem]:
    problems = []
    for edge in draft.graph.edges:
        where = f"edges.{edge.source}.{edge.source_port}->{edge.target}.{edge.target_port}"
        for node_id, port, ports, kind in ((edge.source, edge.source_port, "outputs", "output"),
                                           (edge.target, edge.target_port, "inputs", "input")):
            spec = draft.spec(node_id)
            if node_id not in {n.id for n in draft.graph.nodes}:
                problems.append(Problem("unknown_node", where, f"the edge names node '{node_id}', which the graph "
                                        "does not have; connect an existing node"))
            elif spec and not any(p.name == port for p in getattr(spec, ports)):
                problems.append(Problem("unknown_port", where, f"{draft.name(node_id)} has no {kind} port '{port}'; "
                                        f"its {kind}s are: {', '.join(p.name for p in getattr(spec, ports))}"))
    for target, edges in draft.into.items():
        for port in sorted({e.target_port for e in edges if [x.target_port for x in edges].count(e.target_port) > 1}):
            problems.append(Problem("port_connected_twice", f"nodes.{target}.inputs.{port}",
                                    f"{draft.name(target)}: input port '{port}' has several incoming edges; "
                                    "keep one (combine tables first with Add Rows or Join Data)"))
    return problems


def rule_edge_types_match(draft: Draft) -> list[Problem]:
    problems = []
    for edge in draft.graph.edges:
        out, into = _edge_ports(draft, edge)
        if out and into and out.type != into.type:
            problems.append(Problem(
                "edge_type_mismatch", f"nodes.{edge.target}.inputs.{edge.target_port}",
                f"{draft.name(edge.target)}: input port '{into.display_name}' takes a {into.type}, but the edge from "
                f"{draft.name(edge.source)}'s output '{out.display_name}' carries a {out.type}; connect an output "
                f"that produces a {into.type}"))
    return problems


def rule_required_inputs_connected(draft: Draft) -> list[Problem]:
    problems = []
    for node_id in draft.modules:
        connected = {edge.target_port for edge in draft.into[node_id]}
        for port in draft.spec(node_id).inputs:
            if not port.optional and port.name not in connected:
                problems.append(Problem("unconnected_input", f"nodes.{node_id}.inputs.{port.name}",
                                        f"{draft.name(node_id)}: required input port '{port.display_name}' "
                                        f"({port.name}) is not connected; connect an output producing a {port.type}"))
    return problems


def topological_order(draft: Draft) -> tuple[list[str], list[str]]:
    """``(order, nodes left on a cycle)``."""
    ids = [node.id for node in draft.graph.nodes]
    parents = {node_id: {e.source for e in draft.into[node_id] if e.source in ids} for node_id in ids}
    order: list[str] = []
    while True:
        ready = [n for n in ids if n not in order and parents[n] <= set(order)]
        if not ready:
            return order, [n for n in ids if n not in order]
        order += ready


def rule_no_cycles(draft: Draft) -> list[Problem]:
    _, stuck = topological_order(draft)
    if not stuck:
        return []
    return [Problem("cycle", f"nodes.{stuck[0]}", "nodes " + ", ".join(f"'{n}'" for n in stuck) + " depend on each "
                    "other in a cycle (or on a node that does); remove one of the edges between them")]


def rule_parameters_valid(draft: Draft) -> list[Problem]:
    problems = []
    for node in draft.graph.nodes:
        spec = draft.spec(node.id)
        if spec is None:
            continue
        for name, message in check_parameters(spec, node.parameters)[1]:
            if bound_name(node.parameters.get(name)):
                continue  # a binding to a pipeline parameter the draft lacks: its own rule says so
            fix = (f"set pipeline parameter '{draft.bound[(node.id, name)]}' to a valid default"
                   if (node.id, name) in draft.bound else "set a valid value")
            problems.append(Problem("invalid_parameter", f"nodes.{node.id}.parameters.{name}",
                                    f"{draft.name(node.id)}, {describe(spec, name)}: {message}; {fix}"))
    return problems


def _column_problem(draft: Draft, node_id: str, error: ColumnNotFound, port_name: str | None) -> Problem:
    spec = draft.spec(node_id)
    port = spec.input(port_name) if port_name else None
    via = f", input port '{port.display_name}'" if port else ""
    message = error.message.replace("not in the input", "not in the upstream schema")
    return Problem("unknown_column", f"nodes.{node_id}.parameters.{error.parameter}",
                   f"{draft.name(node_id)}{via}, {describe(spec, error.parameter)}: {message}; name a column that "
                   "the upstream provides, or change the upstream module that drops it")


def _types_agree(out, into) -> bool:
    return out is not None and into is not None and out.type == into.type


def _missing_port_columns(draft: Draft, node_id: str, inputs: dict[str, Schema | None]) -> list[Problem]:
    problems = []
    for port in draft.spec(node_id).inputs:
        schema = inputs.get(port.name)
        missing = [name for name in port.requires_columns if schema is not None and name not in schema]
        if missing:
            source = next(e.source for e in draft.into[node_id] if e.target_port == port.name)
            problems.append(Problem("port_lacks_columns", f"nodes.{node_id}.inputs.{port.name}",
                                    f"{draft.name(node_id)}: input port '{port.display_name}' needs the columns "
                                    f"{', '.join(missing)}, which {draft.name(source)} does not produce; connect a "
                                    "Score Model (or Cross Validate Model) output"))
    return problems


def _check_columns(spec: ModuleSpec, values: dict[str, Any], inputs: dict[str, Schema | None]) -> None:
    for p in spec.parameters:
        schema = inputs.get(p.columns_of) if p.columns_of else None
        if schema is None or values.get(p.name) is None or not is_active(p, values):
            continue
        if p.kind == "column":
            require_columns([str(values[p.name])], schema, p.name)
        elif p.kind == "column_selection":
            select(values[p.name], schema, p.name)


def _outputs(module: Module, values: dict[str, Any], inputs: dict[str, Schema | None]) -> dict[str, Any]:
    spec = module.spec
    if module.schema == EMPTY_RUN:
        frames = [port for port in spec.inputs if port.type == "DataFrameDirectory"]
        if any(inputs.get(port.name) is None and not port.optional for port in frames):
            return {}
        given = {port.name: empty_frame(inputs[port.name]) if inputs.get(port.name) is not None else None
                 for port in frames}
        result = module.run(**given, **values)
        results = result if isinstance(result, tuple) else (result,)
        return {port.name: schema_of(value) for port, value in zip(spec.outputs, results)
                if port.type == "DataFrameDirectory"}
    if module.schema is None:
        return {}
    found = module.schema(inputs, values)
    return {port.name: found.get(port.name, found.get("*") if port.type == "DataFrameDirectory" else None)
            for port in spec.outputs}


def flow_schemas(draft: Draft, dataset_schemas: dict[str, Schema]) -> tuple[dict[tuple[str, str], Any], list[Problem]]:
    """Each output port's schema (None when unknown) and the column problems found on the way."""
    order, _ = topological_order(draft)
    nodes: dict[str, DraftNode] = {node.id: node for node in draft.graph.nodes}
    known: dict[tuple[str, str], Any] = {}
    problems: list[Problem] = []
    for node_id in order:
        module = draft.modules.get(node_id)
        if module is None:
            continue
        if nodes[node_id].module == "dataset":
            known[(node_id, "output")] = dataset_schemas.get(node_id)
            continue
        values, _ = check_parameters(module.spec, nodes[node_id].parameters)
        inputs = {e.target_port: known.get((e.source, e.source_port)) for e in draft.into[node_id]
                  if _types_agree(*_edge_ports(draft, e))}  # a mismatched edge is its own problem
        problems += _missing_port_columns(draft, node_id, inputs)
        try:
            _check_columns(module.spec, values, inputs)
            outputs = _outputs(module, values, inputs)
        except ColumnNotFound as error:
            param = module.spec.parameter(error.parameter)
            problems.append(_column_problem(draft, node_id, error, param.columns_of if param else None))
            continue
        except InvalidInput as error:  # the module refuses the upstream schema (e.g. column indexes past its end)
            problems.append(Problem("refused_schema", f"nodes.{node_id}", f"{draft.name(node_id)}: {error.message}; "
                                    "change the parameter or the upstream modules"))
            continue
        except (ValueError, TypeError, KeyError):  # refused by another rule, or known only at run time
            continue
        known.update({(node_id, port): schema for port, schema in outputs.items()})
    return known, problems


RULES = (rule_known_modules, rule_edges_connect_ports, rule_edge_types_match, rule_required_inputs_connected,
         rule_no_cycles, rule_parameters_valid)


def validate_draft(graph: DraftGraph | dict, dataset_schemas: dict[str, Schema] | None = None) -> list[Problem]:
    """Every problem of a draft graph (an empty list when it can run): the structural rules, then the
    columns that modules name, checked against the schemas flowing from ``dataset_schemas``."""
    graph = graph if isinstance(graph, DraftGraph) else DraftGraph.model_validate(graph)
    draft = Draft.of(graph)
    problems = rule_pipeline_parameters(graph, [n.id for n in graph.nodes if n.module == "dataset"])
    problems += [problem for rule in RULES for problem in rule(draft)]
    return problems + flow_schemas(draft, dataset_schemas or {})[1]

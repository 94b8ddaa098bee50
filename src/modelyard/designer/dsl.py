"""A small Python DSL for Designer drafts, in the style of Azure ML v2's ``@pipeline`` decorator::

    from modelyard.designer import dsl

    @dsl.pipeline(name="attrition")
    def attrition(fraction=0.7):
        hr = dsl.dataset("employeeattrition:1")
        select = dsl.select_columns_in_dataset(dataset=hr, select_columns=["Age", "Attrition"])
        split = dsl.split_data(dataset=select.outputs.results_dataset,
                               fraction_of_rows_in_the_first_output_dataset=fraction)
        ...

    ws.designer_drafts.create(attrition.draft())

Every built-in module is a function of this module (``dsl.<module id>``): keyword arguments naming an
input port take an upstream output (``node.outputs.<port>``, or a node with one output), the others are
the module's parameters. The decorated function's arguments are the pipeline parameters (their defaults
the parameters' defaults). A node's id is the local variable it is assigned to (else its module id,
numbered when taken). The result is a plain ``DraftGraph``: the graph rules apply when it is saved.
"""

from __future__ import annotations

import functools
import inspect
import sys
from dataclasses import dataclass, field
from typing import Any, Callable

from modelyard.errors import InvalidInput
from modelyard.spec.designer import DraftEdge, DraftGraph, DraftNode

from modelyard.designer._pipeline_parameters import binding

__all__ = ["Node", "Output", "PipelineParameter", "dataset", "pipeline"]


@dataclass(frozen=True)
class Output:
    node: "Node"
    port: str


@dataclass(frozen=True)
class PipelineParameter:
    name: str

    def __str__(self) -> str:
        return binding(self.name)


class _Outputs:
    def __init__(self, node: "Node", ports: list[str]) -> None:
        self._node, self._ports = node, ports

    def __getattr__(self, port: str) -> Output:
        if port not in self._ports:
            raise AttributeError(f"{self._node.module} has no output port '{port}'; its outputs are: "
                                 f"{', '.join(self._ports)}")
        return Output(self._node, port)


@dataclass(eq=False)
class Node:
    module: str
    parameters: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Output] = field(default_factory=dict)
    ports: list[str] = field(default_factory=list)
    id: str | None = None

    @property
    def outputs(self) -> _Outputs:
        return _Outputs(self, self.ports)


class _Recorder:
    """The nodes made while a pipeline function runs."""

    active: "_Recorder | None" = None

    def __init__(self) -> None:
        self.nodes: list[Node] = []


def _record(node: Node) -> Node:
    if _Recorder.active is None:
        raise InvalidInput(f"dsl.{node.module}() is called outside a @dsl.pipeline function; call it inside one")
    _Recorder.active.nodes.append(node)
    return node


def dataset(asset: str) -> Node:
    """A registered dataset (``name:version``) read by the nodes its output is given to."""
    return _record(Node("dataset", {"asset": asset}, ports=["output"]))


def _module_function(module_id: str) -> Callable[..., Node]:
    from modelyard.designer._registry import get_module

    spec = get_module(module_id).spec
    inputs = [port.name for port in spec.inputs]

    def make(**given: Any) -> Node:
        unknown = sorted(set(given) - set(inputs) - {p.name for p in spec.parameters})
        if unknown:
            raise InvalidInput(f"dsl.{module_id}(): {spec.display_name} has no input port or parameter "
                               f"{', '.join(unknown)} (ports: {', '.join(inputs) or 'none'}; parameters: "
                               f"{', '.join(p.name for p in spec.parameters) or 'none'})")
        wired = {port: _output(module_id, port, value) for port, value in given.items() if port in inputs}
        parameters = {key: str(value) if isinstance(value, PipelineParameter) else value
                      for key, value in given.items() if key not in inputs}
        return _record(Node(module_id, parameters, wired, [port.name for port in spec.outputs]))

    make.__name__ = module_id
    make.__doc__ = f"{spec.display_name}: {spec.description}"
    return make


def _output(module_id: str, port: str, value: Any) -> Output:
    if isinstance(value, Node) and len(value.ports) == 1:
        return Output(value, value.ports[0])
    if not isinstance(value, Output):
        raise InvalidInput(f"dsl.{module_id}({port}=...): give an upstream output (node.outputs.<port>), not "
                           f"{type(value).__name__}")
    return value


class Pipeline:
    """A decorated pipeline function: ``graph()`` builds its draft graph, ``draft()`` the draft to save."""

    def __init__(self, function: Callable[..., Any], name: str | None, description: str | None) -> None:
        functools.update_wrapper(self, function)
        self.function = function
        self.name = name or function.__name__
        self.description = description or inspect.getdoc(function)

    def graph(self) -> DraftGraph:
        signature = inspect.signature(self.function)
        parameters = {name: p.default for name, p in signature.parameters.items()
                      if p.default is not inspect.Parameter.empty}
        missing = [name for name in signature.parameters if name not in parameters]
        if missing:
            raise InvalidInput(f"pipeline {self.name}: give parameter(s) {', '.join(missing)} a default; a pipeline "
                               "parameter needs one")
        recorder, names = _Recorder(), {}
        _Recorder.active = recorder
        previous = sys.getprofile()

        def locals_at_return(frame, event, _arg):
            if event == "return" and frame.f_code is self.function.__code__:
                names.update(frame.f_locals)

        sys.setprofile(locals_at_return)
        try:
            self.function(**{name: PipelineParameter(name) for name in parameters})
        finally:
            sys.setprofile(previous)
            _Recorder.active = None
        return _graph(recorder.nodes, names, parameters)

    def draft(self) -> dict[str, Any]:
        """``{"name", "description", "graph"}``: what ``ws.designer_drafts.create`` saves."""
        return {"name": self.name, "description": self.description, "graph": self.graph().model_dump(mode="json")}


def _graph(nodes: list[Node], names: dict[str, Any], parameters: dict[str, Any]) -> DraftGraph:
    by_node = {id(value): name for name, value in names.items() if isinstance(value, Node)}
    taken: set[str] = set()
    for node in nodes:
        wanted = by_node.get(id(node), node.module)
        node.id, number = wanted, 1
        while node.id in taken:
            number += 1
            node.id = f"{wanted}{number}"
        taken.add(node.id)
    edges = [DraftEdge(source=output.node.id, source_port=output.port, target=node.id, target_port=port)
             for node in nodes for port, output in node.inputs.items()]
    return DraftGraph(nodes=[DraftNode(id=node.id, module=node.module, parameters=node.parameters) for node in nodes],
                      edges=edges, parameters=parameters)


def pipeline(function: Callable[..., Any] | None = None, *, name: str | None = None,
             description: str | None = None):
    """``@dsl.pipeline`` or ``@dsl.pipeline(name=..., description=...)`` over a function building nodes."""
    if function is not None:
        return Pipeline(function, name, description)
    return lambda wrapped: Pipeline(wrapped, name, description)


def __getattr__(name: str) -> Callable[..., Node]:
    from modelyard.designer._registry import modules_by_id

    if name.startswith("_") or name not in modules_by_id():
        raise AttributeError(f"modelyard.designer.dsl has no module '{name}'; the built-in modules are "
                             "`modelyard component list --builtin`")
    return _module_function(name)

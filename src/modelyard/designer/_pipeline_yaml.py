"""A draft graph as an Azure-v2-style pipeline YAML document, and back.

Each module node is a job naming its component (``azureml://registries/azureml/components/<id>/labels/
default``) whose ``inputs`` hold its input ports, wired by ``${{parent.jobs.<node>.outputs.<port>}}``,
and its parameters; each dataset node is a pipeline input (``type: mltable``, ``path: azureml:name:3``)
that ports take as ``${{parent.inputs.<node>}}``; pipeline parameters are literal pipeline inputs that
parameters take the same way. ``modelyard job create -f`` runs the document as it is. The canvas layout
is not part of it: an imported graph is laid out again.
"""

from __future__ import annotations

import re
from typing import Any

from modelyard.errors import InvalidInput
from modelyard.spec.designer import DraftEdge, DraftGraph, DraftNode, module_id

SCHEMA = "https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json"
_OUTPUT = re.compile(r"^\$\{\{\s*parent\.jobs\.(?P<node>[^.\s]+)\.outputs\.(?P<port>[^.\s}]+)\s*\}\}$")
_INPUT = re.compile(r"^\$\{\{\s*parent\.inputs\.(?P<name>[^.\s}]+)\s*\}\}$")


def component_reference(module: str) -> str:
    return f"azureml://registries/azureml/components/{module}/labels/default"


def pipeline_document(name: str, graph: DraftGraph, description: str | None = None) -> dict[str, Any]:
    """The pipeline YAML document (as a dict) of draft ``name``'s ``graph``."""
    from modelyard.designer._registry import modules_by_id

    modules = modules_by_id()
    datasets = {node.id for node in graph.nodes if node.module == "dataset"}
    inputs: dict[str, Any] = {node.id: {"type": "mltable", "path": f"azureml:{node.parameters.get('asset')}"}
                              for node in graph.nodes if node.id in datasets}
    inputs.update(graph.parameters)
    jobs: dict[str, Any] = {}
    for node in graph.nodes:
        if node.id in datasets:
            continue
        into = {edge.target_port: edge for edge in graph.edges if edge.target == node.id}
        ports = [port.name for port in modules[node.module].spec.inputs] if node.module in modules else sorted(into)
        wired = {port: f"${{{{parent.inputs.{into[port].source}}}}}" if into[port].source in datasets
                 else f"${{{{parent.jobs.{into[port].source}.outputs.{into[port].source_port}}}}}"
                 for port in ports if port in into}
        job: dict[str, Any] = {"component": component_reference(node.module)}
        if wired or node.parameters:
            job["inputs"] = {**wired, **node.parameters}
        jobs[node.id] = job
    document: dict[str, Any] = {"$schema": SCHEMA, "type": "pipeline", "display_name": name}
    if description:
        document["description"] = description
    return {**document, **({"inputs": inputs} if inputs else {}), "jobs": jobs}


def yaml_text(document: dict[str, Any]) -> str:
    """A pipeline document as the YAML file ``designer export`` writes."""
    import yaml

    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def parse_yaml(text: str) -> dict[str, Any]:
    """The pipeline document a YAML text holds; text that is no YAML mapping raises InvalidInput saying where."""
    import yaml

    try:
        document = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = "; ".join(part for part in (error.context, error.problem) if part)
        raise InvalidInput(f"the pipeline document is not valid YAML{where}: {what}") from None
    except yaml.YAMLError as error:
        raise InvalidInput(f"the pipeline document is not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise InvalidInput("the pipeline document must be a YAML mapping (type: pipeline, inputs, jobs), not "
                           f"{type(document).__name__}")
    return document


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput(f"{where} must be a mapping, not {type(value).__name__}")
    return value


def graph_of(document: Any) -> tuple[str | None, str | None, DraftGraph]:
    """``(display_name, description, graph)`` of a pipeline document of built-in modules; a shape that is no
    such pipeline raises InvalidInput naming the place; the graph rules are the draft's to check."""
    from modelyard.designer._registry import modules_by_id

    document = _mapping(document, "the pipeline document")
    if document.get("type") != "pipeline":
        raise InvalidInput(f"type: a Designer draft imports a pipeline (type: pipeline), not {document.get('type')!r}")
    modules = modules_by_id()
    nodes: list[DraftNode] = []
    parameters: dict[str, Any] = {}
    for name, value in _mapping(document.get("inputs"), "inputs").items():
        if isinstance(value, dict):
            if not value.get("path"):
                raise InvalidInput(f"inputs.{name}: a data input needs a path (azureml:name:version)")
            nodes.append(DraftNode(id=name, module="dataset",
                                   parameters={"asset": str(value["path"]).removeprefix("azureml:")}))
        else:
            parameters[name] = value
    datasets = {node.id for node in nodes}
    edges: list[DraftEdge] = []
    jobs = _mapping(document.get("jobs"), "jobs")
    if not jobs:
        raise InvalidInput("jobs: the pipeline has no jobs; add one per module")
    for name, job in jobs.items():
        job = _mapping(job, f"jobs.{name}")
        if not job.get("component"):
            raise InvalidInput(f"jobs.{name}: name its module as component: azureml://registries/azureml/components/"
                               "<module>/labels/default (`modelyard component list --builtin` lists them)")
        module = module_id(str(job["component"]))
        ports = {port.name for port in modules[module].spec.inputs} if module in modules else set()
        node_parameters = {}
        for key, value in _mapping(job.get("inputs"), f"jobs.{name}.inputs").items():
            if key not in ports:
                node_parameters[key] = value
                continue
            edges.append(_edge_into(name, key, value, datasets, nodes))
        nodes.append(DraftNode(id=name, module=module, parameters=node_parameters))
    return document.get("display_name"), document.get("description"), DraftGraph(nodes=nodes, edges=edges,
                                                                                  parameters=parameters)


def _edge_into(job: str, port: str, value: Any, datasets: set[str], nodes: list[DraftNode]) -> DraftEdge:
    """The edge feeding ``port``: an upstream output, a pipeline data input, or an inline data input (which
    becomes a dataset node ``<job>_<port>``)."""
    if isinstance(value, dict) and value.get("path"):
        node_id = f"{job}_{port}"
        nodes.append(DraftNode(id=node_id, module="dataset",
                               parameters={"asset": str(value["path"]).removeprefix("azureml:")}))
        datasets.add(node_id)
        return DraftEdge(source=node_id, source_port="output", target=job, target_port=port)
    text = str(value)
    if (output := _OUTPUT.match(text)) is not None:
        return DraftEdge(source=output["node"], source_port=output["port"], target=job, target_port=port)
    if (data := _INPUT.match(text)) is not None and data["name"] in datasets:
        return DraftEdge(source=data["name"], source_port="output", target=job, target_port=port)
    raise InvalidInput(f"jobs.{job}.inputs.{port}: {value!r} is no input port binding; write "
                       "${{parent.jobs.<job>.outputs.<port>}} or ${{parent.inputs.<data input>}}")

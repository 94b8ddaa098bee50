"""Creating a pipeline job: validating its graph and creating one child job per step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modelyard.errors import InvalidInput, NotFound
from modelyard.services._designer_pipeline import builtin_component_step
from modelyard.services._names import job_name
from modelyard.services.job_lifecycle import new_job, start
from modelyard.spec.component import DATA_TYPES, ComponentCreate
from modelyard.spec.job import CommandJob, ComponentRef, DataInput, PipelineJob
from modelyard.spec.pipeline_graph import binding, topological_order, validate_graph
from modelyard.store import JobRow

if TYPE_CHECKING:
    from modelyard.services.jobs import JobService


def step_as_command(service: "JobService", name: str, step: Any, literals: dict[str, Any]) -> CommandJob:
    """An inline step as it is, or a component step expanded into the command it runs; ``literals``: the
    pipeline's literal inputs, which a built-in module's parameters may take."""
    if not isinstance(step, ComponentRef):
        return step
    from modelyard.services.components import ComponentService

    try:
        found = ComponentService(service.context).get(step.component)
    except NotFound as error:
        raise InvalidInput(f"jobs.{name}.component: {error.message}") from None
    if found.builtin:
        step_document = builtin_component_step(name, found.name, step.inputs, literals)
        return CommandJob.model_validate({**step_document, "compute": step.compute,
                                          "display_name": step.display_name or step_document["display_name"]})
    component = ComponentCreate.model_validate({k: v for k, v in found.spec.items() if k != "type"})
    unknown = set(step.inputs) - set(component.inputs)
    if unknown:
        raise InvalidInput(f"jobs.{name}.inputs: component {component.name} has no input(s) "
                           f"{', '.join(sorted(unknown))} (inputs: {', '.join(component.inputs) or 'none'})")
    inputs: dict[str, Any] = {}
    for key, declared in component.inputs.items():
        value = step.inputs.get(key, declared.default)
        if value is None:
            if not declared.optional:
                raise InvalidInput(f"jobs.{name}.inputs.{key}: required by component {component.name}; bind it")
            continue
        if declared.type in DATA_TYPES and isinstance(value, str) and binding(value) is None:
            value = {"type": declared.type, "path": value}
        inputs[key] = value
    outputs = {**component.outputs, **{k: v for k, v in step.outputs.items() if v is not None}}
    return CommandJob.model_validate({
        "command": component.command, "code": component.code, "environment": component.environment,
        "inputs": inputs, "outputs": outputs, "display_name": step.display_name or name, "compute": step.compute,
        "deterministic": component.is_deterministic,
        "tags": {"component": f"{component.name}:{component.version}"},
    })


def create_pipeline(service: "JobService", spec: PipelineJob, properties: dict[str, Any]) -> JobRow:
    literals = {key: value for key, value in spec.inputs.items() if not isinstance(value, DataInput)}
    steps = {name: step_as_command(service, name, step, literals) for name, step in spec.jobs.items()}
    graph = {name: {"inputs": dict(step.inputs), "outputs": list(step.outputs)} for name, step in steps.items()}
    problems = validate_graph(graph, set(spec.inputs))
    if problems:
        raise InvalidInput("pipeline graph is invalid: " + "; ".join(str(p) for p in problems))
    default_compute = spec.settings.default_compute or spec.compute
    if default_compute:
        service.checked_compute(default_compute, "settings.default_compute")
    parent = new_job(
        name=spec.name or job_name(), type="pipeline", display_name=spec.display_name,
        description=spec.description, experiment_name=spec.experiment_name or "Default", compute=default_compute,
        tags=spec.tags, spec={**spec.model_dump(mode="json", by_alias=True),
                              "inputs": _dump(service.resolve_inputs(spec.inputs, "inputs"))},
        properties=dict(properties))
    children = []
    for name in topological_order(graph):
        step = steps[name]
        plain = {k: v for k, v in step.inputs.items() if binding(v) is None}
        resolved = service.resolve_inputs({k: DataInput.model_validate(v) if isinstance(v, dict) else v
                                           for k, v in plain.items()}, f"jobs.{name}.inputs")
        compute = step.compute or default_compute
        if compute:
            service.checked_compute(compute, f"jobs.{name}.compute")
        service.check_snapshot(step.code, f"jobs.{name}.code")
        environment, named = service.environments.pinned(step.environment, f"jobs.{name}.environment")
        document = step.model_dump(mode="json", by_alias=True, warnings=False)
        document["environment"] = environment
        document["inputs"] = {**{k: v for k, v in step.inputs.items() if binding(v) is not None}, **_dump(resolved)}
        document["compute"] = compute or "local"
        children.append(new_job(
            name=job_name(), type="command", display_name=step.display_name or name,
            experiment_name=parent.experiment_name, compute=compute or "local", tags=step.tags or {},
            parent=parent.name, step=name, spec=document, properties={"environment": named} if named else {}))
    start(parent)
    with service.context.session() as session:
        session.add(parent)
        session.add_all(children)
    return parent


def _dump(inputs: dict[str, Any]) -> dict[str, Any]:
    return {k: v.model_dump(mode="json") if hasattr(v, "model_dump") else v for k, v in inputs.items()}

"""Pipeline graphs are plain data checked by small named rules; each message says how to fix the graph.

A graph is ``{step: {"inputs": {name: value}, "outputs": [names]}}`` plus the pipeline's own input
names. Values bind with ``${{parent.inputs.x}}`` or ``${{parent.jobs.step.outputs.y}}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

BINDING = re.compile(r"\$\{\{\s*parent\.(inputs\.(?P<input>[A-Za-z0-9_]+)"
                     r"|jobs\.(?P<step>[A-Za-z0-9_.-]+)\.outputs\.(?P<output>[A-Za-z0-9_]+))\s*\}\}")


@dataclass(frozen=True)
class Problem:
    rule: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def binding(value: Any) -> dict[str, str] | None:
    """The parts of a ``${{parent...}}`` binding, or None for a plain value."""
    if not isinstance(value, str):
        return None
    match = BINDING.fullmatch(value.strip())
    return {k: v for k, v in match.groupdict().items() if v} if match else None


def upstream(step: dict[str, Any]) -> set[str]:
    return {b["step"] for v in step.get("inputs", {}).values() if (b := binding(v)) and "step" in b}


def rule_bindings_resolve(graph: dict[str, dict], pipeline_inputs: set[str]) -> list[Problem]:
    problems = []
    for name, step in graph.items():
        for key, value in step.get("inputs", {}).items():
            where = f"jobs.{name}.inputs.{key}"
            if isinstance(value, str) and "${{" in value and binding(value) is None:
                problems.append(Problem("binding_syntax", where, f"{value!r} is not a binding; write "
                                        "${{parent.inputs.NAME}} or ${{parent.jobs.STEP.outputs.NAME}}"))
                continue
            parts = binding(value)
            if parts is None:
                continue
            if "input" in parts and parts["input"] not in pipeline_inputs:
                problems.append(Problem("unknown_pipeline_input", where,
                                        f"the pipeline has no input '{parts['input']}'; add it under the pipeline's "
                                        f"inputs (declared: {', '.join(sorted(pipeline_inputs)) or 'none'})"))
            elif "step" in parts and parts["step"] not in graph:
                problems.append(Problem("unknown_step", where, f"no step named '{parts['step']}' "
                                        f"(steps: {', '.join(sorted(graph))})"))
            elif "step" in parts and parts["output"] not in graph[parts["step"]].get("outputs", []):
                problems.append(Problem("unknown_output", where, f"step '{parts['step']}' has no output "
                                        f"'{parts['output']}'; declare it under jobs.{parts['step']}.outputs"))
    return problems


def rule_no_cycles(graph: dict[str, dict], _inputs: set[str]) -> list[Problem]:
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for parent in sorted(upstream(graph[node]) & set(graph)):
            if state.get(parent) == 1:
                return path + [parent]
            if parent not in state and (cycle := visit(parent, path + [parent])):
                return cycle
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node, [node])):
            return [Problem("cycle", f"jobs.{node}", "steps depend on each other in a cycle: "
                            + " <- ".join(cycle) + "; remove one of these bindings")]
    return []


RULES = (rule_bindings_resolve, rule_no_cycles)


def validate_graph(graph: dict[str, dict], pipeline_inputs: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    for rule in RULES:
        problems += rule(graph, pipeline_inputs)
    return problems


def topological_order(graph: dict[str, dict]) -> list[str]:
    order, done = [], set()
    while len(order) < len(graph):
        ready = sorted(n for n in graph if n not in done and upstream(graph[n]) <= done)
        if not ready:
            raise ValueError("the graph has a cycle")
        order += ready
        done |= set(ready)
    return order

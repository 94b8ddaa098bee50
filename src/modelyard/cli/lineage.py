"""``modelyard lineage NODE``: what a data version, job, model or deployment came from and led to."""

from __future__ import annotations

import typer

from modelyard.cli._common import OUTPUT, workspace
from modelyard.cli._output import Format, emit


def lineage(node: str = typer.Argument(..., help="kind:name[:version], e.g. model:attrition:2, data:hr@latest, "
                                                   "job:train-42, online-deployment:attrition/blue"),
            depth: int = typer.Option(2, help="edges to follow, upstream and downstream"),
            output: Format = OUTPUT) -> None:
    """The lineage graph around NODE: its nodes, then its edges (source -[type]-> target)."""
    with workspace() as ws:
        graph = ws.lineage(node, depth=depth)
    if output is not Format.table:
        emit(graph, output)
        return
    shown = ("type", "status", "state")
    emit([{"node": n.id, "kind": n.kind, **{k: v for k, v in n.attributes.items() if k in shown}} for n in graph.nodes],
         output, columns=["node", "kind", *shown], title=f"lineage of {graph.root}")
    emit([{"source": e.source, "edge": e.type, "target": e.target} for e in graph.edges], output,
         columns=["source", "edge", "target"], title="edges")

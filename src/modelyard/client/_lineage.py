"""SDK for lineage: ``ws.lineage("model:attrition:2", depth=3)``."""

from __future__ import annotations

from modelyard.client._http import ApiClient
from modelyard.spec.lineage import LineageGraph


def lineage(api: ApiClient, node: str, depth: int = 2) -> LineageGraph:
    return LineageGraph.model_validate(api.get("/api/lineage", params={"node": node, "depth": depth}))

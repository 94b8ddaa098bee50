"""The lineage graph's shapes: typed nodes (data versions, jobs, models, deployments...) and typed edges."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from modelyard.spec._common import Record

NodeKind = Literal["data", "job", "component", "model", "online-endpoint", "online-deployment", "batch-endpoint",
                   "batch-deployment", "environment"]
EdgeType = Literal["input", "output", "step", "trial", "child", "runs", "produced", "trained-on", "deployed",
                   "serves", "runs-in"]
MAX_DEPTH = 10


class LineageNode(Record):
    id: str = Field(description="kind:name[:version], as the node parameter takes it")
    kind: NodeKind
    name: str
    version: str | None = None
    attributes: dict[str, Any] = Field(default_factory=dict, description="status, type, traffic... by kind")


class LineageEdge(Record):
    source: str = Field(description="the upstream node's id (data flows from source to target)")
    target: str
    type: EdgeType


class LineageGraph(Record):
    root: str
    depth: int
    nodes: list[LineageNode]
    edges: list[LineageEdge]

"""The lineage graph over REST: ``GET /api/lineage?node=model:attrition:2&depth=3``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from modelyard.api._deps import context
from modelyard.services._context import ServiceContext
from modelyard.services.lineage import NODE_FORMAT, LineageService
from modelyard.spec.lineage import LineageGraph

router = APIRouter(prefix="/api/lineage", tags=["lineage"])


@router.get("", operation_id="getLineage", response_model=LineageGraph)
def lineage(node: str = Query(..., description=NODE_FORMAT),
            depth: int = Query(2, description="edges to follow from the node, upstream and downstream"),
            ctx: ServiceContext = Depends(context)) -> LineageGraph:
    return LineageService(ctx).graph(node, depth)

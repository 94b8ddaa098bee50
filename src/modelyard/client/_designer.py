"""SDK for Designer drafts: ``ws.designer_drafts.create("draft.yml")``, ``.validate(graph)``, ``.get("attrition:2")``."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from modelyard.client._http import ApiClient
from modelyard.spec._common import AssetRef, validate_spec
from modelyard.spec.designer import DraftGraph
from modelyard.spec.designer_draft import DesignerDraft, DesignerDraftCreate, DraftValidation


class DesignerDraftOperations:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    def create(self, draft: str | Path | dict[str, Any]) -> DesignerDraft:
        """Save a draft (a YAML file or a dict: name, graph, layout) as its name's next version. A graph
        that breaks a rule raises InvalidGraph, whose ``problems`` name each node and the fix."""
        from modelyard.client._jobs import load_document

        spec = validate_spec(DesignerDraftCreate, load_document(draft)[0], "designer draft")
        body = spec.model_dump(mode="json", by_alias=True, exclude_none=True)
        return DesignerDraft.model_validate(self._api.post("/api/designer-drafts", json=body))

    def get(self, reference: str, version: int | None = None) -> DesignerDraft:
        """``name`` (the latest version), ``name:3`` or ``name`` with ``version``."""
        ref = AssetRef.parse(reference)
        number = version or ref.version
        path = f"/api/designer-drafts/{quote(ref.name)}" + (f"/versions/{number}" if number else "")
        return DesignerDraft.model_validate(self._api.get(path))

    def list(self, name: str | None = None) -> list[DesignerDraft]:
        """The latest version of every draft, or every version of ``name``."""
        return [DesignerDraft.model_validate(d)
                for d in self._api.get("/api/designer-drafts", params={"name": name} if name else {})]

    def validate(self, graph: DraftGraph | dict[str, Any]) -> DraftValidation:
        """Every problem of a graph (``{"nodes": [...], "edges": [...]}``), checked by the server without saving."""
        body = graph.model_dump(mode="json") if isinstance(graph, DraftGraph) else graph
        return DraftValidation.model_validate(self._api.post("/api/designer-drafts/validate", json=body))

    def delete(self, name: str, version: int) -> None:
        self._api.delete(f"/api/designer-drafts/{quote(name)}/versions/{version}")

"""SDK for compute targets: ``ws.compute.create(name="cpucluster", type="cluster", max_instances=4)``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pydantic import TypeAdapter

from modelyard.client._http import ApiClient
from modelyard.spec._common import validate_spec
from modelyard.spec.compute import Compute, ComputeCreate

CREATE = TypeAdapter(ComputeCreate)


class ComputeOperations:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    def create(self, spec: Any = None, **fields: Any) -> Compute:
        if spec is None or isinstance(spec, dict):
            spec = validate_spec(CREATE, spec or fields, "compute")
        body = spec.model_dump(mode="json", by_alias=True, exclude_none=True)
        return Compute.model_validate(self._api.post("/api/compute", json=body))

    def get(self, name: str) -> Compute:
        return Compute.model_validate(self._api.get(f"/api/compute/{quote(name)}"))

    def list(self) -> list[Compute]:
        return [Compute.model_validate(c) for c in self._api.get("/api/compute")]

    def update(self, name: str, **change: Any) -> Compute:
        return Compute.model_validate(self._api.patch(f"/api/compute/{quote(name)}", json=change))

    def delete(self, name: str) -> None:
        self._api.delete(f"/api/compute/{quote(name)}")

    def start(self, name: str) -> Compute:
        return Compute.model_validate(self._api.post(f"/api/compute/{quote(name)}/start"))

    def stop(self, name: str) -> Compute:
        return Compute.model_validate(self._api.post(f"/api/compute/{quote(name)}/stop"))

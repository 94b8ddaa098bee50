"""SDK for datastores: ``ws.datastores.create(name=..., type="local", path=...)``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pydantic import TypeAdapter

from modelyard.client._http import ApiClient
from modelyard.spec._common import validate_spec
from modelyard.spec.datastore import Datastore, DatastoreCreate

CREATE = TypeAdapter(DatastoreCreate)


class DatastoreOperations:
    def __init__(self, api: ApiClient) -> None:
        self._api = api

    def create(self, spec: Any = None, **fields: Any) -> Datastore:
        if spec is None or isinstance(spec, dict):
            spec = validate_spec(CREATE, spec or fields, "datastore")
        body = spec.model_dump(mode="json", by_alias=True, exclude_none=True)
        return Datastore.model_validate(self._api.post("/api/datastores", json=body))

    def get(self, name: str) -> Datastore:
        return Datastore.model_validate(self._api.get(f"/api/datastores/{quote(name)}"))

    def list(self) -> list[Datastore]:
        return [Datastore.model_validate(d) for d in self._api.get("/api/datastores")]

    def delete(self, name: str) -> None:
        self._api.delete(f"/api/datastores/{quote(name)}")

"""SDK for compute targets: ``ws.compute.create(name="cpucluster", type="cluster", max_instances=4)``."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pydantic import TypeAdapter

from modelyard.client._http import ApiClient
from modelyard.errors import InvalidInput, TimeLimitExceeded
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

    def wait_running(self, name: str, timeout: float = 180) -> Compute:
        """An instance once its JupyterLab answers (``url`` set); raises when it failed or the time is up."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            compute = self.get(name)
            if compute.provisioning_state == "Running":
                return compute
            if compute.provisioning_state in ("Failed", "Stopped"):
                raise InvalidInput(f"compute instance '{name}' is {compute.provisioning_state}"
                                   + (f": {compute.provisioning_errors}" if compute.provisioning_errors else "")
                                   + f"; 'modelyard compute start {name}' starts it again")
            if time.monotonic() > deadline:
                raise TimeLimitExceeded(f"compute instance '{name}' is still {compute.provisioning_state} after "
                                        f"{timeout:.0f} s; 'modelyard compute show {name}' shows it later")
            time.sleep(0.5)

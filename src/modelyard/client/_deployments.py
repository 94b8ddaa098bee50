"""SDK for the deployments behind endpoints: ``ws.online_deployments`` and ``ws.batch_deployments``.

Both have the shape of Azure ML v2's ``ml_client.online_deployments`` and ``ml_client.batch_deployments``, so code
written for one reads the same for the other: ``create_or_update(spec)``, ``get(name, endpoint_name)``,
``list(endpoint_name)``, ``update(name, endpoint_name, **change)``, ``delete(name, endpoint_name)``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable, Generic, TypeVar
from urllib.parse import quote

from modelyard.client._http import ApiClient
from modelyard.client._jobs import _Uploader, load_document
from modelyard.errors import InvalidInput
from modelyard.spec._common import validate_spec
from modelyard.spec.batch_endpoint import BatchDeployment, BatchDeploymentCreate, BatchDeploymentUpdate
from modelyard.spec.endpoint import OnlineDeployment, OnlineDeploymentCreate, OnlineDeploymentUpdate

Deployment = TypeVar("Deployment", OnlineDeployment, BatchDeployment)
Spec = str | Path | dict[str, Any] | None


class _DeploymentOperations(Generic[Deployment]):
    root: str
    noun: str
    create_shape: type
    update_shape: type
    record: type[Deployment]

    def __init__(self, api: Callable[[], ApiClient]) -> None:
        self._api = api

    def create(self, spec: Spec = None, *, wait: bool = True, timeout: float = 180, **fields: Any) -> Deployment:
        """Create the deployment; one of that name already there is a ``Conflict``.

        ``spec`` is a YAML file (its relative paths are relative to it) or a dict; ``fields`` are set over it;
        a local code folder is uploaded. An online deployment is waited for until it serves (``wait``,
        ``timeout`` seconds); a batch deployment is ready at once."""
        api, checked = self._checked(spec, fields)
        return self._ready(self.record.model_validate(api.post(
            f"{self.root}/{quote(checked.endpoint_name)}/deployments", json=self._body(checked))), wait, timeout)

    def create_or_update(self, spec: Spec = None, *, wait: bool = True, timeout: float = 180,
                         **fields: Any) -> Deployment:
        """Create the deployment, or replace the one of that name (arguments as for ``create``)."""
        api, checked = self._checked(spec, fields)
        return self._ready(self.record.model_validate(api.request(
            "PUT", self._path(checked.name, checked.endpoint_name), json=self._body(checked))), wait, timeout)

    def get(self, name: str, endpoint_name: str) -> Deployment:
        return self.record.model_validate(self._api().get(self._path(name, endpoint_name)))

    def list(self, endpoint_name: str) -> list[Deployment]:
        listed = self._api().get(f"{self.root}/{quote(endpoint_name)}/deployments")
        return [self.record.model_validate(d) for d in listed]

    def update(self, name: str, endpoint_name: str, *, wait: bool = True, timeout: float = 180,
               **change: Any) -> Deployment:
        """Change the fields given (``model="attrition:2"``, ``instance_count=2`` ...), keep the others."""
        checked = validate_spec(self.update_shape, change, f"{self.noun} change")
        return self._ready(self.record.model_validate(self._api().patch(
            self._path(name, endpoint_name), json=checked.model_dump(mode="json", exclude_unset=True))), wait, timeout)

    def delete(self, name: str, endpoint_name: str) -> None:
        self._api().delete(self._path(name, endpoint_name))

    def _checked(self, spec: Spec, fields: dict[str, Any]) -> tuple[ApiClient, Any]:
        document, base = load_document(spec) if spec is not None else ({}, Path.cwd())
        document.update(fields)
        api = self._api()
        code = document.get("code_configuration")
        if isinstance(code, dict) and code.get("code") and not str(code["code"]).startswith("snapshot:"):
            document["code_configuration"] = {**code, "code": _Uploader(api, base).snapshot(
                code["code"], "code_configuration.code")}
        return api, validate_spec(self.create_shape, document, self.noun)

    @staticmethod
    def _body(checked: Any) -> dict[str, Any]:
        return checked.model_dump(mode="json", by_alias=True, exclude_none=True)

    def _path(self, name: str, endpoint_name: str) -> str:
        return f"{self.root}/{quote(endpoint_name)}/deployments/{quote(name)}"

    def _ready(self, deployment: Deployment, wait: bool, timeout: float) -> Deployment:
        return deployment


class BatchDeploymentOperations(_DeploymentOperations[BatchDeployment]):
    """``ws.batch_deployments``: a batch deployment is ready as soon as it is written."""

    root, noun = "/api/batch-endpoints", "batch deployment"
    create_shape, update_shape, record = BatchDeploymentCreate, BatchDeploymentUpdate, BatchDeployment


class OnlineDeploymentOperations(_DeploymentOperations[OnlineDeployment]):
    """``ws.online_deployments``: create, replace and update wait until the deployment serves (or failed)."""

    root, noun = "/api/online-endpoints", "online deployment"
    create_shape, update_shape, record = OnlineDeploymentCreate, OnlineDeploymentUpdate, OnlineDeployment

    def get_logs(self, name: str, endpoint_name: str, lines: int = 200) -> str:
        """The last ``lines`` lines of the deployment's newest scoring process logs."""
        return self._api().send("GET", f"{self._path(name, endpoint_name)}/logs", params={"lines": lines}).text

    def wait(self, name: str, endpoint_name: str, timeout: float = 180) -> OnlineDeployment:
        """The deployment once it serves; ``InvalidInput`` when it failed, ``TimeoutError`` past ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            deployment = self.get(name, endpoint_name)
            if deployment.state in ("Succeeded", "Failed"):
                if deployment.state == "Failed":
                    raise InvalidInput(f"deployment {endpoint_name}/{name} failed: {deployment.error}")
                return deployment
            if time.monotonic() > deadline:
                raise TimeoutError(f"deployment {endpoint_name}/{name} still {deployment.state} after {timeout} s")
            time.sleep(0.3)

    def _ready(self, deployment: OnlineDeployment, wait: bool, timeout: float) -> OnlineDeployment:
        return self.wait(deployment.name, deployment.endpoint_name, timeout) if wait else deployment


__all__ = ["BatchDeploymentOperations", "OnlineDeploymentOperations"]

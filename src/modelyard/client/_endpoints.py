"""SDK for online endpoints: create, invoke with the endpoint's key, keys (deployments: _deployments.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from modelyard.client._deployments import OnlineDeploymentOperations
from modelyard.client._http import ApiClient
from modelyard.client._jobs import load_document
from modelyard.errors import NotFound
from modelyard.spec._common import validate_spec
from modelyard.spec.endpoint import (
    DataCollectionStatus, EndpointKeys, OnlineDeployment, OnlineEndpoint, OnlineEndpointCreate,
)


class OnlineEndpointOperations:
    def __init__(self, api: Callable[[], ApiClient]) -> None:
        self._api = api
        self._deployments = OnlineDeploymentOperations(api)

    def create(self, spec: str | Path | dict[str, Any] | None = None, **fields: Any) -> OnlineEndpoint:
        document = load_document(spec)[0] if spec is not None else fields
        checked = validate_spec(OnlineEndpointCreate, document, "online endpoint")
        return OnlineEndpoint.model_validate(self._api().post(
            "/api/online-endpoints", json=checked.model_dump(mode="json", by_alias=True, exclude_none=True)))

    def get(self, name: str) -> OnlineEndpoint:
        return OnlineEndpoint.model_validate(self._api().get(f"/api/online-endpoints/{quote(name)}"))

    def list(self) -> list[OnlineEndpoint]:
        return [OnlineEndpoint.model_validate(e) for e in self._api().get("/api/online-endpoints")]

    def update(self, name: str, **change: Any) -> OnlineEndpoint:
        return OnlineEndpoint.model_validate(self._api().patch(f"/api/online-endpoints/{quote(name)}", json=change))

    def delete(self, name: str) -> None:
        self._api().delete(f"/api/online-endpoints/{quote(name)}")

    def get_credentials(self, name: str) -> EndpointKeys:
        return EndpointKeys.model_validate(self._api().post(f"/api/online-endpoints/{quote(name)}/credentials"))

    def regenerate_keys(self, name: str, key_type: str = "primary") -> EndpointKeys:
        return EndpointKeys.model_validate(self._api().post(f"/api/online-endpoints/{quote(name)}/regenerate-keys",
                                                            params={"key_type": key_type}))

    def metrics(self, name: str) -> dict[str, Any]:
        return self._api().get(f"/api/online-endpoints/{quote(name)}/metrics")

    def data_collection(self, name: str, deployment: str) -> DataCollectionStatus:
        """What ``deployment``'s data collector wrote and dropped, and where (``path``)."""
        return DataCollectionStatus.model_validate(self._api().get(
            f"/api/online-endpoints/{quote(name)}/deployments/{quote(deployment)}/data-collection"))

    def collected_data(self, name: str, deployment: str, collection: str = "model_inputs",
                       rows: int = 20) -> dict[str, Any]:
        """The last ``rows`` rows ``deployment`` collected, the row count and the files that did not read."""
        return self._api().get(f"/api/online-endpoints/{quote(name)}/deployments/{quote(deployment)}"
                               f"/data-collection/{quote(collection)}", params={"rows": rows})

    def invoke(self, name: str, body: dict[str, Any] | list, deployment: str | None = None,
               proba: bool = False, explain: bool | int | str | None = None) -> Any:
        """Score ``body`` (``{"data": [...]}`` or a list of records) with the endpoint's own key; ``explain``
        (True for each row's 5 largest contributions, a count, or ``"all"``) adds the answer's ``explanation``."""
        api = self._api()
        endpoint = self.get(name)
        keys = self.get_credentials(name)
        secret = keys.primary_key or keys.access_token
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        if deployment:
            headers["azureml-model-deployment"] = deployment
        payload = {"data": body} if isinstance(body, list) else body
        params = {"proba": "true"} if proba else {}
        if explain not in (None, False):
            params.update(explain="true", **({} if explain is True else {"explain_top": str(explain)}))
        response = api.http.post(endpoint.scoring_uri, json=payload, headers=headers, params=params or None)
        if response.status_code >= 400:
            raise api._error(response)
        return response.json()

    def deploy_model(self, endpoint: str, model: str, deployment: str = "default", instance_count: int = 1,
                     auth_mode: str | None = None, timeout: float = 180) -> OnlineEndpoint:
        """The studio's "Deploy" button: create ``endpoint`` when it does not exist, deploy ``model``
        (``name:version``) there as ``deployment`` with all of the traffic, and wait until it serves.
        A new endpoint that ends up serving nothing is removed again."""
        try:
            self.get(endpoint)
            created = False
        except NotFound:
            self.create(name=endpoint, **({"auth_mode": auth_mode} if auth_mode else {}))
            created = True
        try:
            self._deployments.create(name=deployment, endpoint_name=endpoint, model=model,
                                     instance_count=instance_count, timeout=timeout)
            return self.update(endpoint, traffic={deployment: 100})
        except BaseException:
            if created:
                self.delete(endpoint)
            raise

    # -- the first spellings of ws.online_deployments' verbs, (endpoint, name) first; kept for the code using them --
    def create_deployment(self, spec: str | Path | dict[str, Any] | None = None, wait: bool = True,
                          timeout: float = 180, **fields: Any) -> OnlineDeployment:
        """``ws.online_deployments.create``."""
        return self._deployments.create(spec, wait=wait, timeout=timeout, **fields)

    def update_deployment(self, endpoint: str, name: str, wait: bool = True, timeout: float = 180,
                          **change: Any) -> OnlineDeployment:
        """``ws.online_deployments.update(name, endpoint)``."""
        return self._deployments.update(name, endpoint, wait=wait, timeout=timeout, **change)

    def get_deployment(self, endpoint: str, name: str) -> OnlineDeployment:
        """``ws.online_deployments.get(name, endpoint)``."""
        return self._deployments.get(name, endpoint)

    def delete_deployment(self, endpoint: str, name: str) -> None:
        """``ws.online_deployments.delete(name, endpoint)``."""
        self._deployments.delete(name, endpoint)

    def deployment_logs(self, endpoint: str, name: str, lines: int = 200) -> str:
        """``ws.online_deployments.get_logs(name, endpoint)``."""
        return self._deployments.get_logs(name, endpoint, lines)

    def wait_deployment(self, endpoint: str, name: str, timeout: float = 180) -> OnlineDeployment:
        """``ws.online_deployments.wait(name, endpoint)``."""
        return self._deployments.wait(name, endpoint, timeout)


__all__ = ["OnlineEndpointOperations"]

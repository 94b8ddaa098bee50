"""SDK for pipeline endpoints: ``ws.pipeline_endpoints.create(name=..., draft="attrition-batch")``,
``.invoke(name, parameters={"hr": "employeeattrition:2"})`` (sent with the endpoint's own key)."""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import quote

from modelyard.client._http import ApiClient
from modelyard.spec._common import validate_spec
from modelyard.spec.endpoint import EndpointKeys
from modelyard.spec.job_record import Job
from modelyard.spec.pipeline_endpoint import (
    PipelineEndpoint, PipelineEndpointCreate, PipelineEndpointVersionCreate, PipelineRunRequest,
)


class PipelineEndpointOperations:
    def __init__(self, api: Callable[[], ApiClient]) -> None:
        self._api = api

    def create(self, **fields: Any) -> PipelineEndpoint:
        """Publish a Designer draft (``draft="name[:version]"``, ``compute``, ...) as version 1 of endpoint ``name``."""
        spec = validate_spec(PipelineEndpointCreate, fields, "pipeline endpoint")
        return PipelineEndpoint.model_validate(self._api().post(
            "/api/pipeline-endpoints", json=spec.model_dump(mode="json", by_alias=True, exclude_none=True)))

    def get(self, name: str) -> PipelineEndpoint:
        return PipelineEndpoint.model_validate(self._api().get(f"/api/pipeline-endpoints/{quote(name)}"))

    def list(self) -> list[PipelineEndpoint]:
        return [PipelineEndpoint.model_validate(e) for e in self._api().get("/api/pipeline-endpoints")]

    def update(self, name: str, **change: Any) -> PipelineEndpoint:
        """``default_version=`` or ``description=``."""
        return PipelineEndpoint.model_validate(self._api().patch(f"/api/pipeline-endpoints/{quote(name)}",
                                                                 json=change))

    def delete(self, name: str) -> None:
        self._api().delete(f"/api/pipeline-endpoints/{quote(name)}")

    def add_version(self, name: str, **fields: Any) -> PipelineEndpoint:
        """Publish another draft (version) as the endpoint's next version, its default unless ``make_default=False``."""
        spec = validate_spec(PipelineEndpointVersionCreate, fields, "pipeline endpoint version")
        return PipelineEndpoint.model_validate(self._api().post(
            f"/api/pipeline-endpoints/{quote(name)}/versions", json=spec.model_dump(mode="json", exclude_none=True)))

    def get_credentials(self, name: str) -> EndpointKeys:
        return EndpointKeys.model_validate(self._api().post(f"/api/pipeline-endpoints/{quote(name)}/credentials"))

    def invoke(self, name: str, parameters: dict[str, Any] | None = None, version: int | None = None,
               experiment_name: str | None = None) -> Job:
        """Start a run (the endpoint's default version, or ``version``) with ``parameters`` (dataset node ->
        ``name:version``, pipeline parameter -> value), authenticated by the endpoint's own key as any REST client is."""
        api = self._api()
        key = self.get_credentials(name).primary_key
        body = PipelineRunRequest(parameters=parameters or {}, version=version, experiment_name=experiment_name)
        response = api.http.post(f"/api/pipeline-endpoints/{quote(name)}/runs", headers={"Authorization": f"Bearer {key}"},
                                 json=body.model_dump(mode="json", exclude_none=True))
        if response.status_code >= 400:
            raise api._error(response)
        return Job.model_validate(response.json())

from __future__ import annotations

import functools
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import PlainTextResponse

from modelyard.api._deps import context, created_or_replaced
from modelyard.services._context import ServiceContext
from modelyard.services.endpoints import EndpointService
from modelyard.spec.endpoint import (
    DataCollectionStatus, EndpointKeys, OnlineDeployment, OnlineDeploymentCreate, OnlineDeploymentUpdate, OnlineEndpoint,
    OnlineEndpointCreate, OnlineEndpointUpdate,
)

def _scoring():
    from modelyard.api._scoring import ScoringRouter

    return ScoringRouter.instance


def _changes_endpoints(handler):
    """After a write (a key, the traffic, an endpoint), the scoring route reads the endpoints again."""

    @functools.wraps(handler)
    def write(*args, **kwargs):
        try:
            return handler(*args, **kwargs)
        finally:
            if (scoring := _scoring()) is not None:
                scoring.invalidate()

    return write


router = APIRouter(prefix="/api/online-endpoints", tags=["endpoints"])


def service(request: Request, ctx: ServiceContext = Depends(context)) -> EndpointService:
    engines = getattr(request.app.state, "engines", None)
    return EndpointService(ctx, engines.supervisor.instances if engines else None)


@router.post("", operation_id="createOnlineEndpoint", response_model=OnlineEndpoint, status_code=201)
@_changes_endpoints
def create(spec: OnlineEndpointCreate, endpoints: EndpointService = Depends(service)) -> OnlineEndpoint:
    return endpoints.create(spec)


@router.get("", operation_id="listOnlineEndpoints", response_model=list[OnlineEndpoint])
def list_(endpoints: EndpointService = Depends(service)) -> list[OnlineEndpoint]:
    return endpoints.list()


@router.get("/{name}", operation_id="getOnlineEndpoint", response_model=OnlineEndpoint)
def get(name: str, endpoints: EndpointService = Depends(service)) -> OnlineEndpoint:
    return endpoints.get(name)


@router.patch("/{name}", operation_id="updateOnlineEndpoint", response_model=OnlineEndpoint)
@_changes_endpoints
def update(name: str, change: OnlineEndpointUpdate, endpoints: EndpointService = Depends(service)) -> OnlineEndpoint:
    return endpoints.update(name, change)


@router.delete("/{name}", operation_id="deleteOnlineEndpoint", status_code=204)
@_changes_endpoints
def delete(name: str, endpoints: EndpointService = Depends(service)) -> None:
    endpoints.delete(name)


@router.post("/{name}/credentials", operation_id="getEndpointCredentials", response_model=EndpointKeys)
def credentials(name: str, endpoints: EndpointService = Depends(service)) -> EndpointKeys:
    return endpoints.credentials(name)


@router.post("/{name}/regenerate-keys", operation_id="regenerateEndpointKeys", response_model=EndpointKeys)
@_changes_endpoints
def regenerate(name: str, key_type: str = "primary", endpoints: EndpointService = Depends(service)) -> EndpointKeys:
    return endpoints.regenerate_keys(name, key_type)


@router.get("/{name}/metrics", operation_id="getEndpointMetrics")
def metrics(name: str, endpoints: EndpointService = Depends(service)) -> dict[str, Any]:
    endpoints.get(name)
    router_ = _scoring()
    return router_.metrics(name) if router_ else {}


@router.get("/{name}/requests", operation_id="getEndpointRequestLog")
def requests(name: str, limit: int = 100, endpoints: EndpointService = Depends(service)) -> list[dict[str, Any]]:
    endpoints.get(name)
    router_ = _scoring()
    return router_.request_log(name, limit) if router_ else []


# Deployments: the same routes, verbs and status codes as a batch endpoint's (routes/batch_endpoints.py).
@router.post("/{name}/deployments", operation_id="createOnlineDeployment", response_model=OnlineDeployment,
             status_code=201)
@_changes_endpoints
def create_deployment(name: str, spec: OnlineDeploymentCreate,
                      endpoints: EndpointService = Depends(service)) -> OnlineDeployment:
    """Create the deployment (201); one of that name already there is a conflict (409)."""
    return endpoints.create_deployment(spec.model_copy(update={"endpoint_name": name}))


@router.get("/{name}/deployments", operation_id="listOnlineDeployments", response_model=list[OnlineDeployment])
def list_deployments(name: str, endpoints: EndpointService = Depends(service)) -> list[OnlineDeployment]:
    return endpoints.list_deployments(name)


@router.put("/{name}/deployments/{deployment}", operation_id="putOnlineDeployment", response_model=OnlineDeployment,
            responses={201: {"model": OnlineDeployment, "description": "created"}})
@_changes_endpoints
def create_or_update_deployment(name: str, deployment: str, spec: OnlineDeploymentCreate, response: Response,
                                endpoints: EndpointService = Depends(service)) -> OnlineDeployment:
    """Create the deployment (201) or replace the one of that name (200)."""
    return created_or_replaced(response, *endpoints.create_or_update_deployment(
        spec.model_copy(update={"endpoint_name": name, "name": deployment})))


@router.get("/{name}/deployments/{deployment}", operation_id="getOnlineDeployment", response_model=OnlineDeployment)
def get_deployment(name: str, deployment: str, endpoints: EndpointService = Depends(service)) -> OnlineDeployment:
    return endpoints.get_deployment(name, deployment)


@router.patch("/{name}/deployments/{deployment}", operation_id="updateOnlineDeployment",
              response_model=OnlineDeployment)
@_changes_endpoints
def update_deployment(name: str, deployment: str, change: OnlineDeploymentUpdate,
                      endpoints: EndpointService = Depends(service)) -> OnlineDeployment:
    return endpoints.update_deployment(name, deployment, change)


@router.delete("/{name}/deployments/{deployment}", operation_id="deleteOnlineDeployment", status_code=204)
@_changes_endpoints
def delete_deployment(name: str, deployment: str, endpoints: EndpointService = Depends(service)) -> None:
    endpoints.delete_deployment(name, deployment)


@router.get("/{name}/deployments/{deployment}/logs", operation_id="getOnlineDeploymentLogs",
            response_class=PlainTextResponse)
def deployment_logs(name: str, deployment: str, lines: int = 200,
                    endpoints: EndpointService = Depends(service)) -> str:
    return endpoints.deployment_logs(name, deployment, lines)


@router.get("/{name}/deployments/{deployment}/data-collection", operation_id="getOnlineDeploymentDataCollection",
            response_model=DataCollectionStatus)
def data_collection(name: str, deployment: str, ctx: ServiceContext = Depends(context)) -> DataCollectionStatus:
    from modelyard.services.data_collection import DataCollectionService

    return DataCollectionService(ctx).get(name, deployment)


@router.get("/{name}/deployments/{deployment}/data-collection/{collection}",
            operation_id="previewOnlineDeploymentCollectedData")
def collected_data(name: str, deployment: str, collection: str, rows: int = 20,
                   ctx: ServiceContext = Depends(context)) -> dict[str, Any]:
    """The last ``rows`` rows collected (for the studio), how many there are, and the files that did not read."""
    from modelyard.services.data_collection import DataCollectionService

    return DataCollectionService(ctx).preview(name, deployment, collection, rows)


prometheus = APIRouter(tags=["system"])


@prometheus.get("/metrics", operation_id="prometheusMetrics", response_class=PlainTextResponse)
def prometheus_metrics() -> str:
    router_ = _scoring()
    return router_.prometheus() if router_ else ""

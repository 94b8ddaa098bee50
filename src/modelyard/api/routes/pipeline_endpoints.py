"""Pipeline endpoints over REST. ``POST /api/pipeline-endpoints/<name>/runs`` is checked by the endpoint's
own key (``Authorization: Bearer <key>``), not the workspace token, as online endpoints' scoring is."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Header, Response

from modelyard.api._deps import context
from modelyard.services._context import ServiceContext
from modelyard.services.pipeline_endpoints import PipelineEndpointService
from modelyard.spec.endpoint import EndpointKeys
from modelyard.spec.job_record import Job
from modelyard.spec.pipeline_endpoint import (
    PipelineEndpoint, PipelineEndpointCreate, PipelineEndpointUpdate, PipelineEndpointVersionCreate, PipelineRunRequest,
)

router = APIRouter(prefix="/api/pipeline-endpoints", tags=["pipeline-endpoints"])
RUNS_PATH = r"^/api/pipeline-endpoints/[A-Za-z0-9][A-Za-z0-9_.-]*/runs$"  # the key-checked route


def service(ctx: ServiceContext = Depends(context)) -> PipelineEndpointService:
    return PipelineEndpointService(ctx)


@router.post("", operation_id="createPipelineEndpoint", response_model=PipelineEndpoint, status_code=201)
def create(spec: PipelineEndpointCreate, endpoints: PipelineEndpointService = Depends(service)) -> PipelineEndpoint:
    return endpoints.create(spec)


@router.get("", operation_id="listPipelineEndpoints", response_model=list[PipelineEndpoint])
def list_endpoints(endpoints: PipelineEndpointService = Depends(service)) -> list[PipelineEndpoint]:
    return endpoints.list()


@router.get("/{name}", operation_id="getPipelineEndpoint", response_model=PipelineEndpoint)
def get(name: str, endpoints: PipelineEndpointService = Depends(service)) -> PipelineEndpoint:
    return endpoints.get(name)


@router.patch("/{name}", operation_id="updatePipelineEndpoint", response_model=PipelineEndpoint)
def update(name: str, change: PipelineEndpointUpdate,
           endpoints: PipelineEndpointService = Depends(service)) -> PipelineEndpoint:
    return endpoints.update(name, change)


@router.delete("/{name}", operation_id="deletePipelineEndpoint", status_code=204)
def delete(name: str, endpoints: PipelineEndpointService = Depends(service)) -> Response:
    endpoints.delete(name)
    return Response(status_code=204)


@router.post("/{name}/versions", operation_id="addPipelineEndpointVersion", response_model=PipelineEndpoint,
             status_code=201)
def add_version(name: str, spec: PipelineEndpointVersionCreate,
                endpoints: PipelineEndpointService = Depends(service)) -> PipelineEndpoint:
    return endpoints.add_version(name, spec)


@router.post("/{name}/credentials", operation_id="getPipelineEndpointCredentials", response_model=EndpointKeys)
def credentials(name: str, endpoints: PipelineEndpointService = Depends(service)) -> EndpointKeys:
    return endpoints.credentials(name)


@router.post("/{name}/runs", operation_id="runPipelineEndpoint", response_model=Job, status_code=201)
def run(name: str, request: PipelineRunRequest, authorization: str = Header(""),
        endpoints: PipelineEndpointService = Depends(service)) -> Job:
    """Start a run with parameter values (dataset node -> data asset); the endpoint's key authenticates it."""
    return endpoints.invoke(name, request, authorization)

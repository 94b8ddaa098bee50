from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from modelyard.api._deps import context, created_or_replaced
from modelyard.services._context import ServiceContext
from modelyard.services.batch_endpoints import BatchEndpointService
from modelyard.spec.batch_endpoint import (
    BatchDeployment, BatchDeploymentCreate, BatchDeploymentUpdate, BatchEndpoint, BatchEndpointCreate,
    BatchEndpointUpdate, BatchInvoke,
)
from modelyard.spec.job_record import Job

router = APIRouter(prefix="/api/batch-endpoints", tags=["batch endpoints"])


def service(ctx: ServiceContext = Depends(context)) -> BatchEndpointService:
    return BatchEndpointService(ctx)


@router.post("", operation_id="createBatchEndpoint", response_model=BatchEndpoint, status_code=201)
def create(spec: BatchEndpointCreate, endpoints: BatchEndpointService = Depends(service)) -> BatchEndpoint:
    return endpoints.create(spec)


@router.get("", operation_id="listBatchEndpoints", response_model=list[BatchEndpoint])
def list_(endpoints: BatchEndpointService = Depends(service)) -> list[BatchEndpoint]:
    return endpoints.list()


@router.get("/{name}", operation_id="getBatchEndpoint", response_model=BatchEndpoint)
def get(name: str, endpoints: BatchEndpointService = Depends(service)) -> BatchEndpoint:
    return endpoints.get(name)


@router.patch("/{name}", operation_id="updateBatchEndpoint", response_model=BatchEndpoint)
def update(name: str, change: BatchEndpointUpdate, endpoints: BatchEndpointService = Depends(service)) -> BatchEndpoint:
    return endpoints.update(name, change)


@router.delete("/{name}", operation_id="deleteBatchEndpoint", status_code=204)
def delete(name: str, endpoints: BatchEndpointService = Depends(service)) -> None:
    endpoints.delete(name)


# Deployments: the same routes, verbs and status codes as an online endpoint's (routes/endpoints.py).
@router.post("/{name}/deployments", operation_id="createBatchDeployment", response_model=BatchDeployment,
             status_code=201)
def create_deployment(name: str, spec: BatchDeploymentCreate,
                      endpoints: BatchEndpointService = Depends(service)) -> BatchDeployment:
    """Create the deployment (201); one of that name already there is a conflict (409)."""
    return endpoints.create_deployment(spec.model_copy(update={"endpoint_name": name}))


@router.get("/{name}/deployments", operation_id="listBatchDeployments", response_model=list[BatchDeployment])
def list_deployments(name: str, endpoints: BatchEndpointService = Depends(service)) -> list[BatchDeployment]:
    return endpoints.list_deployments(name)


@router.put("/{name}/deployments/{deployment}", operation_id="putBatchDeployment", response_model=BatchDeployment,
            responses={201: {"model": BatchDeployment, "description": "created"}})
def create_or_update_deployment(name: str, deployment: str, spec: BatchDeploymentCreate, response: Response,
                                endpoints: BatchEndpointService = Depends(service)) -> BatchDeployment:
    """Create the deployment (201) or replace the one of that name (200)."""
    return created_or_replaced(response, *endpoints.create_or_update_deployment(
        spec.model_copy(update={"endpoint_name": name, "name": deployment})))


@router.get("/{name}/deployments/{deployment}", operation_id="getBatchDeployment", response_model=BatchDeployment)
def get_deployment(name: str, deployment: str, endpoints: BatchEndpointService = Depends(service)) -> BatchDeployment:
    return endpoints.get_deployment(name, deployment)


@router.patch("/{name}/deployments/{deployment}", operation_id="updateBatchDeployment",
              response_model=BatchDeployment)
def update_deployment(name: str, deployment: str, change: BatchDeploymentUpdate,
                      endpoints: BatchEndpointService = Depends(service)) -> BatchDeployment:
    return endpoints.update_deployment(name, deployment, change)


@router.delete("/{name}/deployments/{deployment}", operation_id="deleteBatchDeployment", status_code=204)
def delete_deployment(name: str, deployment: str, endpoints: BatchEndpointService = Depends(service)) -> None:
    endpoints.delete_deployment(name, deployment)


@router.post("/{name}/jobs", operation_id="invokeBatchEndpoint", response_model=Job, status_code=201)
def invoke(name: str, request: BatchInvoke, endpoints: BatchEndpointService = Depends(service)) -> Job:
    """Start a scoring job over the request's input with the named (or the default) deployment."""
    return endpoints.invoke(name, request)


@router.get("/{name}/jobs", operation_id="listBatchEndpointJobs", response_model=list[Job])
def list_jobs(name: str, endpoints: BatchEndpointService = Depends(service)) -> list[Job]:
    return endpoints.list_jobs(name)

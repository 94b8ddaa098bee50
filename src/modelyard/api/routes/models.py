from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from modelyard.api._deps import context, parse_version
from modelyard.api.routes.endpoints import service as endpoint_service
from modelyard.services._context import ServiceContext
from modelyard.services.endpoints import EndpointService
from modelyard.services.model_comparisons import ModelComparisonService
from modelyard.services.models import ModelService
from modelyard.spec.endpoint import OnlineDeployment
from modelyard.spec.model import Model, ModelCreate, ModelUpdate
from modelyard.spec.model_comparison import ModelComparison, ModelComparisonRequest

router = APIRouter(prefix="/api/models", tags=["models"])
VERSION = "/{name}/versions/{version}"


def service(ctx: ServiceContext = Depends(context)) -> ModelService:
    return ModelService(ctx)


def _reference(name: str, version: str) -> str:
    """``latest``, a number, or an alias (``champion``) in the version slot."""
    if version.isdigit() or version == "latest":
        parsed = parse_version(version)
        return f"{name}:{parsed}" if parsed else f"{name}@latest"
    return f"{name}@{version}"


@router.post("", operation_id="createModel", response_model=Model, status_code=201)
def create(spec: ModelCreate, models: ModelService = Depends(service)) -> Model:
    return models.create(spec)


@router.post("/compare", operation_id="compareModels", response_model=ModelComparison)
def compare(request: ModelComparisonRequest, ctx: ServiceContext = Depends(context)) -> ModelComparison:
    """Score a challenger and a champion version on held-out data; ``passed`` says if the challenger may replace it."""
    return ModelComparisonService(ctx).compare(request)


@router.get("", operation_id="listModels", response_model=list[Model])
def list_(name: str | None = None, include_archived: bool = False,
          models: ModelService = Depends(service)) -> list[Model]:
    return models.list(name, include_archived)


@router.get(VERSION, operation_id="getModel", response_model=Model)
def get(name: str, version: str, models: ModelService = Depends(service)) -> Model:
    return models.get(_reference(name, version))


@router.patch(VERSION, operation_id="updateModel", response_model=Model)
def update(name: str, version: str, change: ModelUpdate, models: ModelService = Depends(service)) -> Model:
    found = models.get(_reference(name, version))
    return models.update(found.name, found.version, change)


@router.get(VERSION + "/deployments", operation_id="listModelDeployments", response_model=list[OnlineDeployment])
def deployments(name: str, version: str, models: ModelService = Depends(service),
                endpoints: EndpointService = Depends(endpoint_service)) -> list[OnlineDeployment]:
    """The online deployments serving this model version."""
    found = models.get(_reference(name, version))
    return endpoints.model_deployments(found.name, found.version)


@router.get(VERSION + "/files", operation_id="listModelFiles")
def files(name: str, version: str, models: ModelService = Depends(service)) -> list[dict[str, Any]]:
    return models.files(_reference(name, version))


@router.get(VERSION + "/files/{file_name:path}", operation_id="downloadModelFile")
def download(name: str, version: str, file_name: str, models: ModelService = Depends(service)) -> StreamingResponse:
    handle = models.open_file(_reference(name, version), file_name)

    def chunks():
        with handle:
            while chunk := handle.read(1 << 20):
                yield chunk

    return StreamingResponse(chunks(), media_type="application/octet-stream")

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from modelyard.api._deps import context, parse_version
from modelyard.services._context import ServiceContext
from modelyard.services.data import DataAssetService
from modelyard.spec.data import DataAsset, DataAssetCreate, DataAssetUpdate, DataProfile, DataSourcePreview
from modelyard.spec.endpoint import CollectedData

router = APIRouter(prefix="/api/data", tags=["data"])
VERSION = "/{name}/versions/{version}"


@contextmanager
def bounded() -> Iterator[None]:
    """The server's time limit on the data engine's work in a request (MODELYARD_DATA_TIME_LIMIT)."""
    from modelyard.data import time_limit

    with time_limit():
        yield


def service(ctx: ServiceContext = Depends(context)) -> DataAssetService:
    return DataAssetService(ctx)


@router.post("", operation_id="createDataAsset", response_model=DataAsset, status_code=201)
def create(spec: DataAssetCreate, data: DataAssetService = Depends(service)) -> DataAsset:
    with bounded():
        return data.create(spec)


@router.post("/preview", operation_id="previewDataSource")
def preview_source(request: DataSourcePreview, data: DataAssetService = Depends(service)) -> dict[str, Any]:
    """Schema and first rows of an unregistered source with the given parse settings (nothing is stored)."""
    with bounded():
        return data.preview_source(request)


@router.get("", operation_id="listDataAssets", response_model=list[DataAsset])
def list_(name: str | None = None, include_archived: bool = False,
          data: DataAssetService = Depends(service)) -> list[DataAsset]:
    return data.list(name, include_archived)


@router.get("/collected", operation_id="listCollectedData", response_model=list[CollectedData])
def list_collected(ctx: ServiceContext = Depends(context)) -> list[CollectedData]:
    """What online deployments collected (``<endpoint>-<deployment>-model_inputs``): rows and time range."""
    from modelyard.services.data_collection import DataCollectionService

    return DataCollectionService(ctx).list()


@router.get("/collected/{name}", operation_id="getCollectedData", response_model=CollectedData)
def get_collected(name: str, ctx: ServiceContext = Depends(context)) -> CollectedData:
    from modelyard.services.data_collection import DataCollectionService

    return DataCollectionService(ctx).get_named(name)


@router.get(VERSION, operation_id="getDataAsset", response_model=DataAsset)
def get(name: str, version: str, data: DataAssetService = Depends(service)) -> DataAsset:
    return data.get(name, parse_version(version))


@router.patch(VERSION, operation_id="updateDataAsset", response_model=DataAsset)
def update(name: str, version: str, change: DataAssetUpdate, data: DataAssetService = Depends(service)) -> DataAsset:
    return data.update(name, data.get(name, parse_version(version)).version, change)


@router.get(VERSION + "/profile", operation_id="getDataProfile", response_model=DataProfile)
def profile(name: str, version: str, data: DataAssetService = Depends(service)) -> DataProfile:
    with bounded():
        return data.profile(name, parse_version(version))


@router.post(VERSION + "/profile", operation_id="computeDataProfile", response_model=DataProfile)
def compute_profile(name: str, version: str, data: DataAssetService = Depends(service)) -> DataProfile:
    with bounded():
        return data.profile(name, parse_version(version), recompute=True)


@router.get(VERSION + "/preview", operation_id="previewDataAsset")
def preview(name: str, version: str, rows: int = Query(20), data: DataAssetService = Depends(service)) -> dict[str, Any]:
    with bounded():
        return data.preview(name, parse_version(version), rows)


@router.get(VERSION + "/files", operation_id="listDataFiles")
def files(name: str, version: str, data: DataAssetService = Depends(service)) -> list[dict[str, Any]]:
    return data.files(name, parse_version(version))


@router.get(VERSION + "/files/{file_name:path}", operation_id="downloadDataFile")
def download(name: str, version: str, file_name: str, data: DataAssetService = Depends(service)) -> StreamingResponse:
    handle = data.open_file(name, parse_version(version), file_name)

    def chunks():
        with handle:
            while chunk := handle.read(1 << 20):
                yield chunk

    return StreamingResponse(chunks(), media_type="application/octet-stream")

from __future__ import annotations

from fastapi import APIRouter, Body, Depends

from modelyard.api._deps import context
from modelyard.services._context import ServiceContext
from modelyard.services.datastores import DatastoreService
from modelyard.spec.datastore import Datastore, DatastoreCreate

router = APIRouter(prefix="/api/datastores", tags=["datastores"])


def service(ctx: ServiceContext = Depends(context)) -> DatastoreService:
    return DatastoreService(ctx)


@router.post("", operation_id="createDatastore", response_model=Datastore, status_code=201)
def create(spec: DatastoreCreate = Body(...), datastores: DatastoreService = Depends(service)) -> Datastore:
    return datastores.create(spec)


@router.get("", operation_id="listDatastores", response_model=list[Datastore])
def list_(datastores: DatastoreService = Depends(service)) -> list[Datastore]:
    return datastores.list()


@router.get("/{name}", operation_id="getDatastore", response_model=Datastore)
def get(name: str, datastores: DatastoreService = Depends(service)) -> Datastore:
    return datastores.get(name)


@router.delete("/{name}", operation_id="deleteDatastore", status_code=204)
def delete(name: str, datastores: DatastoreService = Depends(service)) -> None:
    datastores.delete(name)

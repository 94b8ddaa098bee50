from __future__ import annotations

from fastapi import APIRouter, Body, Depends

from modelyard.api._deps import context
from modelyard.services._context import ServiceContext
from modelyard.services.compute import ComputeService
from modelyard.spec.compute import Compute, ComputeCreate, ComputeUpdate

router = APIRouter(prefix="/api/compute", tags=["compute"])


def service(ctx: ServiceContext = Depends(context)) -> ComputeService:
    return ComputeService(ctx)


@router.post("", operation_id="createCompute", response_model=Compute, status_code=201)
def create(spec: ComputeCreate = Body(...), computes: ComputeService = Depends(service)) -> Compute:
    return computes.create(spec)


@router.get("", operation_id="listCompute", response_model=list[Compute])
def list_(computes: ComputeService = Depends(service)) -> list[Compute]:
    return computes.list()


@router.get("/{name}", operation_id="getCompute", response_model=Compute)
def get(name: str, computes: ComputeService = Depends(service)) -> Compute:
    return computes.get(name)


@router.patch("/{name}", operation_id="updateCompute", response_model=Compute)
def update(name: str, change: ComputeUpdate, computes: ComputeService = Depends(service)) -> Compute:
    return computes.update(name, change)


@router.delete("/{name}", operation_id="deleteCompute", status_code=204)
def delete(name: str, computes: ComputeService = Depends(service)) -> None:
    computes.delete(name)


@router.post("/{name}/start", operation_id="startCompute", response_model=Compute)
def start(name: str, computes: ComputeService = Depends(service)) -> Compute:
    return computes.set_running(name, True)


@router.post("/{name}/stop", operation_id="stopCompute", response_model=Compute)
def stop(name: str, computes: ComputeService = Depends(service)) -> Compute:
    return computes.set_running(name, False)

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import PlainTextResponse

from modelyard.api._deps import context, parse_version
from modelyard.services._context import ServiceContext
from modelyard.services.environments import EnvironmentService
from modelyard.spec.environment import Environment, EnvironmentCreate, EnvironmentUpdate

router = APIRouter(prefix="/api/environments", tags=["environments"])
VERSION = "/{name}/versions/{version}"


def service(ctx: ServiceContext = Depends(context)) -> EnvironmentService:
    return EnvironmentService(ctx)


def _reference(name: str, version: str) -> str:
    parsed = parse_version(version)
    return f"{name}:{parsed}" if parsed else f"{name}@latest"


@router.post("", operation_id="createEnvironment", response_model=Environment, status_code=201)
def create(spec: EnvironmentCreate, environments: EnvironmentService = Depends(service)) -> Environment:
    """A new immutable version; its build job is queued at once."""
    return environments.create(spec)


@router.get("", operation_id="listEnvironments", response_model=list[Environment])
def list_(name: str | None = None, include_archived: bool = False,
          environments: EnvironmentService = Depends(service)) -> list[Environment]:
    return environments.list(name, include_archived)


@router.get(VERSION, operation_id="getEnvironment", response_model=Environment)
def get(name: str, version: str, environments: EnvironmentService = Depends(service)) -> Environment:
    return environments.get(_reference(name, version))


@router.get(VERSION + "/log", operation_id="getEnvironmentBuildLog", response_class=PlainTextResponse)
def build_log(name: str, version: str, environments: EnvironmentService = Depends(service)) -> str:
    return environments.build_log(_reference(name, version))


@router.patch(VERSION, operation_id="updateEnvironment", response_model=Environment)
def update(name: str, version: str, change: EnvironmentUpdate,
           environments: EnvironmentService = Depends(service)) -> Environment:
    """Archive (or restore) a version; its content never changes."""
    return environments.update(_reference(name, version), change)

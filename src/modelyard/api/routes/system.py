from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from fastapi import APIRouter, Depends, UploadFile

from modelyard import __version__
from modelyard.api._deps import context
from modelyard.errors import InvalidInput
from modelyard.services._context import ServiceContext
from modelyard.spec.workspace import WorkspaceInfo

router = APIRouter()


@router.get("/health", operation_id="health", tags=["system"])
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


@router.get("/api/workspace", operation_id="getWorkspace", response_model=WorkspaceInfo, tags=["workspace"])
def workspace(ctx: ServiceContext = Depends(context)) -> WorkspaceInfo:
    location = ctx.location
    return WorkspaceInfo(name=location.config.name, path=str(location.root), database=_safe(location.database_url),
                         artifact_root=location.artifact_root, version=__version__)


@router.post("/api/uploads", operation_id="uploadFile", tags=["data"], status_code=201)
def upload(file: UploadFile, ctx: ServiceContext = Depends(context)) -> dict[str, str]:
    """Store an uploaded file on the server; its returned ``path`` can be used to create data assets."""
    name = Path(file.filename or "").name
    if not name or name.startswith("."):
        raise InvalidInput(f"upload needs a file name, got {file.filename!r}")
    folder = ctx.location.folder / "uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    staging = folder / f".{name}.part"
    with staging.open("wb") as out:
        shutil.copyfileobj(file.file, out, 1 << 20)
    staging.rename(folder / name)
    return {"path": str(folder / name)}


def _safe(url: str) -> str:
    from modelyard.services.datastores import redact_url

    return redact_url(url)

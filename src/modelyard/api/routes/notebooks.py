from __future__ import annotations

from fastapi import APIRouter, Depends, UploadFile
from fastapi.responses import FileResponse

from modelyard.api._deps import context
from modelyard.services._context import ServiceContext
from modelyard.services.notebook_files import NotebookFiles
from modelyard.spec.notebook import NotebookFile

router = APIRouter(prefix="/api/notebooks", tags=["notebooks"])


def service(ctx: ServiceContext = Depends(context)) -> NotebookFiles:
    return NotebookFiles(ctx)


@router.get("", operation_id="listNotebookFiles", response_model=list[NotebookFile])
def list_(files: NotebookFiles = Depends(service)) -> list[NotebookFile]:
    return files.list()


@router.get("/{path:path}", operation_id="downloadNotebookFile")
def download(path: str, files: NotebookFiles = Depends(service)) -> FileResponse:
    target = files.get(path)
    return FileResponse(target, filename=target.name, media_type="application/octet-stream")


@router.put("/{path:path}", operation_id="uploadNotebookFile", response_model=NotebookFile, status_code=201)
def upload(path: str, file: UploadFile, files: NotebookFiles = Depends(service)) -> NotebookFile:
    return files.upload(path, file.file)

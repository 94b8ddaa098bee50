"""Designer drafts over REST: saved, versioned pipeline graphs of built-in modules, and their validation.
A graph that breaks a rule answers 400 with ``problems`` (rule, where, message, node) beside ``detail``."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Response

from modelyard.api._deps import context
from modelyard.services._context import ServiceContext
from modelyard.services.designer_drafts import DesignerDraftService
from modelyard.services.designer_inference import DesignerInferenceService
from modelyard.services.designer_ports import MAX_ROWS, DesignerPortService
from modelyard.spec.data import DataProfile
from modelyard.spec.designer import DraftGraph
from modelyard.spec.designer_draft import (
    DesignerDraft, DesignerDraftCreate, DraftImport, DraftModelRegister, DraftRename, DraftSubmit, DraftValidation,
    InferencePipelineCreate, PipelineParameterPromote,
)
from modelyard.spec.job_record import Job
from modelyard.spec.model import Model

router = APIRouter(tags=["designer"])


def service(ctx: ServiceContext = Depends(context)) -> DesignerDraftService:
    return DesignerDraftService(ctx)


@router.post("/api/designer-drafts", operation_id="createDesignerDraft", response_model=DesignerDraft,
             status_code=201)
def create(spec: DesignerDraftCreate, drafts: DesignerDraftService = Depends(service)) -> DesignerDraft:
    return drafts.create(spec)


@router.post("/api/designer-drafts/validate", operation_id="validateDesignerGraph", response_model=DraftValidation)
def validate(graph: DraftGraph, drafts: DesignerDraftService = Depends(service)) -> DraftValidation:
    """Check a graph without saving it (the canvas asks as it is edited): every problem, 200 either way."""
    return drafts.validate(graph)


@router.post("/api/designer-drafts/inference", operation_id="createInferencePipeline", response_model=DesignerDraft,
             status_code=201)
def create_inference(request: InferencePipelineCreate, ctx: ServiceContext = Depends(context)) -> DesignerDraft:
    """Azure's "Create inference pipeline": a real-time or batch draft from a completed training run."""
    return DesignerInferenceService(ctx).create(request)


@router.post("/api/designer-drafts/import", operation_id="importDesignerDraft", response_model=DesignerDraft,
             status_code=201)
def import_document(request: DraftImport, drafts: DesignerDraftService = Depends(service)) -> DesignerDraft:
    """A pipeline YAML document of built-in modules saved as a draft's next version (graph rules apply)."""
    return drafts.import_document(request)


@router.get("/api/designer-drafts", operation_id="listDesignerDrafts", response_model=list[DesignerDraft])
def list_drafts(name: str | None = None, drafts: DesignerDraftService = Depends(service)) -> list[DesignerDraft]:
    return drafts.list(name)


@router.get("/api/designer-drafts/{name}", operation_id="getDesignerDraft", response_model=DesignerDraft)
def get_latest(name: str, drafts: DesignerDraftService = Depends(service)) -> DesignerDraft:
    return drafts.get(name)


@router.patch("/api/designer-drafts/{name}", operation_id="renameDesignerDraft", response_model=DesignerDraft)
def rename(name: str, request: DraftRename, drafts: DesignerDraftService = Depends(service)) -> DesignerDraft:
    """Rename a draft: every version moves to the new name."""
    return drafts.rename(name, request.name)


@router.delete("/api/designer-drafts/{name}", operation_id="deleteDesignerDraft", status_code=204)
def delete_draft(name: str, drafts: DesignerDraftService = Depends(service)) -> Response:
    """Delete a draft with every one of its versions."""
    drafts.delete_all(name)
    return Response(status_code=204)


@router.get("/api/designer-drafts/{name}/versions/{version}", operation_id="getDesignerDraftVersion",
            response_model=DesignerDraft)
def get_version(name: str, version: int, drafts: DesignerDraftService = Depends(service)) -> DesignerDraft:
    return drafts.get(name, version)


@router.delete("/api/designer-drafts/{name}/versions/{version}", operation_id="deleteDesignerDraftVersion",
               status_code=204)
def delete(name: str, version: int, drafts: DesignerDraftService = Depends(service)) -> Response:
    drafts.delete(name, version)
    return Response(status_code=204)


@router.post("/api/designer-drafts/{name}/jobs", operation_id="submitDesignerDraft", response_model=Job,
             status_code=201)
def submit(name: str, request: DraftSubmit, drafts: DesignerDraftService = Depends(service)) -> Job:
    """Run the draft as a pipeline job; unchanged steps of earlier runs are reused."""
    return drafts.submit(name, request)


@router.get("/api/designer-drafts/{name}/pipeline-document", operation_id="exportDesignerDraft")
def export(name: str, version: int | None = Query(None, ge=1),
           format: Literal["json", "yaml"] = Query("json", description="yaml: the file `designer export` writes"),
           drafts: DesignerDraftService = Depends(service)) -> Any:
    """The draft as an Azure-v2-style pipeline document, runnable by `modelyard job create -f`."""
    if format == "json":
        return drafts.export(name, version)
    return Response(drafts.export_yaml(name, version), media_type="application/yaml",
                    headers={"Content-Disposition": f'attachment; filename="{name}.yml"'})


@router.post("/api/designer-drafts/{name}/pipeline-parameters", operation_id="promoteDesignerParameter",
             response_model=DesignerDraft, status_code=201)
def promote_parameter(name: str, request: PipelineParameterPromote,
                      drafts: DesignerDraftService = Depends(service)) -> DesignerDraft:
    """Azure's "set as pipeline parameter": saves the draft's next version with the node's parameter bound."""
    return drafts.promote_parameter(name, request)


@router.get("/api/designer-drafts/{name}/jobs", operation_id="listDesignerDraftRuns", response_model=list[Job])
def runs(name: str, drafts: DesignerDraftService = Depends(service)) -> list[Job]:
    """The draft's run history: the pipeline jobs that ran any of its versions, newest first."""
    return drafts.runs(name)


@router.post("/api/designer-drafts/{name}/models", operation_id="registerDesignerDraftModel", response_model=Model,
             status_code=201)
def register_model(name: str, request: DraftModelRegister, ctx: ServiceContext = Depends(context)) -> Model:
    """A real-time inference draft registered as one MLflow model, deployable to an online endpoint."""
    return DesignerInferenceService(ctx).register_model(name, request)


@router.get("/api/jobs/{name}/designer-ports/{port}", operation_id="readDesignerPort")
def read_port(name: str, port: str, offset: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=MAX_ROWS),
              ctx: ServiceContext = Depends(context)) -> dict[str, Any]:
    """An output port of a Designer step job: a dataset as a page of rows, other ports as their JSON."""
    return DesignerPortService(ctx).read(name, port, offset, limit)


@router.get("/api/jobs/{name}/designer-ports/{port}/profile", operation_id="profileDesignerPort",
            response_model=DataProfile)
def profile_port(name: str, port: str, ctx: ServiceContext = Depends(context)) -> DataProfile:
    """The column profile of a Designer step's dataset port, as a data asset's profile."""
    return DesignerPortService(ctx).profile(name, port)

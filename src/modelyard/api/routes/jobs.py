from __future__ import annotations

import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse, StreamingResponse

from modelyard.api._deps import context
from modelyard.errors import InvalidInput
from modelyard.services._context import ServiceContext
from modelyard.services.components import ComponentService
from modelyard.services.jobs import JobService, automl_options, snapshot_key
from modelyard.spec.automl import AutoMLOptions
from modelyard.spec.automl_progress import AutoMLProgress
from modelyard.spec.component import Component, ComponentCreate
from modelyard.spec.job import Experiment, JobFilter, JobUpdate, LogChunk, MetricPoint, OutputFile, RunArtifact
from modelyard.spec.job_record import Job
from modelyard.spec.job_create import JobCreate

router = APIRouter(tags=["jobs"])
TOTAL_COUNT = "X-Total-Count"


def service(ctx: ServiceContext = Depends(context)) -> JobService:
    return JobService(ctx)


@router.post("/api/snapshots", operation_id="uploadSnapshot", status_code=201)
def upload_snapshot(file: UploadFile, ctx: ServiceContext = Depends(context)) -> dict[str, str]:
    """Store a code or input snapshot (tar.gz); its id is the sha256 of its bytes."""
    content = file.file.read()
    digest = hashlib.sha256(content).hexdigest()
    if file.filename and file.filename.removesuffix(".tar.gz") not in (digest, file.filename):
        raise InvalidInput(f"snapshot {file.filename} does not match its content (sha256 {digest[:12]}…)")
    import io
    import tarfile

    try:
        with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as archive:
            archive.getmembers()
    except (tarfile.TarError, OSError, EOFError):
        raise InvalidInput("snapshot is not a tar.gz archive") from None
    key = snapshot_key(digest)
    if not ctx.artifacts.exists(key):
        ctx.artifacts.put_stream(io.BytesIO(content), key)
    return {"id": f"snapshot:{digest}"}


@router.post("/api/jobs", operation_id="createJob", response_model=Job, status_code=201)
def create(document: Annotated[JobCreate, Body()], jobs: JobService = Depends(service)) -> Job:
    """Submit a job of any type (``command``, ``pipeline``, ``automl``), told apart by its ``type`` field."""
    return jobs.create(document)


@router.get("/api/jobs", operation_id="listJobs", response_model=list[Job],
            responses={200: {"headers": {TOTAL_COUNT: {"description": "jobs matching the filter, all pages",
                                                       "schema": {"type": "integer"}}}}})
def list_(response: Response, status: str | None = None, experiment_name: str | None = None,
          parent: str | None = None, search: str | None = None, include_archived: bool = False,
          limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0),
          jobs: JobService = Depends(service)) -> list[Job]:
    """One page of jobs, newest first (children oldest first); the header X-Total-Count counts every page."""
    from modelyard.spec._common import validate_spec

    where = validate_spec(JobFilter, dict(status=status, experiment_name=experiment_name, parent=parent,
                                          search=search, include_archived=include_archived, limit=limit,
                                          offset=offset), "job filter")
    response.headers[TOTAL_COUNT] = str(jobs.count(where))
    return jobs.list(where)


@router.get("/api/experiments", operation_id="listExperiments", response_model=list[Experiment])
def experiments(jobs: JobService = Depends(service)) -> list[Experiment]:
    return jobs.experiments()


@router.get("/api/jobs/{name}", operation_id="getJob", response_model=Job)
def get(name: str, jobs: JobService = Depends(service)) -> Job:
    return jobs.get(name)


@router.get("/api/jobs/{name}/children", operation_id="listChildJobs", response_model=list[Job])
def children(name: str, metrics: bool = Query(False, description="include each child's latest metrics"),
             jobs: JobService = Depends(service)) -> list[Job]:
    return jobs.children(name, with_metrics=metrics)


@router.get("/api/jobs/{name}/artifacts", operation_id="listJobArtifacts", response_model=list[RunArtifact])
def artifacts(name: str, jobs: JobService = Depends(service)) -> list[dict[str, Any]]:
    """The files the job's MLflow run logged (``charts.json``, summaries, ``model/...``), sorted by path."""
    return jobs.artifacts(name)


@router.get("/api/jobs/{name}/artifacts/{path:path}", operation_id="downloadJobArtifact")
def artifact(name: str, path: str, jobs: JobService = Depends(service)) -> FileResponse:
    import mimetypes
    import shutil
    import tempfile
    from pathlib import Path

    from starlette.background import BackgroundTask

    folder = Path(tempfile.mkdtemp(prefix="modelyard-artifact-"))
    try:
        local = jobs.download_artifact(name, path, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(local, media_type=mimetypes.guess_type(path)[0] or "application/octet-stream",
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


@router.get("/api/automl/options", operation_id="getAutoMLOptions", tags=["automl"],
            response_model=AutoMLOptions)
def get_automl_options() -> AutoMLOptions:
    """What an AutoML job may choose, per task: primary metrics (and the default), algorithms; column purposes."""
    return automl_options()


@router.get("/api/jobs/{name}/automl", operation_id="getAutoMLProgress", response_model=AutoMLProgress,
            tags=["automl"])
def automl_progress(name: str, jobs: JobService = Depends(service)) -> AutoMLProgress:
    """An AutoML job's progress as it runs and its results once it ended (the same values as its properties)."""
    return jobs.automl_progress(name)


@router.patch("/api/jobs/{name}", operation_id="updateJob", response_model=Job)
def update(name: str, change: JobUpdate, jobs: JobService = Depends(service)) -> Job:
    return jobs.update(name, change)


@router.post("/api/jobs/{name}/cancel", operation_id="cancelJob", response_model=Job)
def cancel(name: str, jobs: JobService = Depends(service)) -> Job:
    return jobs.cancel(name)


@router.post("/api/jobs/{name}/refit", operation_id="refitTrialModel", response_model=Job)
def refit(name: str, jobs: JobService = Depends(service)) -> Job:
    """Refit an AutoML trial's model on all training rows; the returned job's ``properties.model_uri`` is
    the model once it is Completed: the trial itself when it has one (the best trial), else a refit job."""
    return jobs.refit(name)


@router.get("/api/jobs/{name}/logs", operation_id="getJobLogs", response_model=LogChunk)
def logs(name: str, offset: int = Query(0, ge=0), jobs: JobService = Depends(service)) -> dict[str, Any]:
    return jobs.logs(name, offset)


@router.get("/api/jobs/{name}/metrics", operation_id="getJobMetricHistory",
            response_model=dict[str, list[MetricPoint]])
def metric_history(name: str, jobs: JobService = Depends(service)) -> dict[str, list[dict[str, Any]]]:
    """Every logged value of every metric of the job's run, by metric name."""
    return jobs.metric_history(name)


@router.get("/api/jobs/{name}/outputs/{output}", operation_id="listJobOutputFiles", response_model=list[OutputFile])
def output_files(name: str, output: str, jobs: JobService = Depends(service)) -> list[dict[str, Any]]:
    return [{"name": f["name"]} for f in jobs.output_files(name, output)]


@router.get("/api/jobs/{name}/outputs/{output}/files/{file_name:path}", operation_id="downloadJobOutputFile")
def output_file(name: str, output: str, file_name: str, request: Request,
                jobs: JobService = Depends(service)) -> StreamingResponse:
    from modelyard.errors import NotFound

    matches = [f for f in jobs.output_files(name, output) if f["name"] == file_name]
    if not matches:
        raise NotFound(f"output '{output}' of job '{name}' has no file {file_name!r}")
    handle = jobs.context.artifacts.open(matches[0]["key"])

    def chunks():
        with handle:
            while chunk := handle.read(1 << 20):
                yield chunk

    return StreamingResponse(chunks(), media_type="application/octet-stream")


@router.post("/api/components", operation_id="createComponent", response_model=Component, status_code=201,
             tags=["components"])
def create_component(spec: ComponentCreate, ctx: ServiceContext = Depends(context)) -> Component:
    return ComponentService(ctx).create(spec)


@router.get("/api/components", operation_id="listComponents", response_model=list[Component], tags=["components"])
def list_components(name: str | None = None, builtin: bool = Query(
        False, description="the Designer's built-in modules (read-only, in every workspace) instead of the "
        "registered components"), ctx: ServiceContext = Depends(context)) -> list[Component]:
    components = ComponentService(ctx)
    if builtin:
        return [c for c in components.builtin() if name in (None, c.name)]
    return components.list(name)


@router.get("/api/components/{reference:path}", operation_id="getComponent", response_model=Component,
            tags=["components"])
def get_component(reference: str, ctx: ServiceContext = Depends(context)) -> Component:
    return ComponentService(ctx).get(reference)


@router.delete("/api/components/{reference:path}", operation_id="deleteComponent", status_code=204,
               tags=["components"])
def delete_component(reference: str, ctx: ServiceContext = Depends(context)) -> Response:
    ComponentService(ctx).delete(reference)
    return Response(status_code=204)

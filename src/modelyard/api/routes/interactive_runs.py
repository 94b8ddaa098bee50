from __future__ import annotations

from fastapi import APIRouter, Depends

from modelyard.api._deps import context
from modelyard.services._context import ServiceContext
from modelyard.services.interactive_runs import InteractiveRunService
from modelyard.spec.job import InteractiveRunCreate, InteractiveRunEnd
from modelyard.spec.job_record import Job

router = APIRouter(tags=["jobs"])


def service(ctx: ServiceContext = Depends(context)) -> InteractiveRunService:
    return InteractiveRunService(ctx)


@router.post("/api/interactive-runs", operation_id="createInteractiveRun", response_model=Job, status_code=201)
def create(spec: InteractiveRunCreate, runs: InteractiveRunService = Depends(service)) -> Job:
    """A run logged from a notebook or a script (v1's ``experiment.start_logging()``): a Running job of type
    ``interactive`` whose ``mlflow_run_id`` receives the metrics."""
    return runs.create(spec)


@router.post("/api/interactive-runs/{name}/end", operation_id="endInteractiveRun", response_model=Job)
def end(name: str, change: InteractiveRunEnd, runs: InteractiveRunService = Depends(service)) -> Job:
    """End an interactive run: Completed (v1's ``run.complete()``), Failed or Canceled."""
    return runs.end(name, change)

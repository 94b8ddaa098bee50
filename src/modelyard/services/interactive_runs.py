"""Interactive runs: a run logged from a notebook kernel or a script, outside any job (Azure ML v1's
``experiment.start_logging()``), is a job of type ``interactive`` as in Azure, so it lists with the jobs
and its page shows the metrics its MLflow run receives. It is Running from the start (no runner claims it)
until the code that logs it ends it; canceling it ends it at once.

A compute instance's kernel may also log with plain MLflow (``mlflow.start_run()``, ``with mlflow.start_run():``,
autolog): MLflow tags those runs with their instance (``MLFLOW_RUN_CONTEXT`` in the kernel's environment), and
the notebook supervisor adopts them as interactive jobs that end when their MLflow run ends, and that began and
ended when their MLflow run did. An instance that stops, goes idle or crashes ends the runs its kernels left open,
and so does the workspace server's stop, or its death (the next server ends them as it starts)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modelyard.errors import Conflict, InvalidInput, NotFound
from modelyard.services._context import ServiceContext
from modelyard.services._names import job_name
from modelyard.services._tracking import MLFLOW_STATUS, end_run, start_run, tracking_client
from modelyard.services.job_lifecycle import finish, locked, new_job, start
from modelyard.services.jobs import DEFAULT_EXPERIMENT, JobService
from modelyard.spec.job import InteractiveRunCreate, InteractiveRunEnd, InteractiveRunJob
from modelyard.spec.job_record import Job
from modelyard.spec.job_status import TERMINAL, JobStatus
from modelyard.store import JobRow
from modelyard.store._tables import utcnow

INTERACTIVE = "interactive"
KERNEL_TAG = "modelyard.kernel"  # on a run a kernel started with plain MLflow, until it is adopted as a job
ADOPTED = "mlflow_run"  # the spec field of an adopted run's job: its MLflow run, which it ends with
JOB_STATUS = {mlflow: status for status, mlflow in MLFLOW_STATUS.items()}


def kernel_run_context(instance: str) -> dict[str, str]:
    """The environment that makes MLflow tag every run a kernel of ``instance`` starts (its system
    environment context provider reads ``MLFLOW_RUN_CONTEXT``)."""
    return {"MLFLOW_RUN_CONTEXT": json.dumps({KERNEL_TAG: instance})}


class InteractiveRunService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.jobs = JobService(context)

    def create(self, spec: InteractiveRunCreate) -> Job:
        """A Running job with a new MLflow run in its experiment; log into that run (``mlflow_run_id``)."""
        self.jobs.check_new_name(spec.name)
        if spec.compute:
            try:
                self.jobs.computes.get_row(spec.compute)
            except NotFound:
                raise InvalidInput(f"compute: '{spec.compute}' does not exist; name the compute instance whose "
                                   "kernel logs the run, or leave compute out") from None
        row = new_job(name=spec.name or job_name(), type=INTERACTIVE, display_name=spec.display_name,
                      description=spec.description, experiment_name=spec.experiment_name or DEFAULT_EXPERIMENT,
                      compute=spec.compute, tags=spec.tags, parent=None, step=None,
                      spec=InteractiveRunJob(**spec.model_dump()).model_dump(mode="json"))
        row.mlflow_run_id = start_run(self.context.location, row, None)
        start(row)
        with self.context.session() as session:
            session.add(row)
        return self.jobs.get(row.name)

    def end(self, name: str, change: InteractiveRunEnd) -> Job:
        """Completed, Failed or Canceled, as the code that logs it says; its MLflow run ends the same way."""
        with self.context.session() as session:
            row = locked(session, name)
            if row is None:
                raise NotFound(f"job '{name}' not found; 'modelyard job list' shows the jobs")
            if row.type != INTERACTIVE:
                raise InvalidInput(f"job '{name}' is a {row.type} job: it ends when its work ends "
                                   f"('modelyard job cancel {name}' stops it)")
            if row.status in TERMINAL:
                raise Conflict(f"job '{name}' has already ended ({row.status})")
            finish(row, change.status, error=change.error)
            run_id = row.mlflow_run_id
        end_run(self.context.location, run_id, change.status)
        return self.jobs.get(name)

    # -- runs of a compute instance's kernels ------------------------------------------------------
    def adopt_kernel_runs(self, instance: str) -> None:
        """The MLflow runs ``instance``'s kernels started with plain MLflow become interactive jobs (ended
        already when their run has ended); each is adopted once, however often this runs."""
        client = tracking_client(self.context.location)
        experiments = {e.experiment_id: e.name for e in client.search_experiments()}
        if not experiments:
            return
        for run in client.search_runs(list(experiments), f"tags.`{KERNEL_TAG}` = '{instance}'"):
            job = self._adopt(run, experiments[run.info.experiment_id], instance)
            client.set_tag(run.info.run_id, "modelyard.job", job)
            client.set_tag(run.info.run_id, "modelyard.compute", instance)
            client.delete_tag(run.info.run_id, KERNEL_TAG)

    def _adopt(self, run: Any, experiment: str, instance: str) -> str:
        run_id = run.info.run_id
        with self.context.session() as session:
            adopted = session.scalar(select(JobRow.name).where(JobRow.mlflow_run_id == run_id))
            if adopted is not None:  # a previous pass adopted it and stopped before untagging it
                return adopted
            tags = {k: v for k, v in run.data.tags.items() if not k.startswith(("mlflow.", "modelyard."))}
            began = _mlflow_time(run.info.start_time) or utcnow()
            row = new_job(name=job_name(), type=INTERACTIVE, display_name=run.info.run_name, description=None,
                          experiment_name=experiment, compute=instance, tags=tags, parent=None, step=None,
                          spec=InteractiveRunJob(experiment_name=experiment, compute=instance, mlflow_run=run_id)
                          .model_dump(mode="json"), created_at=began)
            row.mlflow_run_id = run_id
            start(row, at=began)
            self._end_with_run(row, run.info)
            session.add(row)
            return row.name

    def follow_kernel_runs(self, instance: str) -> None:
        """Adopt ``instance``'s new kernel runs; the adopted jobs whose MLflow run ended end the same way."""
        self.adopt_kernel_runs(instance)
        client = tracking_client(self.context.location)
        with self.context.session() as session:
            for row in self._open_runs(session, instance):
                if (row.spec or {}).get(ADOPTED):
                    self._end_with_run(row, client.get_run(row.mlflow_run_id).info)

    @staticmethod
    def _end_with_run(row: JobRow, run: Any) -> None:
        """End ``row`` as its MLflow run (``run``: its info) ended, and when; not while that run goes on."""
        status = JOB_STATUS.get(run.status)
        if status is not None:
            finish(row, status, at=_mlflow_time(run.end_time),
                   error=f"its MLflow run ended {run.status}" if status != JobStatus.COMPLETED else None)

    def end_runs_on(self, instance: str, status: JobStatus, why: str) -> None:
        """``instance``'s JupyterLab ended (stopped, idle or crashed) and its kernels with it: the interactive
        runs they had open end ``status`` saying ``why``, and so do their MLflow runs."""
        self.adopt_kernel_runs(instance)
        with self.context.session() as session:
            ended = [row.mlflow_run_id for row in self._open_runs(session, instance)
                     if finish(row, status, error=why)]
        for run_id in ended:
            end_run(self.context.location, run_id, status)

    @staticmethod
    def _open_runs(session: Session, instance: str) -> list[JobRow]:
        return list(session.scalars(select(JobRow).where(JobRow.compute == instance, JobRow.type == INTERACTIVE,
                                                         JobRow.status.not_in(tuple(TERMINAL)))))


def _mlflow_time(milliseconds: int | None) -> datetime | None:
    """A time as MLflow records it (milliseconds since the epoch); None (then: now) when it has none."""
    return datetime.fromtimestamp(milliseconds / 1000, timezone.utc) if milliseconds else None

"""Jobs: submitted units of work, their lifecycle, logs and outputs. Every rule about jobs lives here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, or_, select

from modelyard._snapshot import PREFIX as SNAPSHOT_PREFIX
from modelyard.errors import Conflict, InvalidInput, NotFound
from modelyard.services._automl_refit import refit_trial
from modelyard.services._context import ServiceContext
from modelyard.services._names import job_name
from modelyard.services._pipelines import create_pipeline
from modelyard.services._tracking import tracking_client
from modelyard.services.compute import ComputeService, as_utc
from modelyard.services.data import DataAssetService
from modelyard.services.environments import EnvironmentService
from modelyard.services.job_lifecycle import cancel, locked, new_job, queue
from modelyard.spec._common import AssetRef, validate_spec
from modelyard.spec.automl import (
    CLASSIFICATION_METRICS, MIN_TIMEOUT_MINUTES, REGRESSION_METRICS, AutoMLJob, AutoMLOptions, ColumnPurpose,
    TaskOptions,
)
from modelyard.spec.automl_progress import AutoMLProgress
from modelyard.spec.compute import LOCAL_COMPUTE
from modelyard.spec.job import DATA_PREFIXES, CommandJob, DataInput, Experiment, JobFilter, JobUpdate, PipelineJob
from modelyard.spec.job_record import Job
from modelyard.spec.job_create import JOB_CREATE, JobCreate
from modelyard.spec.job_status import TERMINAL, JobStatus
from modelyard.store import JobRow

DEFAULT_EXPERIMENT = "Default"


class JobService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.computes = ComputeService(context)
        self.data = DataAssetService(context)
        self.environments = EnvironmentService(context)

    # -- create -------------------------------------------------------------------------
    def create(self, document: dict[str, Any] | JobCreate, properties: dict[str, Any] | None = None) -> Job:
        """Submit a job (a document, or one the API validated already); ``properties`` are recorded on it besides
        its own (e.g. the schedule that started it)."""
        spec = document if isinstance(document, BaseModel) else validate_spec(JOB_CREATE, document, "job")
        creators = {"command": self._create_command, "pipeline": self._create_pipeline,
                    "automl": self._create_automl}
        return self._record(creators[spec.type](spec, properties or {}))

    def check_new_name(self, name: str | None) -> None:
        if name:
            with self.context.session() as session:
                if session.scalar(select(JobRow.id).where(JobRow.name == name)):
                    raise Conflict(f"job '{name}' exists already; job names are unique")

    def _create_command(self, spec: CommandJob, properties: dict[str, Any]) -> JobRow:
        self.check_new_name(spec.name)
        row = self._command_row(spec, properties)
        with self.context.session() as session:
            session.add(row)
        return row

    def _create_pipeline(self, spec: PipelineJob, properties: dict[str, Any]) -> JobRow:
        self.check_new_name(spec.name)
        return create_pipeline(self, spec, properties)

    def _create_automl(self, spec: AutoMLJob, properties: dict[str, Any]) -> JobRow:
        if spec.limits.timeout_minutes < MIN_TIMEOUT_MINUTES:
            raise InvalidInput(
                f"limits.timeout_minutes {spec.limits.timeout_minutes:g} ({spec.limits.timeout_minutes * 60:g} s) "
                f"cannot train any model: an AutoML job needs at least {MIN_TIMEOUT_MINUTES:g} minutes "
                f"({MIN_TIMEOUT_MINUTES * 60:g} s), since starting its process and preparing the data come out of "
                f"the budget before the first trial; raise limits.timeout_minutes")
        self.check_new_name(spec.name)
        compute = spec.compute or LOCAL_COMPUTE
        target = self.checked_compute(compute, "compute")
        pinned = {"compute": compute}
        for field in ("training_data", "validation_data"):
            value = getattr(spec, field)
            if value is not None:
                pinned[field] = value.model_copy(update={"path": self.resolve_data_path(value, field)})
        spec = spec.model_copy(update=pinned)
        self._check_columns(spec)
        row = new_job(
            name=spec.name or job_name(), type="automl", display_name=spec.display_name,
            description=spec.description, experiment_name=spec.experiment_name or DEFAULT_EXPERIMENT,
            compute=compute, tags=spec.tags, parent=None, spec=spec.model_dump(mode="json", by_alias=True),
            properties={**properties, "compute_type": target.type, "task": spec.task,
                        "primary_metric": spec.primary_metric})
        queue(row)
        with self.context.session() as session:
            session.add(row)
        return row

    def _check_columns(self, spec) -> None:
        """Refuse a target or weight column that a registered table does not have, before queueing."""
        path = spec.training_data.path
        if not path.startswith("data:"):
            return
        name, version = path.removeprefix("data:").rsplit(":", 1)
        row = self.data.get_row(name, int(version))
        if row.type != "mltable":
            return
        columns = [c["name"] for c in row.columns or [] if c.get("include", True)]
        for field in ("target_column_name", "weight_column_name"):
            wanted = getattr(spec, field)
            if wanted and wanted not in columns:
                raise InvalidInput(f"{field}: column {wanted!r} is not in {name}:{version}; "
                                   f"its columns are {', '.join(columns)}")

    def _command_row(self, spec: CommandJob, properties: dict[str, Any]) -> JobRow:
        """A validated, resolved, queued command job row (not yet added to a session)."""
        compute_name = spec.compute or LOCAL_COMPUTE
        target = self.checked_compute(compute_name, "compute")
        environment, named = self.environments.pinned(spec.environment, "environment")
        resolved = spec.model_copy(update={"inputs": self.resolve_inputs(spec.inputs, "inputs"),
                                           "compute": compute_name, "environment": environment})
        self.check_snapshot(spec.code, "code")
        row = new_job(
            name=spec.name or job_name(), type="command", display_name=spec.display_name,
            description=spec.description, experiment_name=spec.experiment_name or DEFAULT_EXPERIMENT,
            compute=compute_name, tags=spec.tags, parent=None, spec=resolved.model_dump(mode="json", by_alias=True),
            properties={**properties, "compute_type": target.type, **({"environment": named} if named else {})})
        queue(row)
        return row

    def checked_compute(self, name: str, field: str):
        try:
            compute = self.computes.get_row(name)
        except NotFound:
            raise InvalidInput(f"{field}: compute '{name}' does not exist; 'modelyard compute list' shows the targets") from None
        if compute.state == "Failed":
            raise InvalidInput(f"{field}: compute '{name}' failed to provision: {compute.errors}")
        if compute.type == "instance":
            raise InvalidInput(f"{field}: compute '{name}' is a notebook instance; run jobs on 'local' or a cluster")
        return compute

    def resolve_inputs(self, inputs: dict[str, Any], field: str) -> dict[str, Any]:
        """Data asset inputs pinned to a version (``data:name:3``), so a rerun reads the same data."""
        resolved: dict[str, Any] = {}
        for key, value in inputs.items():
            if isinstance(value, DataInput):
                resolved[key] = value.model_copy(update={"path": self.resolve_data_path(value, f"{field}.{key}")})
            else:
                resolved[key] = value
        return resolved

    def resolve_data_path(self, value: DataInput, field: str) -> str:
        path = value.path
        if path.startswith(DATA_PREFIXES):
            reference = path.split(":", 1)[1]
            try:
                ref = AssetRef.parse(reference)
                asset = self.data.get(ref.name, ref.version, ref.label)
            except (NotFound, InvalidInput) as error:
                raise InvalidInput(f"{field}: {error.message}") from None
            return f"data:{asset.name}:{asset.version}"
        if path.startswith(SNAPSHOT_PREFIX):
            self.check_snapshot(path, field)
            return path
        if path.startswith("job:"):
            return path
        if path.startswith(("http://", "https://")):
            return path
        raise InvalidInput(f"{field}: {path!r} is not a data asset (azureml:name:version), an uploaded snapshot "
                           "or a URL; the SDK and CLI upload local paths for you")

    def check_snapshot(self, reference: str | None, field: str) -> None:
        if reference is None:
            return
        if not reference.startswith(SNAPSHOT_PREFIX):
            raise InvalidInput(f"{field}: {reference!r} was not uploaded; submit through the SDK or CLI, which upload it")
        if not self.context.artifacts.exists(snapshot_key(reference)):
            raise InvalidInput(f"{field}: snapshot {reference.removeprefix(SNAPSHOT_PREFIX)[:12]}… is not on the server")

    # -- read ---------------------------------------------------------------------------
    def get(self, name: str) -> Job:
        return self._record(self.get_row(name), with_metrics=True)

    def get_row(self, name: str) -> JobRow:
        with self.context.session() as session:
            row = session.scalar(select(JobRow).where(JobRow.name == name))
        if row is None:
            raise NotFound(f"job '{name}' not found; 'modelyard job list' shows the jobs")
        return row

    def list(self, where: JobFilter | None = None, with_metrics: bool = False) -> list[Job]:
        where = where or JobFilter()
        order = JobRow.id.asc() if where.parent else JobRow.id.desc()
        with self.context.session() as session:
            rows = session.scalars(self._filtered(select(JobRow), where).order_by(order)
                                   .offset(where.offset).limit(where.limit))
            return [self._record(row, with_metrics) for row in rows]

    def count(self, where: JobFilter | None = None) -> int:
        """How many jobs match the filter, ignoring its offset and limit (for paging)."""
        with self.context.session() as session:
            return session.scalar(self._filtered(select(func.count(JobRow.id)), where or JobFilter()))

    def experiments(self) -> list[Experiment]:
        """Every experiment of top-level, unarchived jobs with its job count and latest job, latest first."""
        visible = (JobRow.parent.is_(None), JobRow.archived.is_(False))
        groups = (select(JobRow.experiment_name, func.count(JobRow.id).label("job_count"),
                         func.max(JobRow.id).label("last_id"))
                  .where(*visible).group_by(JobRow.experiment_name).subquery())
        query = (select(groups.c.job_count, JobRow).join(JobRow, JobRow.id == groups.c.last_id)
                 .order_by(JobRow.id.desc()))
        with self.context.session() as session:
            return [Experiment(name=row.experiment_name, job_count=count, last_job=row.name, last_status=row.status,
                               last_created_at=as_utc(row.created_at))
                    for count, row in session.execute(query)]

    @staticmethod
    def _filtered(query, where: JobFilter):
        if where.parent:
            query = query.where(JobRow.parent == where.parent)
        else:
            query = query.where(JobRow.parent.is_(None))
        if where.status:
            query = query.where(JobRow.status == where.status)
        if where.experiment_name:
            query = query.where(JobRow.experiment_name == where.experiment_name)
        if not where.include_archived:
            query = query.where(JobRow.archived.is_(False))
        if where.search:
            pattern = f"%{where.search}%"
            query = query.where(or_(JobRow.name.ilike(pattern), JobRow.display_name.ilike(pattern),
                                    JobRow.experiment_name.ilike(pattern)))
        return query

    def children(self, name: str, with_metrics: bool = False) -> list[Job]:
        """The jobs under ``name`` (a pipeline's steps, an AutoML job's trials), oldest first; NotFound for
        a job that does not exist."""
        self.get_row(name)
        return self.list(JobFilter(parent=name, limit=1000, include_archived=True), with_metrics)

    def automl_progress(self, name: str) -> AutoMLProgress:
        """What AutoML job ``name`` recorded so far: guardrails, featurization, trials done, leaderboard..."""
        row = self.get_row(name)
        if row.type != "automl":
            raise InvalidInput(f"job '{name}' is a {row.type} job, not an AutoML job; its properties are on the job")
        return AutoMLProgress.of(row.properties)

    # -- change -------------------------------------------------------------------------
    def update(self, name: str, change: JobUpdate | dict[str, Any]) -> Job:
        """Change what ``change`` sets (fields it leaves out stay as they are)."""
        if isinstance(change, dict):
            change = validate_spec(JobUpdate, change, "job change")
        change = {key: value for key, value in change.model_dump(exclude_unset=True).items()
                  if value is not None or key in ("description", "display_name")}
        with self.context.session() as session:
            row = locked(session, name)
            if row is None:
                raise NotFound(f"job '{name}' not found")
            for key, value in change.items():
                setattr(row, key, value)
        return self.get(name)

    def cancel(self, name: str) -> Job:
        """Queued jobs are canceled at once; running ones are stopped by their worker (process tree)."""
        with self.context.session() as session:
            row = locked(session, name)
            if row is None:
                raise NotFound(f"job '{name}' not found")
            if row.status in TERMINAL:
                raise Conflict(f"job '{name}' has already ended ({row.status})")
            no_runner = row.type in ("pipeline", "interactive")  # the scheduler, or the notebook, drives these
            cancel(row, "canceled by the user", at_once=no_runner)
            for child in session.scalars(select(JobRow).where(JobRow.parent == name)):
                if child.status not in TERMINAL:
                    cancel(child, "canceled with its pipeline")
        return self.get(name)

    def refit(self, name: str) -> Job:
        """The job holding or making AutoML trial ``name``'s model (rules in ``services._automl_refit``)."""
        return self._record(refit_trial(self, name))

    # -- logs and outputs ----------------------------------------------------------------
    def log_path(self, name: str) -> Path:
        return job_folder(self.context, name) / "logs" / "std_log.txt"

    def logs(self, name: str, offset: int = 0, limit: int = 1 << 20) -> dict[str, Any]:
        row = self.get_row(name)
        path = self.log_path(name)
        text, end = "", offset
        if path.exists():
            with path.open("rb") as handle:
                handle.seek(offset)
                chunk = handle.read(limit)
            cut = chunk.rfind(b"\n") + 1 if row.status not in TERMINAL else len(chunk)
            chunk = chunk[:cut] if cut else (chunk if len(chunk) == limit else b"")
            text, end = chunk.decode("utf-8", errors="replace"), offset + len(chunk)
        return {"name": name, "status": row.status, "offset": end, "text": text,
                "done": row.status in TERMINAL and (not path.exists() or end >= path.stat().st_size)}

    def metric_history(self, name: str) -> dict[str, list[dict[str, Any]]]:
        """Every logged value of every metric of the job's run, for charts."""
        row = self.get_row(name)
        if not row.mlflow_run_id:
            return {}

        client = tracking_client(self.context.location)
        names = client.get_run(row.mlflow_run_id).data.metrics
        return {metric: [{"step": m.step, "value": m.value, "timestamp": m.timestamp}
                         for m in client.get_metric_history(row.mlflow_run_id, metric)] for metric in names}

    def output_files(self, name: str, output: str) -> list[dict[str, Any]]:
        row = self.get_row(name)
        if output not in row.outputs:
            known = ", ".join(row.outputs) or "none"
            raise NotFound(f"job '{name}' has no output '{output}' (outputs: {known})")
        prefix = row.outputs[output]["key"]
        return [{"name": key[len(prefix):].lstrip("/"), "key": key} for key in self.context.artifacts.list(prefix)]

    # -- run artifacts (what the job's MLflow run logged: charts, summaries, models) ------
    def artifacts(self, name: str) -> list[dict[str, Any]]:
        """Every file the job's run logged, ``{"path", "size"}``, sorted by path."""
        row = self.get_row(name)
        if not row.mlflow_run_id:
            return []

        client = tracking_client(self.context.location)
        files, folders = [], [None]
        while folders:
            for entry in client.list_artifacts(row.mlflow_run_id, folders.pop()):
                if entry.is_dir:
                    folders.append(entry.path)
                else:
                    files.append({"path": entry.path, "size": entry.file_size})
        return sorted(files, key=lambda f: f["path"])

    def download_artifact(self, name: str, path: str, folder: Path) -> Path:
        """Copy one logged file of the job's run into ``folder``; its local path."""
        if path not in {f["path"] for f in self.artifacts(name)}:
            raise NotFound(f"job '{name}' logged no file {path!r}; GET /api/jobs/{name}/artifacts lists its files")

        run_id = self.get_row(name).mlflow_run_id
        return Path(tracking_client(self.context.location).download_artifacts(run_id, path, str(folder)))

    # -- records ------------------------------------------------------------------------
    def _record(self, row: JobRow, with_metrics: bool = False) -> Job:
        started, ended = row.started_at, row.ended_at
        duration = (as_utc(ended) - as_utc(started)).total_seconds() if started and ended else None
        metrics, parameters = run_data(self.context, row.mlflow_run_id) if with_metrics and row.mlflow_run_id \
            else ({}, {})
        return Job(
            name=row.name, type=row.type, status=row.status, display_name=row.display_name,
            description=row.description, experiment_name=row.experiment_name, compute=row.compute,
            tags=row.tags or {}, parent=row.parent, step=row.step, spec=row.spec, mlflow_run_id=row.mlflow_run_id,
            properties=row.properties or {}, outputs={k: {kk: vv for kk, vv in v.items() if kk != "key"}
                                                     for k, v in (row.outputs or {}).items()},
            error=row.error, attempt=row.attempt, reused_from=row.reused_from, archived=row.archived,
            created_at=as_utc(row.created_at), started_at=as_utc(started) if started else None,
            ended_at=as_utc(ended) if ended else None, duration_seconds=duration, metrics=metrics,
            status_history=row.history or {}, parameters=parameters,
        )


def automl_options() -> AutoMLOptions:
    """What an AutoML job may ask for, per task: primary metrics, algorithms; and the column purposes."""
    from typing import get_args

    from modelyard.automl import CLASSIFIERS, REGRESSORS
    from modelyard.automl._metrics import LOWER_IS_BETTER

    def task(name: str, metrics: tuple[str, ...], algorithms: tuple[str, ...]) -> TaskOptions:
        default = AutoMLJob(task=name, training_data="azureml:any:1", target_column_name="any").primary_metric
        return TaskOptions(primary_metrics=list(metrics), default_metric=default, algorithms=list(algorithms))

    return AutoMLOptions(tasks={"classification": task("classification", CLASSIFICATION_METRICS, CLASSIFIERS),
                                "regression": task("regression", REGRESSION_METRICS, REGRESSORS)},
                         column_purposes=list(get_args(ColumnPurpose)), lower_is_better=sorted(LOWER_IS_BETTER),
                         min_timeout_minutes=MIN_TIMEOUT_MINUTES)


def job_folder(context: ServiceContext, name: str) -> Path:
    return context.location.folder / "jobs" / name


def snapshot_key(reference: str) -> str:
    return f"snapshots/{reference.removeprefix(SNAPSHOT_PREFIX)}.tar.gz"


def run_data(context: ServiceContext, run_id: str) -> tuple[dict[str, float], dict[str, str]]:
    """The latest value of each metric and the parameters of a job's MLflow run."""
    try:
        data = tracking_client(context.location).get_run(run_id).data
    except Exception:  # a run that the tracking store lost must not hide the job
        return {}, {}
    return dict(data.metrics), dict(data.params)

"""Batch endpoints and deployments, and their invocations as scoring jobs. Every rule about them lives here.

An invocation is a job of type ``batch_scoring`` that pins the deployment's model version and
settings; the job runtime runs it (runtime/_batch.py) on the deployment's compute.
"""

from __future__ import annotations

from sqlalchemy import select

from modelyard.errors import Conflict, InvalidInput
from modelyard.services._names import job_name
from modelyard.services._context import ServiceContext
from modelyard.services._deployments import DeploymentVerbs, EndpointKind
from modelyard.services._rows import get_one, one_or_not_found
from modelyard.services.compute import as_utc
from modelyard.services.endpoints import model_to_deploy
from modelyard.services.job_lifecycle import new_job, queue
from modelyard.services.jobs import DEFAULT_EXPERIMENT, JobService
from modelyard.spec._common import validate_spec
from modelyard.spec.batch_endpoint import (
    BatchDeployment, BatchDeploymentCreate, BatchDeploymentUpdate, BatchEndpoint, BatchEndpointCreate,
    BatchEndpointDefaults, BatchEndpointUpdate, BatchInvoke,
)
from modelyard.spec.job import BatchScoringJob, DataInput, JobOutput
from modelyard.spec.job_record import Job
from modelyard.store import JobRow
from modelyard.store._tables import BatchDeploymentRow, BatchEndpointRow

SCORE_OUTPUT = "score"
INPUT = "input_data"


class BatchEndpointService(DeploymentVerbs):
    kind = EndpointKind("batch", BatchEndpointRow, BatchDeploymentRow)

    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.jobs = JobService(context)

    # -- endpoints ----------------------------------------------------------------------
    def create(self, spec: BatchEndpointCreate) -> BatchEndpoint:
        with self.context.session() as session:
            if session.scalar(select(BatchEndpointRow.id).where(BatchEndpointRow.name == spec.name)):
                raise Conflict(f"batch endpoint '{spec.name}' exists already")
            session.add(BatchEndpointRow(name=spec.name, description=spec.description, tags=spec.tags,
                                         default_deployment=None))
        if spec.defaults.deployment_name:  # checked like any later change: the deployment must exist
            return self.update(spec.name, BatchEndpointUpdate(defaults=spec.defaults))
        return self.get(spec.name)

    def get(self, name: str) -> BatchEndpoint:
        return self._record(self._row(name))

    def list(self) -> list[BatchEndpoint]:
        with self.context.session() as session:
            rows = list(session.scalars(select(BatchEndpointRow).order_by(BatchEndpointRow.name)))
        return [self._record(row) for row in rows]

    def update(self, name: str, change: BatchEndpointUpdate) -> BatchEndpoint:
        deployments = {row.name for row in self._deployment_rows(name)}
        with self.context.session() as session:
            row = one_or_not_found(session, self.kind.endpoint(name), self.kind.missing(name))
            if change.defaults is not None:
                wanted = change.defaults.deployment_name
                if wanted and wanted not in deployments:
                    raise InvalidInput(f"defaults.deployment_name: batch endpoint '{name}' has no deployment "
                                       f"'{wanted}' (deployments: {', '.join(sorted(deployments)) or 'none'})")
                row.default_deployment = wanted
            for field in ("description", "tags"):
                if getattr(change, field) is not None:
                    setattr(row, field, getattr(change, field))
        return self.get(name)

    def delete(self, name: str) -> None:
        with self.context.session() as session:
            row = one_or_not_found(session, self.kind.endpoint(name), self.kind.missing(name))
            for deployment in session.scalars(select(BatchDeploymentRow).where(BatchDeploymentRow.endpoint == name)):
                session.delete(deployment)
            session.delete(row)

    # -- deployments: create, create_or_update, get and list are DeploymentVerbs' --------------------
    def update_deployment(self, endpoint: str, name: str, change: BatchDeploymentUpdate) -> BatchDeployment:
        """Set the fields ``change`` gives over the deployment's spec; the result is checked like a new one."""
        document = {**self._deployment_row(endpoint, name).spec, **change.model_dump(mode="json", exclude_none=True)}
        spec = validate_spec(BatchDeploymentCreate, document, f"batch deployment '{endpoint}/{name}'")
        return self._write_deployment(spec, replace=True)[0]

    def delete_deployment(self, endpoint: str, name: str) -> None:
        self._deployment_row(endpoint, name)
        others = [row.name for row in self._deployment_rows(endpoint) if row.name != name]
        with self.context.session() as session:
            row = one_or_not_found(session, self.kind.endpoint(endpoint), self.kind.missing(endpoint))
            if row.default_deployment == name:
                if others:
                    raise Conflict(f"deployment '{name}' is the default of batch endpoint '{endpoint}'; make another "
                                   f"one the default first (batch-endpoint update {endpoint} "
                                   f"--set defaults.deployment_name={others[0]})")
                row.default_deployment = None
            session.delete(one_or_not_found(session, self.kind.deployment(endpoint, name),
                                            self.kind.missing_deployment(endpoint, name)))

    # -- invocations ----------------------------------------------------------------------
    def invoke(self, endpoint: str, request: BatchInvoke) -> Job:
        """Queue a scoring job of the named (or default) deployment over the request's input."""
        row = self._row(endpoint)
        name = request.deployment_name or row.default_deployment
        if name is None:
            if self._deployment_rows(endpoint):
                raise InvalidInput(f"batch endpoint '{endpoint}' has no default deployment; name one with "
                                   "deployment_name or set the endpoint's defaults.deployment_name")
            raise InvalidInput(f"batch endpoint '{endpoint}' has no deployments; create one with "
                               "'modelyard batch-deployment create'")
        deployment = self.get_deployment(endpoint, name)
        target = self.jobs.checked_compute(deployment.compute, "compute")
        data = DataInput(path=request.input, type=request.input_type)
        data = data.model_copy(update={"path": self.jobs.resolve_data_path(data, "input")})
        settings = deployment.settings()
        environment, named = self.jobs.environments.pinned(deployment.environment, "environment")
        if request.mini_batch_size is not None:
            settings = settings.model_copy(update={"mini_batch_size": request.mini_batch_size})
        spec = BatchScoringJob(
            display_name=request.display_name or f"{endpoint}/{name}",
            experiment_name=request.experiment_name or endpoint, compute=deployment.compute,
            inputs={INPUT: data}, outputs={SCORE_OUTPUT: JobOutput(name=request.output_name)},
            endpoint_name=endpoint, deployment_name=name, model=f"{deployment.model}:{deployment.model_version}",
            code_configuration=deployment.code_configuration, settings=settings, environment=environment or "system")
        job = new_job(
            name=job_name(), type="batch_scoring", display_name=spec.display_name,
            experiment_name=spec.experiment_name or DEFAULT_EXPERIMENT, compute=deployment.compute,
            tags={}, parent=None, spec=spec.model_dump(mode="json", by_alias=True),
            properties={"compute_type": target.type, "endpoint": endpoint, "deployment": name,
                        **({"environment": named} if named else {})})
        queue(job)
        with self.context.session() as session:
            session.add(job)
        return self.jobs.get(job.name)

    def list_jobs(self, endpoint: str) -> list[Job]:
        self._row(endpoint)
        with self.context.session() as session:
            names = [row.name for row in session.scalars(select(JobRow).where(JobRow.type == "batch_scoring")
                                                         .order_by(JobRow.id.desc()))
                     if (row.properties or {}).get("endpoint") == endpoint]
        return [self.jobs.get(name) for name in names]

    # -- records ------------------------------------------------------------------------
    def _write_deployment(self, spec: BatchDeploymentCreate, replace: bool) -> tuple[BatchDeployment, bool]:
        self._row(spec.endpoint_name)
        model = model_to_deploy(self.context, spec.model)
        self.jobs.checked_compute(spec.compute, "compute")
        if spec.code_configuration is not None:
            self.jobs.check_snapshot(spec.code_configuration.code, "code_configuration.code")
        document = spec.model_dump(mode="json", by_alias=True, exclude={"schema_"})
        document["environment"] = self.jobs.environments.for_deployment(spec.environment, "environment")
        with self.context.session() as session:
            row = session.scalar(self.kind.deployment(spec.endpoint_name, spec.name))
            created = row is None
            if created:
                row = BatchDeploymentRow(endpoint=spec.endpoint_name, name=spec.name)
                session.add(row)
            elif not replace:
                raise Conflict(f"deployment '{spec.name}' of batch endpoint '{spec.endpoint_name}' exists already; "
                               "use 'batch-deployment update'")
            row.model_name, row.model_version, row.spec = model.name, model.version, document
            endpoint = session.scalar(self.kind.endpoint(spec.endpoint_name))
            if endpoint.default_deployment is None:  # the first deployment becomes the default
                endpoint.default_deployment = spec.name
        return self.get_deployment(spec.endpoint_name, spec.name), created

    def _deployment_row(self, endpoint: str, name: str) -> BatchDeploymentRow:
        self._row(endpoint)
        return get_one(self.context, self.kind.deployment(endpoint, name),
                       self.kind.missing_deployment(endpoint, name))

    def _deployment_rows(self, endpoint: str) -> list[BatchDeploymentRow]:
        with self.context.session() as session:
            return list(session.scalars(select(BatchDeploymentRow).where(BatchDeploymentRow.endpoint == endpoint)
                                        .order_by(BatchDeploymentRow.name)))

    @staticmethod
    def _deployment(row: BatchDeploymentRow) -> BatchDeployment:
        spec = BatchDeploymentCreate.model_validate(row.spec)
        return BatchDeployment(
            **spec.settings().model_dump(), name=row.name, endpoint_name=row.endpoint, description=spec.description,
            model=row.model_name, model_version=row.model_version, code_configuration=spec.code_configuration,
            compute=spec.compute, tags=spec.tags, created_at=as_utc(row.created_at),
            environment=spec.environment if isinstance(spec.environment, str) else None)

    def _record(self, row: BatchEndpointRow) -> BatchEndpoint:
        return BatchEndpoint(
            name=row.name, description=row.description, tags=row.tags or {},
            defaults=BatchEndpointDefaults(deployment_name=row.default_deployment),
            scoring_uri=f"/api/batch-endpoints/{row.name}/jobs",
            deployments=[self._deployment(d) for d in self._deployment_rows(row.name)],
            created_at=as_utc(row.created_at))

"""Environments: named, immutable versions of a python + pip package set, each built by a job into the
workspace's virtualenv cache (keyed by content, so equal versions share one build). Every rule about
them lives here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modelyard.errors import InvalidInput, NotFound
from modelyard.services._context import ServiceContext
from modelyard.services._names import job_name
from modelyard.services._rows import get_one, one_or_not_found
from modelyard.services._versions import insert_version
from modelyard.services.compute import as_utc
from modelyard.services.job_lifecycle import new_job, queue
from modelyard.spec._common import AssetRef
from modelyard.spec.compute import LOCAL_COMPUTE
from modelyard.spec.environment import (Environment, EnvironmentBuildJob, EnvironmentCreate, EnvironmentUpdate,
                                        content_hash, is_reference)
from modelyard.spec.job_status import JobStatus
from modelyard.store import EnvironmentRow, JobRow

BUILD_JOB_TYPE = "environment_build"
BUILD_EXPERIMENT = "environment-builds"
LOG_LIMIT = 256 * 1024  # the build log's tail kept with the version


class EnvironmentService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def create(self, spec: EnvironmentCreate) -> Environment:
        """A new version, with its build job queued in the same transaction."""
        python, pip = spec.content()
        document = spec.model_dump(mode="json", by_alias=True, exclude={"schema_"}, exclude_none=True)

        def build_job(session: Session, row: EnvironmentRow) -> None:
            job = new_job(name=job_name(), type=BUILD_JOB_TYPE, display_name=f"build {row.name}:{row.version}",
                          experiment_name=BUILD_EXPERIMENT, compute=LOCAL_COMPUTE, parent=None,
                          spec=EnvironmentBuildJob(environment=f"{row.name}:{row.version}", python=python, pip=pip)
                          .model_dump(mode="json"))
            queue(job)
            session.add(job)
            row.build_job = job.name

        row = insert_version(self.context, EnvironmentRow, spec.name, spec.version, "environment",
                             lambda version: {"spec": {**document, "version": version}, "python": python, "pip": pip,
                                              "content_hash": content_hash(python, pip),
                                              "description": spec.description, "tags": spec.tags,
                                              "archived": False},
                             created=build_job)
        return self.get(f"{row.name}:{row.version}")

    def get(self, reference: str) -> Environment:
        """``name``, ``name:3``, ``name@latest`` or ``azureml:name:3``; the latest is the newest unarchived."""
        row = self.get_row(reference)
        with self.context.session() as session:
            return self._record(session, row)

    def get_row(self, reference: str) -> EnvironmentRow:
        ref = AssetRef.parse(reference.strip().removeprefix("azureml:"))
        if ref.label not in (None, "latest"):
            raise InvalidInput(f"unknown label '@{ref.label}' for environment {ref.name!r}: only '@latest' is defined")
        query = select(EnvironmentRow).where(EnvironmentRow.name == ref.name)
        if ref.version is not None:
            query = query.where(EnvironmentRow.version == ref.version)
        else:
            query = query.where(EnvironmentRow.archived.is_(False))
        return get_one(self.context, query.order_by(EnvironmentRow.version.desc()).limit(1),
                       f"environment {reference} not found; 'modelyard environment list' shows the registered ones")

    def list(self, name: str | None = None, include_archived: bool = False) -> list[Environment]:
        with self.context.session() as session:
            query = select(EnvironmentRow)
            if name:
                query = query.where(EnvironmentRow.name == name)
            if not include_archived:
                query = query.where(EnvironmentRow.archived.is_(False))
            rows = session.scalars(query.order_by(EnvironmentRow.name, EnvironmentRow.version.desc())).all()
            return [self._record(session, row) for row in rows]

    def update(self, reference: str, change: EnvironmentUpdate) -> Environment:
        """Archived: hidden from lists and from ``@latest``; jobs may still name the version itself."""
        found = self.get_row(reference)
        with self.context.session() as session:
            row = one_or_not_found(session, select(EnvironmentRow).where(EnvironmentRow.id == found.id),
                                   f"environment {reference} not found")
            row.archived = change.archived
            return self._record(session, row)

    def build_log(self, reference: str) -> str:
        row = self.get_row(reference)
        if row.build_log is not None:
            return row.build_log
        found = self.get(f"{row.name}:{row.version}")
        if found.state == "Failed":
            return f"environment {row.name}:{row.version} left no build log: its job {row.build_job} failed: {found.error}\n"
        return f"environment {row.name}:{row.version} is still building: its job {row.build_job} has the live log\n"

    # -- jobs ---------------------------------------------------------------------------
    def pinned(self, environment: Any, field: str) -> tuple[Any, str | None]:
        """A job's ``environment`` as it runs (a registered one's python + pip) and the ``name:version`` it
        names, if any; a reference to no environment, or to one whose build failed, is refused."""
        if not is_reference(environment):
            return environment, None
        try:
            row = self.get_row(environment)
        except (NotFound, InvalidInput) as error:
            raise InvalidInput(f"{field}: {error.message}") from None
        with self.context.session() as session:
            found = self._record(session, row)
        if found.state == "Failed":
            raise InvalidInput(f"{field}: environment {row.name}:{row.version} failed to build ({found.error}); "
                               "'modelyard environment show' has its log; fix it and create a new version")
        return {"python": row.python, "pip": list(row.pip)}, f"{row.name}:{row.version}"

    def for_deployment(self, environment: Any, field: str) -> Any:
        """A deployment's ``environment``: a registered one's reference pinned to its version
        (``azureml:name:3``), which must be built already; anything else as it is."""
        if not is_reference(environment):
            return environment
        _, named = self.pinned(environment, field)
        state = self.get(named).state
        if state != "Ready":
            raise InvalidInput(f"{field}: environment {named} is {state.lower()}; deploy once "
                               f"'modelyard environment build {named}' says it is Ready")
        return f"azureml:{named}"

    def record_build(self, job: str, packages: list[str] | None, log: str) -> None:
        """What the build job ``job`` leaves with its version: the installed packages (None when it failed)
        and its log. Written once: the version is immutable."""
        with self.context.session() as session:
            row = session.scalar(select(EnvironmentRow).where(EnvironmentRow.build_job == job))
            if row is None or row.packages is not None:
                return
            row.packages = packages
            row.build_log = log[-LOG_LIMIT:]

    @staticmethod
    def _record(session: Session, row: EnvironmentRow) -> Environment:
        job = session.scalar(select(JobRow).where(JobRow.name == row.build_job)) if row.build_job else None
        state, error = "Ready", None
        if row.packages is None:
            status = job.status if job is not None else JobStatus.FAILED
            if status in (JobStatus.FAILED, JobStatus.CANCELED, JobStatus.COMPLETED):
                state, error = "Failed", (job.error if job is not None else "its build job is gone") or "build failed"
            else:
                state = "Queued" if status in (JobStatus.NOT_STARTED, JobStatus.QUEUED) else "Building"
        return Environment(name=row.name, version=row.version, description=row.description, tags=row.tags or {},
                           python=row.python, pip=list(row.pip or []), content_hash=row.content_hash, state=state,
                           build_job=row.build_job, packages=list(row.packages or []), error=error,
                           archived=row.archived, created_at=as_utc(row.created_at))

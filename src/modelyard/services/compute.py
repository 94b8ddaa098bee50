"""Compute targets and their instances. Every rule about compute lives here."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Select, func, select

from modelyard.errors import Conflict, InvalidInput, Unreachable
from modelyard.services._context import ServiceContext
from modelyard.services._rows import get_one, one_or_not_found
from modelyard.services.compute_instances import check_can_start, lab_url, shown_config, want_running
from modelyard.spec._azure import COMPUTE_FIELDS_WITHOUT_EFFECT, compute_notes
from modelyard.spec.compute import LOCAL_COMPUTE, Compute, ComputeUpdate, InstanceCounts
from modelyard.spec.job_status import ACTIVE, JobStatus
from modelyard.store import ComputeRow, InstanceRow, JobRow
from modelyard.store._tables import utcnow

HEARTBEAT_STALE = timedelta(seconds=20)
LOCAL_CONFIG = {"min_instances": 0, "max_instances": 1, "idle_time_before_scale_down": 120}


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class ComputeService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def create(self, spec: Any) -> Compute:
        if spec.name == LOCAL_COMPUTE:
            raise Conflict(f"compute '{LOCAL_COMPUTE}' is built in")
        azure = spec.azure_fields() if spec.type == "cluster" else {}
        config = spec.model_dump(exclude={"schema_", "name", "description", "type", *COMPUTE_FIELDS_WITHOUT_EFFECT},
                                 exclude_none=True)
        if azure:
            config["azure"] = azure
        if spec.type == "ray":
            config["address"] = check_ray(spec.address, spec.name)
        with self.context.session() as session:
            if session.scalar(select(ComputeRow).where(ComputeRow.name == spec.name)):
                raise Conflict(f"compute '{spec.name}' exists already; 'modelyard compute update' changes it, "
                               "or choose another name")
            if spec.type == "instance":
                check_can_start(spec.name, config)
            row = ComputeRow(name=spec.name, type=spec.type, config=config, description=spec.description,
                             state="Starting" if spec.type == "instance" else "Succeeded")
            session.add(row)
        return self.get(spec.name)

    def get(self, name: str) -> Compute:
        return self._record(self.get_row(name))

    def get_row(self, name: str) -> ComputeRow:
        if name == LOCAL_COMPUTE:
            return ComputeRow(name=LOCAL_COMPUTE, type="local", config=dict(LOCAL_CONFIG), state="Succeeded",
                              description="runs one job at a time on the server's machine",
                              created_at=datetime.fromtimestamp(0, timezone.utc))
        return get_one(self.context, self._query(name), self._missing(name))

    def list(self) -> list[Compute]:
        with self.context.session() as session:
            rows = list(session.scalars(select(ComputeRow).order_by(ComputeRow.name)))
        return [self.get(LOCAL_COMPUTE)] + [self._record(row) for row in rows]

    def update(self, name: str, change: ComputeUpdate) -> Compute:
        if name == LOCAL_COMPUTE:
            raise Conflict(f"compute '{LOCAL_COMPUTE}' is built in and cannot be changed")
        with self.context.session() as session:
            row = one_or_not_found(session, self._query(name), self._missing(name))
            if row.type != "cluster":
                raise InvalidInput(f"compute '{name}' is a {row.type} target; only clusters have instance settings")
            config = {**row.config, **change.model_dump(exclude={"description"}, exclude_none=True)}
            if config["min_instances"] > config["max_instances"]:
                raise InvalidInput(f"min_instances ({config['min_instances']}) exceeds max_instances ({config['max_instances']})")
            row.config = config
            if change.description is not None:
                row.description = change.description
        return self.get(name)

    def delete(self, name: str) -> None:
        if name == LOCAL_COMPUTE:
            raise Conflict(f"compute '{LOCAL_COMPUTE}' is built in and cannot be deleted")
        with self.context.session() as session:
            row = one_or_not_found(session, self._query(name), self._missing(name))
            active = session.scalar(select(func.count()).where(
                JobRow.compute == name, JobRow.status.in_((JobStatus.QUEUED, *ACTIVE))))
            if active:
                raise Conflict(f"compute '{name}' has {active} queued or running job(s); cancel them first")
            session.delete(row)
            for instance in session.scalars(select(InstanceRow).where(InstanceRow.compute == name)):
                instance.state = "stopping"

    def set_running(self, name: str, running: bool) -> Compute:
        """``stop`` scales a cluster to zero and holds its queue, or stops an instance's JupyterLab (and its
        kernels, mid-execution too); ``start`` resumes either."""
        with self.context.session() as session:
            row = one_or_not_found(session, self._query(name), self._missing(name) if name != LOCAL_COMPUTE
                                   else f"compute '{LOCAL_COMPUTE}' is always running")
            if row.type == "instance":
                want_running(row, running)  # the notebook supervisor stops it, and ends the runs it left open
            elif running:
                row.state = "Succeeded"
            else:
                row.state = "Stopped"
                for instance in session.scalars(select(InstanceRow).where(InstanceRow.compute == name,
                                                                          InstanceRow.state == "idle")):
                    instance.state = "stopping"
        return self.get(name)

    def instances(self, name: str) -> list[InstanceRow]:
        """Instances whose heartbeat is fresh."""
        fresh = utcnow() - HEARTBEAT_STALE
        with self.context.session() as session:
            rows = session.scalars(select(InstanceRow).where(InstanceRow.compute == name))
            return [row for row in rows if as_utc(row.heartbeat_at) >= fresh]

    @staticmethod
    def _query(name: str) -> Select[tuple[ComputeRow]]:
        return select(ComputeRow).where(ComputeRow.name == name)

    @staticmethod
    def _missing(name: str) -> str:
        return f"compute '{name}' not found; 'modelyard compute list' shows the targets"

    def _record(self, row: ComputeRow) -> Compute:
        counts = InstanceCounts()
        if row.type in ("local", "cluster"):
            live = [i for i in self.instances(row.name) if i.state != "stopping"]
            counts = InstanceCounts(current=len(live), busy=sum(1 for i in live if i.state == "busy"),
                                    idle=sum(1 for i in live if i.state == "idle"))
        with self.context.session() as session:
            queued = session.scalar(select(func.count()).where(JobRow.compute == row.name,
                                                               JobRow.status == JobStatus.QUEUED))
        instance = row.type == "instance"
        return Compute(name=row.name, type=row.type, description=row.description, provisioning_state=row.state,
                       provisioning_errors=row.errors, config=shown_config(row.config) if instance else row.config,
                       instances=counts, queued_jobs=queued, created_at=as_utc(row.created_at),
                       notes=compute_notes((row.config or {}).get("azure", {})), url=lab_url(row) if instance else None)


def check_ray(address: str, name: str) -> str:
    """The Ray dashboard address, normalised, after checking that its job API answers."""
    import httpx

    try:
        import ray.job_submission  # noqa: F401
    except ImportError:
        raise InvalidInput(f"ray compute '{name}' needs Ray on the server: pip install 'modelyard[ray]'") from None
    url = address if "://" in address else f"http://{address}"
    try:
        response = httpx.get(f"{url.rstrip('/')}/api/version", timeout=10)
        response.raise_for_status()
    except httpx.HTTPError as error:
        raise Unreachable(f"ray compute '{name}': no Ray job API at {url} ({error})") from None
    return url.rstrip("/")

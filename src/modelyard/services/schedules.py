"""Schedules: triggers that submit a job at cron or recurrence ticks. Every rule about schedules lives here.

The workspace server's schedule runner calls ``fire_due``; the state (each schedule's next tick and a
revision) lives in the store, and a tick is claimed by a conditional update, so of several server
processes sharing the store exactly one fires it. A schedule whose ticks passed while no server ran
fires once for the whole missed period, then waits for its next tick after now.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable

from pydantic import TypeAdapter
from sqlalchemy import delete, func, select, update

from modelyard.errors import Conflict, InvalidInput, ModelyardError, NotFound
from modelyard.services._context import ServiceContext
from modelyard.services._rows import get_one, one_or_not_found
from modelyard.services._schedule_times import clock, next_fire, ticks_between, upcoming
from modelyard.services.compute import as_utc
from modelyard.services.events import emit
from modelyard.services.jobs import JobService
from modelyard.spec.job_create import JOB_CREATE
from modelyard.services.monitors import MonitorService
from modelyard.spec._common import validate_spec
from modelyard.spec.automl import AutoMLJob
from modelyard.spec.monitor_definition import MonitorDefinition, MonitorRunRequest
from modelyard.spec.schedule import SCHEDULE_TAG, JobReference, Schedule, ScheduleCreate, ScheduleFire
from modelyard.store import ScheduleFireRow, ScheduleRow

log = logging.getLogger("modelyard.schedules")
KEPT_FIRES = 20  # per schedule; older fires are dropped (the jobs they started stay)
SHOWN_TICKS = 5
SCHEDULE = TypeAdapter(ScheduleCreate)


class ScheduleService:
    def __init__(self, context: ServiceContext, now: Callable[[], datetime] | None = None) -> None:
        self.context = context
        self.now = now or clock()
        self.jobs = JobService(context)
        self.monitors = MonitorService(context)

    # -- create -------------------------------------------------------------------------
    def create(self, document: dict[str, Any]) -> Schedule:
        spec = self._check_action(validate_spec(SCHEDULE, document, "schedule"))
        now = self.now()
        with self.context.session() as session:
            if session.scalar(select(ScheduleRow.id).where(ScheduleRow.name == spec.name)):
                raise Conflict(f"schedule '{spec.name}' exists already; 'modelyard schedule delete {spec.name}' "
                               "removes it (its jobs stay)")
            session.add(ScheduleRow(name=spec.name, spec=_stored(spec), enabled=True, revision=0, created_at=now,
                                    next_fire_at=next_fire(spec.trigger, now, now)))
        self.context.schedules_changed.set()
        return self.get(spec.name)

    def _check_action(self, spec: ScheduleCreate) -> ScheduleCreate:
        """Refuse a job or monitor that cannot be submitted as written, before anything is stored; the spec to store
        (an inline monitor's reference data pinned to its version)."""
        action = spec.create_job
        if spec.create_monitor is not None:
            return spec.model_copy(update={"create_monitor": self._checked_monitor(spec.create_monitor)})
        if isinstance(action, (str, JobReference)):
            self._source_job(action)
        elif action.get("type") == "automl":
            validate_spec(AutoMLJob, action, "create_job")
        else:
            job = validate_spec(JOB_CREATE, action, "create_job")
            if job.compute:
                self.jobs.checked_compute(job.compute, "create_job.compute")
        return spec

    def _checked_monitor(self, action: MonitorDefinition | str) -> MonitorDefinition | str:
        if isinstance(action, MonitorDefinition):
            return self.monitors.checked(action, "create_monitor")
        name = action.removeprefix("azureml:")
        try:
            self.monitors.get(name)
        except NotFound:
            raise InvalidInput(f"create_monitor: monitor '{name}' not found; 'modelyard monitor list' shows the "
                               "monitors, or give the monitor inline") from None
        return action

    def _source_job(self, action: str | JobReference):
        reference = action.job if isinstance(action, JobReference) else action
        if not reference.startswith("azureml:"):
            raise InvalidInput(f"create_job: {reference!r} names a local file, which the server cannot read; the CLI "
                               "and SDK read it for you, or give the job inline, or 'azureml:<job name>' to rerun a job")
        name = reference.removeprefix("azureml:")
        try:
            return self.jobs.get_row(name)
        except NotFound:
            raise InvalidInput(f"create_job: job '{name}' not found; 'modelyard job list' shows the jobs") from None

    # -- read ---------------------------------------------------------------------------
    def get(self, name: str) -> Schedule:
        row = get_one(self.context, self._query(name), self._missing(name))
        with self.context.session() as session:
            fires = list(session.scalars(select(ScheduleFireRow).where(ScheduleFireRow.schedule == name)
                                         .order_by(ScheduleFireRow.id.desc()).limit(KEPT_FIRES)))
        return self._record(row, fires, SHOWN_TICKS)

    def list(self) -> list[Schedule]:
        """Every schedule with its next tick and its latest fire."""
        with self.context.session() as session:
            rows = list(session.scalars(select(ScheduleRow).order_by(ScheduleRow.name)))
            latest = select(func.max(ScheduleFireRow.id)).group_by(ScheduleFireRow.schedule)
            fires = {f.schedule: f for f in session.scalars(select(ScheduleFireRow)
                                                             .where(ScheduleFireRow.id.in_(latest)))}
        return [self._record(row, [fires[row.name]] if row.name in fires else [], 1) for row in rows]

    # -- change -------------------------------------------------------------------------
    def set_enabled(self, name: str, enabled: bool) -> Schedule:
        """Disable: no tick fires until enabled again. Enable: the next tick after now (none for the time off)."""
        with self.context.session() as session:
            row = one_or_not_found(session, self._query(name), self._missing(name))
            spec = SCHEDULE.validate_python(row.spec)
            row.enabled, row.disabled_reason, row.revision = enabled, None, row.revision + 1
            row.next_fire_at = next_fire(spec.trigger, self.now(), as_utc(row.created_at)) if enabled else None
        self.context.schedules_changed.set()
        return self.get(name)

    def update(self, name: str, document: dict[str, Any]) -> Schedule:
        """Replace the schedule's definition (trigger, job, settings) with ``document``, checked as ``create``
        checks it; its fire history and its enabled state stay, and its next tick follows the new trigger."""
        spec = self._check_action(validate_spec(SCHEDULE, {**document, "name": document.get("name") or name},
                                                "schedule"))
        if spec.name != name:
            raise InvalidInput(f"name: the file names schedule '{spec.name}', not '{name}'; a schedule cannot be "
                               "renamed: create the new one and delete the old")
        now = self.now()
        with self.context.session() as session:
            row = one_or_not_found(session, self._query(name), self._missing(name))
            row.spec, row.revision = _stored(spec), row.revision + 1
            row.next_fire_at = next_fire(spec.trigger, now, as_utc(row.created_at)) if row.enabled else None
        self.context.schedules_changed.set()
        return self.get(name)

    def delete(self, name: str) -> None:
        """Remove the schedule and its fire history; the jobs it started stay."""
        with self.context.session() as session:
            session.delete(one_or_not_found(session, self._query(name), self._missing(name)))
            session.execute(delete(ScheduleFireRow).where(ScheduleFireRow.schedule == name))
        self.context.schedules_changed.set()

    def trigger(self, name: str) -> ScheduleFire:
        """Fire once now, whatever the trigger says (enabled or not); the next tick stays as it was."""
        row = get_one(self.context, self._query(name), self._missing(name))
        return self._fire(row, SCHEDULE.validate_python(row.spec), None, missed=0)

    # -- the runner's step ---------------------------------------------------------------
    def fire_due(self) -> datetime | None:
        """Fire every schedule whose tick has come, once each however many ticks passed; the next tick of any."""
        now = self.now()
        with self.context.session() as session:
            due = list(session.scalars(select(ScheduleRow).where(ScheduleRow.next_fire_at <= now)))
        for row in due:
            spec = SCHEDULE.validate_python(row.spec)
            anchor, tick = as_utc(row.created_at), as_utc(row.next_fire_at)
            with self.context.session() as session:
                claimed = session.execute(
                    update(ScheduleRow).where(ScheduleRow.id == row.id, ScheduleRow.revision == row.revision)
                    .values(next_fire_at=next_fire(spec.trigger, now, anchor), revision=row.revision + 1)).rowcount
            if claimed:  # else another server process fired it, or the schedule changed meanwhile
                self._fire(row, spec, tick, missed=ticks_between(spec.trigger, tick, now, anchor) - 1)
        with self.context.session() as session:
            soonest = session.scalar(select(func.min(ScheduleRow.next_fire_at)))
        return as_utc(soonest) if soonest else None

    def _fire(self, row: ScheduleRow, spec: ScheduleCreate, tick: datetime | None, missed: int) -> ScheduleFire:
        fired_at = self.now()
        job, error = None, None
        labels = {SCHEDULE_TAG: spec.name, "modelyard.schedule_time": (tick or fired_at).isoformat()}
        try:
            if spec.create_monitor is not None:
                job = self._run_monitor(spec, tick or fired_at, labels)
            else:
                job = self.jobs.create(self._job_document(spec), properties=labels).name
        except ModelyardError as problem:
            error = problem.message
        except Exception as problem:  # the schedule records it and fires again at its next tick
            log.exception("schedule %s could not submit its job", spec.name)
            error = f"internal error: {problem!r}"
        with self.context.session() as session:
            fire = ScheduleFireRow(schedule=spec.name, scheduled_for=tick, fired_at=fired_at, job=job, error=error,
                                   manual=tick is None, missed=max(0, missed))
            session.add(fire)
            emit(session, "schedule.fired", spec.name, {"job": job, "scheduled_for": tick and tick.isoformat(),
                                                        "error": error, "manual": tick is None, "missed": fire.missed})
            session.flush()
            old = list(session.scalars(select(ScheduleFireRow.id).where(ScheduleFireRow.schedule == spec.name)
                                       .order_by(ScheduleFireRow.id.desc()).offset(KEPT_FIRES)))
            if old:
                session.execute(delete(ScheduleFireRow).where(ScheduleFireRow.id.in_(old)))
            if error and spec.on_job_error == "disable":
                session.execute(update(ScheduleRow).where(ScheduleRow.id == row.id).values(
                    enabled=False, next_fire_at=None, revision=ScheduleRow.revision + 1,
                    disabled_reason=f"the job did not validate at {fired_at:%Y-%m-%d %H:%M:%S} UTC: {error}"))
        if error:
            log.warning("schedule %s: its job was not submitted: %s", spec.name, error)
        return _fire_record(fire)

    def _run_monitor(self, spec: ScheduleCreate, tick: datetime, labels: dict[str, str]) -> str:
        """A run of the schedule's monitor whose lookback windows end at the tick; an inline monitor's runs are
        listed under the schedule's name ('modelyard monitor history <schedule>')."""
        action, tags = spec.create_monitor, {SCHEDULE_TAG: spec.name}
        if isinstance(action, MonitorDefinition):
            return self.monitors.submit(spec.name, action, MonitorRunRequest(), tick, labels, tags)
        return self.monitors.run(action.removeprefix("azureml:"), MonitorRunRequest(), tick, labels, tags)

    def _job_document(self, spec: ScheduleCreate) -> dict[str, Any]:
        """The job to submit: the inline one, or a copy of an existing job with the reference's changes."""
        action = spec.create_job
        if isinstance(action, dict):
            document = dict(action)
            document["experiment_name"] = document.get("experiment_name") or spec.name
        else:
            reference = action if isinstance(action, JobReference) else JobReference(job=action)
            source = self._source_job(reference)
            document = {key: value for key, value in source.spec.items() if value is not None}
            document["inputs"] = {**document.get("inputs", {}), **reference.inputs}
            document["outputs"] = {**document.get("outputs", {}), **reference.outputs}
            if reference.settings:
                document["settings"] = {**document.get("settings", {}), **reference.settings}
            document["experiment_name"] = reference.experiment_name or source.experiment_name
        document.pop("name", None)
        document["tags"] = {**(document.get("tags") or {}), SCHEDULE_TAG: spec.name}
        return document

    # -- records ------------------------------------------------------------------------
    @staticmethod
    def _query(name: str):
        return select(ScheduleRow).where(ScheduleRow.name == name)

    @staticmethod
    def _missing(name: str) -> str:
        return f"schedule '{name}' not found; 'modelyard schedule list' shows the schedules"

    def _record(self, row: ScheduleRow, fires: list[ScheduleFireRow], ticks: int) -> Schedule:
        spec = SCHEDULE.validate_python(row.spec)
        times = []
        if row.next_fire_at is not None:
            first = as_utc(row.next_fire_at)
            times = [first, *upcoming(spec.trigger, first, as_utc(row.created_at), ticks - 1)]
        return Schedule(name=row.name, display_name=spec.display_name, description=spec.description, tags=spec.tags,
                        trigger=row.spec["trigger"], create_job=row.spec.get("create_job"),
                        create_monitor=row.spec.get("create_monitor"), on_job_error=spec.on_job_error,
                        enabled=row.enabled, disabled_reason=row.disabled_reason, next_fire_times=times,
                        last_fires=[_fire_record(f) for f in fires], created_at=as_utc(row.created_at))


def _stored(spec: ScheduleCreate) -> dict[str, Any]:
    return spec.model_dump(mode="json", by_alias=True, exclude={"schema_"}, exclude_none=False)


def _fire_record(row: ScheduleFireRow) -> ScheduleFire:
    return ScheduleFire(scheduled_for=as_utc(row.scheduled_for) if row.scheduled_for else None,
                        fired_at=as_utc(row.fired_at), job=row.job, error=row.error, manual=row.manual,
                        missed=row.missed)


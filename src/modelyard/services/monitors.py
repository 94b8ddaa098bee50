"""Monitors: drift and data-quality checks of production data against a reference. Every rule about them lives here.

A monitor's definition is checked against its data assets' schemas at create (a feature the reference lacks,
a timestamp column that is not a time, a threshold for a metric the column's type has not): bad input is
refused with nothing stored. The reference data is pinned to the version it named then; the production
data is resolved at each run, so ``@latest`` picks up new rows. A run is a job (type ``monitor``) whose
result (``spec.monitor_definition.MonitorRunResult``) is its output ``monitor/result.json``; the job's
property ``modelyard.monitor`` ties it to the monitor and its experiment is the monitor's name, so the
history is the monitor's jobs.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from modelyard.errors import Conflict, InvalidInput, NotFound
from modelyard.services._context import ServiceContext
from modelyard.services._monitor_checks import AssetColumns, check_signal
from modelyard.services._names import job_name
from modelyard.services._rows import get_one, one_or_not_found
from modelyard.services.compute import as_utc
from modelyard.services.data_collection import DataCollectionService
from modelyard.services.events import emit
from modelyard.services.job_lifecycle import new_job, queue
from modelyard.services.jobs import JobService
from modelyard.spec._common import validate_spec
from modelyard.spec.compute import LOCAL_COMPUTE
from modelyard.spec.job import DATA_PREFIXES, DataInput
from modelyard.spec.job_status import JobStatus
from modelyard.spec.monitor import MonitorData, MonitorInputData
from modelyard.spec.monitor_definition import (MONITOR_OUTPUT, MONITOR_PROPERTY, Frequency, Monitor, MonitorCreate,
                                               MonitorDefinition, MonitorHistoryEntry, MonitorJob, MonitorRunRequest,
                                               MonitorRunResult)
from modelyard.store import JobRow, MonitorRow

RESULT_FILE = "result.json"
MAX_PERIODS = 400  # a backfill of more periods is refused: pick a longer frequency or a shorter range
HISTORY_RUNS = 100


ALERTS = {"data_drift": "monitor.drift_detected", "prediction_drift": "monitor.drift_detected",
          "data_quality": "monitor.data_quality"}


def emit_alerts(context: ServiceContext, result: MonitorRunResult) -> None:
    """One event per failing signal of a run (its periods together), for webhooks and the retraining loop."""
    failing: dict[str, dict[str, Any]] = {}
    for period in result.periods:
        for name, signal in period.signals.items():
            if signal.status == "failed":
                alert = failing.setdefault(name, {"monitor": result.monitor, "job": result.job, "signal": name,
                                                  "signal_type": signal.signal_type, "periods": [], "features": []})
                alert["periods"].append({"start": period.window_start and period.window_start.isoformat(),
                                         "end": period.window_end and period.window_end.isoformat()})
                alert["features"] = sorted(set(alert["features"]) | set(signal.failed_features))
    if failing:
        with context.session() as session:
            for alert in failing.values():
                emit(session, ALERTS[alert["signal_type"]], result.monitor, alert)


def result_key(job: str) -> str:
    return f"jobs/{job}/outputs/{MONITOR_OUTPUT}/{RESULT_FILE}"


class MonitorService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.jobs = JobService(context)
        self.collection = DataCollectionService(context)

    # -- create -------------------------------------------------------------------------
    def create(self, document: dict[str, Any]) -> Monitor:
        spec = validate_spec(MonitorCreate, document, "monitor")
        with self.context.session() as session:
            if session.scalar(select(MonitorRow.id).where(MonitorRow.name == spec.name)):
                raise Conflict(f"monitor '{spec.name}' exists already; 'modelyard monitor delete {spec.name}' "
                               "removes it (its runs stay as jobs)")
        pinned = self.checked(spec, "monitor")
        stored = pinned.model_dump(mode="json", by_alias=True, exclude={"schema_"}, exclude_none=True)
        with self.context.session() as session:
            session.add(MonitorRow(name=spec.name, spec=stored, created_at=datetime.now(timezone.utc)))
        return self.get(spec.name)

    def checked(self, definition: MonitorDefinition, what: str) -> MonitorDefinition:
        """The definition with its reference data pinned to versions, once every signal fits the data's schemas."""
        compute = definition.compute_name()
        if compute:
            self.jobs.checked_compute(compute, f"{what}.compute")
        pinned, target = {}, definition.monitoring_target
        if target.reference_data is not None and target.reference_data.input_data is not None:
            path, _ = self._columns(target.reference_data, "monitoring_target.reference_data", True)
            target = target.model_copy(update={"reference_data": _with_path(target.reference_data, path)})
        if definition.ranks_by_importance():
            self.importance_model(definition)
        for name, signal in definition.signals().items():
            production = self._columns(signal.production_data, f"production data of signal '{name}'", False)
            reference = self._columns(signal.reference_data, f"reference data of signal '{name}'", True)
            check_signal(name, signal, reference[1], production[1])
            pinned[name] = signal.model_copy(update={
                "reference_data": _with_path(signal.reference_data, reference[0])})
        return definition.model_copy(update={"monitoring_signals": pinned, "monitoring_target": target})

    def _columns(self, data: MonitorData, what: str, pin: bool) -> tuple[str, AssetColumns]:
        """(the data's path, pinned to a version if ``pin``; its columns) of a data asset side."""
        if data.input_data is None:
            raise InvalidInput(f"{what} names no input_data: give input_data.path (a data asset, e.g. "
                               "azureml:hr-production@latest) in the signal or in monitoring_target")
        collected = self.collection.find(data.input_data.path)
        if collected is not None:
            where = f"data collected at {collected[0]}/{collected[1]} ({collected[2]})"
            return data.input_data.path, AssetColumns(where, self.collection.column_types(data.input_data.path))
        resolved = self.data_path(data.input_data.path, what)
        name, version = resolved.removeprefix("data:").rsplit(":", 1)
        row = self.jobs.data.get_row(name, int(version))
        types = {c["name"]: c.get("type") for c in row.columns or [] if c.get("include", True)}
        kind = "reference" if pin else "production"
        path = f"azureml:{name}:{version}" if pin else data.input_data.path
        return path, AssetColumns(f"{kind} data asset {name}:{version}", types)

    def importance_model(self, definition: MonitorDefinition) -> str:
        """name:version of the model that ``top_n_feature_importance`` ranks features by: the one the monitored
        deployment serves (``monitoring_target.endpoint_deployment_id``, or the deployment whose collected data
        the monitor reads)."""
        deployment = definition.monitoring_target.endpoint_deployment_id
        if deployment:
            endpoint, _, name = deployment.removeprefix("azureml:").partition(":")
            if not name:
                raise InvalidInput(f"monitoring_target.endpoint_deployment_id {deployment!r}: write "
                                   "azureml:<endpoint>:<deployment>")
        else:
            collected = [found for signal in definition.signals().values() if signal.production_data.input_data
                         for found in [self.collection.find(signal.production_data.input_data.path)] if found]
            if not collected:
                raise InvalidInput("features: top_n_feature_importance ranks features by a model's importance; "
                                   "name the deployment that serves it (monitoring_target.endpoint_deployment_id: "
                                   "azureml:<endpoint>:<deployment>), read its collected data, or list the features")
            endpoint, name = collected[0][:2]
        served = self.collection.endpoints.get_deployment(endpoint, name)
        return f"{served.model}:{served.model_version}"

    def data_path(self, path: str, what: str) -> str:
        """``data:name:version`` of a data asset reference (``azureml:name:3``, ``name@latest``, ``name``)."""
        reference = path if path.startswith(DATA_PREFIXES) else f"azureml:{path}"
        resolved = self.jobs.resolve_data_path(DataInput(path=reference), what)
        if not resolved.startswith("data:"):
            raise InvalidInput(f"{what}: {path!r} is not a data asset; monitors read registered data assets "
                               "('modelyard data create' registers one)")
        return resolved

    # -- read ---------------------------------------------------------------------------
    def get(self, name: str) -> Monitor:
        row = get_one(self.context, self._query(name), self._missing(name))
        return self._record(row, self._latest(name))

    def list(self) -> list[Monitor]:
        with self.context.session() as session:
            rows = list(session.scalars(select(MonitorRow).order_by(MonitorRow.name)))
        return [self._record(row, self._latest(row.name)) for row in rows]

    def _latest(self, name: str) -> MonitorHistoryEntry | None:
        """The last period of the newest run."""
        newest = self.history(name, limit=1)
        return newest[-1] if newest else None

    def history(self, name: str, limit: int = HISTORY_RUNS) -> list[MonitorHistoryEntry]:
        """Each period of the monitor's runs, newest run first and its periods in time order."""
        with self.context.session() as session:
            known = session.scalar(select(MonitorRow.id).where(MonitorRow.name == name))
            runs = select(JobRow).where(JobRow.type == "monitor", JobRow.experiment_name == name)
            rows = [row for row in session.scalars(runs.order_by(JobRow.id.desc()).limit(limit))
                    if (row.properties or {}).get(MONITOR_PROPERTY) == name]
        if known is None and not rows:
            raise NotFound(self._missing(name))
        return [entry for row in rows for entry in self._entries(row)]

    def result(self, name: str, job: str) -> MonitorRunResult:
        """The stored result of run ``job`` of monitor ``name``."""
        row = self.jobs.get_row(job)
        if row.type != "monitor" or (row.properties or {}).get(MONITOR_PROPERTY) != name:
            raise NotFound(f"job '{job}' is not a run of monitor '{name}'; 'modelyard monitor history {name}' "
                           "lists them")
        if row.status != JobStatus.COMPLETED:
            raise Conflict(f"monitor run '{job}' is {row.status}" + (f": {row.error}" if row.error else
                                                                    "; wait for it to complete"))
        return self._stored(job)

    def _stored(self, job: str) -> MonitorRunResult:
        with self.context.artifacts.open(result_key(job)) as handle:
            return MonitorRunResult.model_validate(json.load(handle))

    def _entries(self, row: JobRow) -> list[MonitorHistoryEntry]:
        base = dict(job=row.name, job_status=row.status, created_at=as_utc(row.created_at))
        if row.status != JobStatus.COMPLETED:
            return [MonitorHistoryEntry(**base, message=row.error)]
        return [MonitorHistoryEntry(**base, window_start=period.window_start, window_end=period.window_end,
                                    status=period.status, message=period.message,
                                    failed_features={signal: result.failed_features
                                                     for signal, result in period.signals.items()
                                                     if result.failed_features},
                                    worst_metrics={signal: result.worst_metrics()
                                                   for signal, result in period.signals.items()
                                                   if result.features})
                for period in self._stored(row.name).periods]

    # -- change -------------------------------------------------------------------------
    def delete(self, name: str) -> None:
        """Remove the monitor; its runs stay as jobs."""
        with self.context.session() as session:
            session.delete(one_or_not_found(session, self._query(name), self._missing(name)))

    def run(self, name: str, request: MonitorRunRequest, now: datetime | None = None,
            properties: dict[str, Any] | None = None, tags: dict[str, str] | None = None) -> str:
        """Queue one run of the stored monitor ``name``; its job's name."""
        row = get_one(self.context, self._query(name), self._missing(name))
        definition = MonitorDefinition.model_validate({k: v for k, v in row.spec.items()
                                                       if k in MonitorDefinition.model_fields})
        return self.submit(name, definition, request, now, properties, tags)

    def submit(self, name: str, definition: MonitorDefinition, request: MonitorRunRequest,
               now: datetime | None = None, properties: dict[str, Any] | None = None,
               tags: dict[str, str] | None = None) -> str:
        """Queue a run of ``definition`` (stored, or a schedule's inline one) as monitor ``name``'s job."""
        now = now or datetime.now(timezone.utc)
        if request.start or request.end:
            for signal_name, signal in definition.signals().items():
                if not signal.production_data.timestamp_column:
                    raise InvalidInput(f"monitor '{name}': signal '{signal_name}' has no production timestamp_column, "
                                       "so it cannot be cut into windows; give monitoring_target.production_data."
                                       "timestamp_column, or run without --start/--end/--backfill")
        periods = periods_between(request.start, request.end, definition.frequency) if request.backfill \
            else [(request.start, request.end)]
        compute_name = request.compute or definition.compute_name() or LOCAL_COMPUTE
        compute = self.jobs.checked_compute(compute_name, "compute")
        pinned = self._production_pinned(definition)
        model = self.importance_model(definition) if definition.ranks_by_importance() else None
        spec = MonitorJob(display_name=f"monitor {name}", experiment_name=name, compute=compute_name,
                          outputs={MONITOR_OUTPUT: None}, monitor=name, definition=pinned, periods=periods, now=now,
                          model=model)
        job = new_job(name=job_name(), type="monitor", display_name=spec.display_name, experiment_name=name,
                      compute=compute_name, tags=tags or {}, parent=None, spec=spec.model_dump(mode="json", by_alias=True),
                      properties={"compute_type": compute.type, MONITOR_PROPERTY: name, **(properties or {})})
        queue(job)
        with self.context.session() as session:
            session.add(job)
        return job.name

    def _production_pinned(self, definition: MonitorDefinition) -> MonitorDefinition:
        """Production data read at this run: each signal's asset pinned to its current version."""
        signals = {}
        for name, signal in definition.signals().items():
            data = signal.production_data
            if self.collection.find(data.input_data.path) is not None:
                signals[name] = signal  # read as it is at the run, windowed by its timestamps
                continue
            path = self.data_path(data.input_data.path, f"production data of signal '{name}'")
            signals[name] = signal.model_copy(update={
                "production_data": _with_path(data, "azureml:" + path.removeprefix("data:"))})
        return definition.model_copy(update={"monitoring_signals": signals})

    # -- records ------------------------------------------------------------------------
    @staticmethod
    def _query(name: str):
        return select(MonitorRow).where(MonitorRow.name == name)

    @staticmethod
    def _missing(name: str) -> str:
        return f"monitor '{name}' not found; 'modelyard monitor list' shows the monitors"

    @staticmethod
    def _record(row: MonitorRow, latest: MonitorHistoryEntry | None) -> Monitor:
        spec = row.spec
        return Monitor(name=row.name, display_name=spec.get("display_name"), description=spec.get("description"),
                       tags=spec.get("tags") or {}, definition={k: v for k, v in spec.items()
                                                                if k in MonitorDefinition.model_fields},
                       created_at=as_utc(row.created_at), latest=latest)


def _with_path(data: MonitorData, path: str) -> MonitorData:
    kind = data.input_data.type if data.input_data else "mltable"
    return data.model_copy(update={"input_data": MonitorInputData(path=path, type=kind)})


def periods_between(start: datetime, end: datetime, frequency: Frequency) -> list[tuple[datetime, datetime]]:
    """[start, end) cut into periods of ``frequency`` counted from start; the last one ends at ``end``."""
    bounds = [start]
    while bounds[-1] < end:
        if len(bounds) > MAX_PERIODS:
            raise InvalidInput(f"a backfill from {start.isoformat()} to {end.isoformat()} makes more than "
                               f"{MAX_PERIODS} periods of a {frequency}; use a shorter range or a longer frequency")
        bounds.append(min(_after(start, len(bounds), frequency), end))
    return list(zip(bounds, bounds[1:]))


def _after(start: datetime, periods: int, frequency: Frequency) -> datetime:
    """``periods`` periods after ``start``; a month later than the 31st is the month's last day."""
    if frequency == "day":
        return start + timedelta(days=periods)
    if frequency == "week":
        return start + timedelta(weeks=periods)
    import calendar

    year, month = divmod(start.month - 1 + periods, 12)
    year, month = start.year + year, month + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))

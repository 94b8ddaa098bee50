"""Shapes of the monitor noun: a definition in Azure ML v2's ``create_monitor`` shape, its runs and their results.

A monitor names its signals (``spec.monitor.MonitorSignal``) and, under ``monitoring_target``, the production
data (a data asset with a timestamp column) and the reference data (a data asset version, e.g. the training
data) that signals without their own ``input_data`` use. Each run is a job (type ``monitor``) over one or more
periods (``frequency``: day, week or month, for a backfill in the 2019 dataset-monitor style); its result is
the job's output ``monitor/result.json``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from modelyard.spec._common import Name, Record, Spec
from modelyard.spec.job import _JobBase
from modelyard.spec.job_status import JobStatus
from modelyard.spec.monitor import MonitorData, MonitorSignal, SignalResult, TopFeatures, WorstMetric

Frequency = Literal["day", "week", "month"]
PeriodStatus = Literal["passed", "failed", "no_production_data"]
MONITOR_OUTPUT = "monitor"
MONITOR_PROPERTY = "modelyard.monitor"  # the job property naming the monitor a run belongs to


class MonitoringTarget(Spec):
    ml_task: Literal["classification", "regression"] | None = None
    endpoint_deployment_id: str | None = Field(None, description="azureml:<endpoint>:<deployment>; its collected "
                                                                 "data is read as production_data")
    production_data: MonitorData | None = Field(None, description="what signals without their own production "
                                                                 "input_data compare: a data asset with a "
                                                                 "timestamp_column")
    reference_data: MonitorData | None = Field(None, description="the default reference: a data asset version, "
                                                                "e.g. the training data")


class MonitorDefinition(Spec):
    """Azure ML v2's ``create_monitor``: what a monitor compares and how (a schedule's action takes it inline)."""

    compute: str | dict[str, Any] | None = Field(None, description="compute target name (default 'local'); "
                                                                   "Azure's serverless {instance_type} runs locally")
    monitoring_target: MonitoringTarget = Field(default_factory=MonitoringTarget)
    monitoring_signals: dict[Name, MonitorSignal] = Field(min_length=1)
    frequency: Frequency = Field("day", description="the period of one result in a backfill")
    alert_notification: dict[str, Any] | None = Field(None, description="Azure's emails; kept, not sent yet")

    def signals(self) -> dict[str, MonitorSignal]:
        """The signals with the target's production and reference data filled in where they give none."""
        target = self.monitoring_target
        return {name: signal.model_copy(update={
            "production_data": _inherit(signal.production_data, target.production_data),
            "reference_data": _inherit(signal.reference_data, target.reference_data)})
            for name, signal in self.monitoring_signals.items()}

    def ranks_by_importance(self) -> bool:
        """Whether a signal picks its features by the model's importance (``top_n_feature_importance``)."""
        return any(isinstance(signal.features, TopFeatures) for signal in self.monitoring_signals.values())

    def compute_name(self) -> str | None:
        return self.compute.removeprefix("azureml:") if isinstance(self.compute, str) else None


def _inherit(own: MonitorData, default: MonitorData | None) -> MonitorData:
    if own.input_data is not None or default is None:
        return own
    given = own.model_dump(exclude_unset=True, exclude={"input_data"})
    return default.model_copy(update={key: getattr(own, key) for key in given})


class MonitorCreate(MonitorDefinition):
    schema_: str | None = Field(None, alias="$schema")
    name: Name
    display_name: str | None = None
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)


class MonitorRunRequest(Spec):
    """One run over [start, end) (default: the signals' own data windows), or with ``backfill`` one result per
    period of the monitor's frequency between start and end."""

    start: datetime | None = None
    end: datetime | None = None
    backfill: bool = False
    compute: str | None = None

    @field_validator("start", "end")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        """A time without an offset is UTC, as in the signals' data windows."""
        return value.replace(tzinfo=timezone.utc) if value is not None and value.tzinfo is None else value

    @model_validator(mode="after")
    def _window(self) -> "MonitorRunRequest":
        if self.backfill and (self.start is None or self.end is None):
            raise ValueError("a backfill needs start and end, e.g. --backfill 2026-01-01 2026-02-01")
        if self.start and self.end and self.start >= self.end:
            raise ValueError(f"start {self.start.isoformat()} must be before end {self.end.isoformat()}")
        return self


class MonitorJob(_JobBase):
    """The job a monitor run is: its definition with data pinned to versions, and the periods it evaluates."""

    type: Literal["monitor"] = "monitor"
    monitor: str
    definition: MonitorDefinition
    periods: list[tuple[datetime | None, datetime | None]] = Field(
        description="[start, end) windows of the production data; [null, null]: the signals' own windows")
    now: datetime = Field(description="the moment lookback windows end at (the schedule's tick, or submission)")
    model: str | None = Field(None, description="name:version of the model whose global feature importance picks "
                                                "top_n_feature_importance features (the monitored deployment's)")


class MonitorPeriodResult(Record):
    window_start: datetime | None = None
    window_end: datetime | None = None
    status: PeriodStatus
    message: str
    signals: dict[str, SignalResult]


class MonitorRunResult(Record):
    monitor: str
    job: str
    periods: list[MonitorPeriodResult]


class MonitorHistoryEntry(Record):
    """One period of one run: the job's status, and once it completed the period's outcome."""

    job: str
    job_status: JobStatus
    created_at: datetime
    window_start: datetime | None = None
    window_end: datetime | None = None
    status: PeriodStatus | None = Field(None, description="null until the job completed")
    message: str | None = None
    failed_features: dict[str, list[str]] = Field(default_factory=dict, description="signal -> features that "
                                                                                    "failed")
    worst_metrics: dict[str, list[WorstMetric]] = Field(default_factory=dict, description="signal -> its checked "
                                                        "metrics, each at its worst feature")


class Monitor(Record):
    name: str
    display_name: str | None = None
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    definition: dict[str, Any] = Field(description="the monitor as created, reference data pinned to its version")
    created_at: datetime
    latest: MonitorHistoryEntry | None = Field(None, description="the newest period of the newest run")

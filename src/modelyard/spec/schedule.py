"""Shapes of schedules in Azure ML v2's schedule YAML: a cron or recurrence trigger and a ``create_job`` action, or
a ``create_monitor`` action (a monitor definition inline as Azure has it, or ``azureml:<monitor name>``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Union
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, BeforeValidator, Field, field_validator, model_validator

from modelyard.spec._common import Name, Record, Spec
from modelyard.spec.monitor_definition import MonitorDefinition

FREQUENCIES = ("minute", "hour", "day", "week", "month")
WEEK_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SCHEDULE_TAG = "modelyard.schedule"  # the tag (and property) naming the schedule that started a job
# Azure's YAML names Windows time zones; the common ones map to their IANA zone (others: use the IANA name).
WINDOWS_ZONES = {
    "Dateline Standard Time": "Etc/GMT+12", "Hawaiian Standard Time": "Pacific/Honolulu",
    "Alaskan Standard Time": "America/Anchorage", "Pacific Standard Time": "America/Los_Angeles",
    "US Mountain Standard Time": "America/Phoenix", "Mountain Standard Time": "America/Denver",
    "Central Standard Time": "America/Chicago", "Eastern Standard Time": "America/New_York",
    "Atlantic Standard Time": "America/Halifax", "E. South America Standard Time": "America/Sao_Paulo",
    "GMT Standard Time": "Europe/London", "Greenwich Standard Time": "Atlantic/Reykjavik",
    "W. Europe Standard Time": "Europe/Berlin", "Romance Standard Time": "Europe/Paris",
    "Central Europe Standard Time": "Europe/Budapest", "Central European Standard Time": "Europe/Warsaw",
    "GTB Standard Time": "Europe/Bucharest", "FLE Standard Time": "Europe/Kiev",
    "Russian Standard Time": "Europe/Moscow", "India Standard Time": "Asia/Kolkata",
    "China Standard Time": "Asia/Shanghai", "Singapore Standard Time": "Asia/Singapore",
    "Tokyo Standard Time": "Asia/Tokyo", "Korea Standard Time": "Asia/Seoul",
    "AUS Eastern Standard Time": "Australia/Sydney", "New Zealand Standard Time": "Pacific/Auckland",
}
CRON_EXAMPLE = "five fields 'minute hour day-of-month month day-of-week', e.g. '0 3 * * *' for 03:00 every day"


def time_zone(name: str) -> ZoneInfo:
    """The zone of an IANA name ('Europe/Paris', 'UTC') or one of Azure's Windows names ('Pacific Standard Time')."""
    try:
        return ZoneInfo(WINDOWS_ZONES.get(name, name))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"time_zone {name!r} is not a time zone; use an IANA name such as 'Europe/Paris' or 'UTC', "
                         "or an Azure name such as 'Pacific Standard Time'") from None


def _as_list(value: Any) -> Any:
    """Azure takes one value or a list for hours, minutes, week_days and month_days."""
    return [value] if isinstance(value, (int, str)) else value


class _TriggerBase(Spec):
    start_time: datetime | None = Field(None, description="e.g. '2026-01-01T03:00:00', in time_zone unless it has "
                                                          "an offset; default: when the schedule is created")
    end_time: datetime | None = Field(None, description="no fire after this moment; default: never ends")
    time_zone: str = Field("UTC", validation_alias=AliasChoices("time_zone", "timezone"))

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        time_zone(value)
        return value


class CronTrigger(_TriggerBase):
    type: Literal["cron"] = "cron"
    expression: str = Field(description=CRON_EXAMPLE)

    @field_validator("expression")
    @classmethod
    def _valid_cron(cls, value: str) -> str:
        from croniter import croniter

        value = " ".join(value.split())
        if len(value.split(" ")) != 5 or not croniter.is_valid(value):
            raise ValueError(f"expression {value!r} is not a valid cron expression: use {CRON_EXAMPLE}")
        return value


Hour = Annotated[int, Field(ge=0, le=23)]
Minute = Annotated[int, Field(ge=0, le=59)]
MonthDay = Annotated[int, Field(ge=1, le=31)]


class RecurrencePattern(Spec):
    """When in each period the schedule fires; hours and minutes default to those of start_time."""

    hours: Annotated[list[Hour], BeforeValidator(_as_list)] = Field(default_factory=list)
    minutes: Annotated[list[Minute], BeforeValidator(_as_list)] = Field(default_factory=list)
    week_days: Annotated[list[str], BeforeValidator(_as_list)] = Field(default_factory=list)
    month_days: Annotated[list[MonthDay], BeforeValidator(_as_list)] = Field(default_factory=list)

    @field_validator("week_days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        days = [day.lower() for day in value]
        unknown = [day for day in days if day not in WEEK_DAYS]
        if unknown:
            raise ValueError(f"week_days {unknown} are not week days; use {', '.join(WEEK_DAYS)}")
        return days


class RecurrenceTrigger(_TriggerBase):
    type: Literal["recurrence"] = "recurrence"
    frequency: str = Field(description="minute, hour, day, week or month")
    interval: int = Field(ge=1, description="fire every `interval` frequency units, e.g. 2 with day: every other day")
    schedule: RecurrencePattern | None = Field(None, validation_alias=AliasChoices("schedule", "pattern"))

    @field_validator("frequency")
    @classmethod
    def _frequency(cls, value: str) -> str:
        if value not in FREQUENCIES:
            raise ValueError(f"frequency {value!r} is not one of {', '.join(FREQUENCIES)} "
                             "(e.g. frequency: day with interval: 1 fires daily)")
        return value

    @field_validator("schedule")
    @classmethod
    def _pattern_applies(cls, value: RecurrencePattern | None, info) -> RecurrencePattern | None:
        frequency = info.data.get("frequency")
        if value is not None and frequency in ("minute", "hour"):
            raise ValueError(f"schedule (hours, minutes, week_days) applies to frequency day, week or month, not "
                             f"{frequency}; remove it or use e.g. frequency: day with schedule: {{hours: [3]}}")
        return value


Trigger = Annotated[Union[CronTrigger, RecurrenceTrigger], Field(discriminator="type")]


class JobReference(Spec):
    """An existing job to run again (``job: azureml:<job name>``) with some of its settings replaced."""

    type: Literal["command", "pipeline", "automl"] | None = None
    job: str = Field(description="azureml:<job name>")
    experiment_name: Name | None = None
    inputs: dict[str, Any] = Field(default_factory=dict)
    outputs: dict[str, Any] = Field(default_factory=dict)
    settings: dict[str, Any] = Field(default_factory=dict, description="pipeline settings, e.g. default_compute")


class ScheduleCreate(Spec):
    schema_: str | None = Field(None, alias="$schema")
    name: Name
    display_name: str | None = None
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    trigger: Trigger
    create_job: Union[JobReference, dict[str, Any], str, None] = Field(
        None, description="a job document (inline; the CLI and SDK also read a path to a job YAML), 'azureml:<job name>' "
                    "to run that job again, or {job: azureml:<job name>, inputs: ...} to run it with new inputs")
    create_monitor: Union[MonitorDefinition, str, None] = Field(
        None, description="a monitor run at each tick instead of a job: the monitor inline (compute, "
                          "monitoring_target, monitoring_signals) or 'azureml:<monitor name>'; lookback windows end "
                          "at the tick")
    on_job_error: Literal["keep_enabled", "disable"] = Field(
        "keep_enabled", description="when the job no longer validates at fire time: record the error and keep "
                                    "firing (as Azure does), or also disable the schedule with the error as reason")

    @field_validator("create_job", mode="before")
    @classmethod
    def _reference(cls, value: Any) -> Any:
        if isinstance(value, dict) and "job" in value and isinstance(value["job"], str):
            return JobReference.model_validate(value)
        return value

    @model_validator(mode="after")
    def _one_action(self) -> "ScheduleCreate":
        if (self.create_job is None) == (self.create_monitor is None):
            raise ValueError("give one action: create_job (a job to submit) or create_monitor (a monitor to run)")
        return self


class ScheduleFire(Record):
    """One firing: when it was due, when it fired, the job it started or why it could not."""

    scheduled_for: datetime | None = Field(None, description="the tick it fired for; none for a manual trigger")
    fired_at: datetime
    job: str | None = None
    error: str | None = None
    manual: bool = False
    missed: int = Field(0, description="ticks that passed while the server was down, covered by this one fire")


class Schedule(Record):
    name: str
    display_name: str | None = None
    description: str | None = None
    tags: dict[str, str] = Field(default_factory=dict)
    trigger: dict[str, Any]
    create_job: Any = None
    create_monitor: Any = None
    on_job_error: str = "keep_enabled"
    enabled: bool
    disabled_reason: str | None = None
    next_fire_times: list[datetime] = Field(default_factory=list, description="the next few, soonest first; "
                                                                              "none while disabled or ended")
    last_fires: list[ScheduleFire] = Field(default_factory=list, description="the latest first")
    created_at: datetime

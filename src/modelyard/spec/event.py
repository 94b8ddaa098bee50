"""Lifecycle events: the CloudEvents 1.0 records services emit, and the one list of their types.

Users name a type by its short name (``job.completed``); the record carries the full CloudEvents
type (``modelyard.job.completed``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from modelyard.errors import InvalidInput
from modelyard.spec._common import Record, Spec
from modelyard.spec.job_status import JobStatus

PREFIX = "modelyard."
CONTENT_TYPE = "application/json"

EVENT_TYPES: dict[str, str] = {
    # one per job status a job can move to (services/job_lifecycle.py emits them)
    **{f"job.{status.lower()}": f"a job became {status}" for status in JobStatus if status != JobStatus.NOT_STARTED},
    "data.version_created": "a data asset version was created",
    "model.registered": "a model version was registered",
    "model.aliased": "an alias (champion, ...) was set on a model version",
    "deployment.created": "an online deployment was created",
    "deployment.updated": "an online deployment's model, instances or settings changed",
    "deployment.traffic_changed": "an online endpoint's traffic or mirror traffic split changed",
    "schedule.fired": "a schedule started its job",
    "monitor.drift_detected": "a monitor run found data or prediction drift above a threshold",
    "monitor.data_quality": "a monitor run found a data quality rate above its threshold",
}
# Sent by ``webhook test`` to one webhook only; no webhook subscribes to it.
PING = "webhook.ping"


def full_type(name: str) -> str:
    """``job.completed`` or ``modelyard.job.completed`` -> ``modelyard.job.completed``; an unknown name is
    refused with the list of the known ones."""
    short = name.strip().removeprefix(PREFIX)
    if short not in EVENT_TYPES:
        raise InvalidInput(f"unknown event type {name!r}; the event types are: {', '.join(EVENT_TYPES)}")
    return PREFIX + short


def short_type(full: str) -> str:
    return full.removeprefix(PREFIX)


class CloudEvent(Record):
    """A CloudEvents 1.0 record in its JSON format; ``sequence`` (an extension attribute) orders them."""

    specversion: str = "1.0"
    id: str
    source: str
    type: str
    subject: str | None = None
    time: datetime
    datacontenttype: str = CONTENT_TYPE
    sequence: int = Field(description="the event's position in the workspace's outbox, increasing")
    data: dict[str, Any] = Field(default_factory=dict)


class EventPage(Record):
    events: list[CloudEvent]
    next_since: int = Field(description="pass as ?since= to get the events after this page")


class EventSettings(Spec):
    """``events:`` in workspace.yaml."""

    retention_days: float = Field(
        30.0, gt=0,
        description="the server deletes events and finished webhook deliveries older than this (audit records "
                    "are never deleted); an event a webhook has still to be sent is kept")

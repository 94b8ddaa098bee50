"""Shapes of webhooks (where events are POSTed) and their deliveries, and how a delivery is signed.

Each delivery is a POST of one CloudEvent (``Content-Type: application/cloudevents+json``) with:

- ``X-Modelyard-Timestamp``: Unix seconds when this attempt was sent;
- ``X-Modelyard-Signature``: ``sha256=`` + hex HMAC-SHA256, keyed with the webhook's secret, of
  ``TIMESTAMP + "." + BODY`` (the body's exact bytes);
- ``X-Modelyard-Webhook`` / ``X-Modelyard-Delivery`` / ``X-Modelyard-Event``: the webhook's name, the
  delivery's id and the event's type.

A receiver recomputes the signature and refuses a timestamp older than a few minutes, so that a
recorded request cannot be replayed later (``verify_signature`` does both).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import datetime

from pydantic import Field

from modelyard.spec._common import Name, Record, Spec

SIGNATURE_HEADER = "X-Modelyard-Signature"
TIMESTAMP_HEADER = "X-Modelyard-Timestamp"
WEBHOOK_HEADER = "X-Modelyard-Webhook"
DELIVERY_HEADER = "X-Modelyard-Delivery"
EVENT_HEADER = "X-Modelyard-Event"
CONTENT_TYPE = "application/cloudevents+json"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``X-Modelyard-Signature`` header of ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(secret: str, body: bytes, timestamp: str, sent: str,
                     tolerance: float = TOLERANCE_SECONDS, now: float | None = None) -> bool:
    """Whether a delivery's headers sign ``body`` with ``secret`` and were sent within ``tolerance`` seconds."""
    if not timestamp.isdigit() or abs((now or time.time()) - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), sent)


class WebhookCreate(Spec):
    name: Name | None = Field(None, description="default: webhook-<random>")
    url: str = Field(description="http(s) URL the events are POSTed to")
    events: list[str] = Field(min_length=1, description="event types (job.completed, model.registered, ...)")
    secret: str | None = Field(None, min_length=16,
                               description="HMAC key of the signatures; default: a new random one, shown once")
    description: str | None = None


class Webhook(Record):
    name: str
    url: str
    events: list[str]
    description: str | None = None
    created_at: datetime
    secret: str | None = Field(None, description="only in the answer to create")


class WebhookDelivery(Record):
    id: int
    webhook: str
    event_id: str
    event_type: str
    status: str = Field(description="Pending, Succeeded or Failed")
    attempts: int
    response_code: int | None = None
    error: str | None = None
    duration_ms: float | None = None
    redelivery_of: int | None = None
    created_at: datetime
    next_attempt_at: datetime | None = None
    finished_at: datetime | None = None


class WebhookSettings(Spec):
    """``webhooks:`` in workspace.yaml."""

    allowed_networks: list[str] = Field(
        default_factory=list,
        description="private networks (CIDR, e.g. 10.0.0.0/8) webhooks may point into; loopback is always allowed")
    timeout_seconds: float = Field(10.0, gt=0, description="one attempt's limit")
    max_attempts: int = Field(6, ge=1, description="attempts before a delivery is marked Failed")
    backoff_seconds: float = Field(2.0, gt=0, description="wait before the 2nd attempt; doubles after each")

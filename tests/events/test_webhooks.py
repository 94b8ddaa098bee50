"""Webhooks against a real server and a real loopback receiver: signed, retried, recorded, redelivered,
not lost across a server kill, and bad input refused with nothing written."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import time

from conftest import configure_webhooks, model_folder, wait_until
from server_fixtures import run_cli

SECRET = "a-test-secret-of-some-length"


def test_a_registered_model_is_posted_signed_as_a_cloudevent(events_server, receiver, workspace_root):
    _, ws = events_server
    hook = ws.webhooks.create(name="registry", url=receiver.url + "/ok", events=["model.registered"], secret=SECRET)
    assert hook.secret == SECRET and ws.webhooks.get("registry").secret is None  # shown once

    model = ws.models.create(name="attrition", path=str(model_folder(workspace_root)))
    request = receiver.wait_for("/ok")[0]

    timestamp = request.headers["X-Modelyard-Timestamp"]
    expected = "sha256=" + hmac.new(SECRET.encode(), timestamp.encode() + b"." + request.body,
                                    hashlib.sha256).hexdigest()
    assert request.headers["X-Modelyard-Signature"] == expected
    assert abs(time.time() - int(timestamp)) < 300
    assert request.headers["Content-Type"] == "application/cloudevents+json"
    event = json.loads(request.body)
    assert event["specversion"] == "1.0" and event["type"] == "modelyard.model.registered"
    assert event["subject"] == f"attrition:{model.version}" and event["data"]["name"] == "attrition"
    assert event["datacontenttype"] == "application/json" and event["id"] and event["source"]

    delivery = wait_until(lambda: [d for d in ws.webhooks.deliveries("registry") if d.status == "Succeeded"],
                          what="the delivery recorded as Succeeded")[0]
    assert (delivery.attempts, delivery.response_code, delivery.event_id) == (1, 200, event["id"])

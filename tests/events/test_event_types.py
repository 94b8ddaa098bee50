"""GET /api/events/types: the types a webhook can subscribe to (the studio's webhook form offers them)."""

from __future__ import annotations

import httpx


def test_the_event_types_a_webhook_can_subscribe_to_are_listed_with_what_emits_them(events_server):
    info, ws = events_server
    types = httpx.get(f"{info.url}/api/events/types").json()
    assert {"job.completed", "job.failed", "model.registered", "deployment.traffic_changed", "schedule.fired"} <= set(types)
    assert types["model.registered"] == "a model version was registered"
    assert "webhook.ping" not in types  # sent by 'webhook test' only; no webhook subscribes to it
    for short in types:  # each one is accepted by a webhook
        ws.webhooks.create(name=f"w-{short.replace('.', '-').replace('_', '-')}", url=f"{info.url}/nowhere", events=[short])
    assert len(ws.webhooks.list()) == len(types)

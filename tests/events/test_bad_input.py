"""Bad webhook and event input is refused with a message that names the fix, and leaves nothing behind."""

from __future__ import annotations

import pytest

from server_fixtures import run_cli

from modelyard.errors import InvalidInput
from modelyard.services._destinations import WEBHOOKS, check_destination


BAD = [
    ("ftp://example.com/hook", "job.completed", "is not an http(s) URL"),
    ("http://no-such-host.invalid/hook", "job.completed", "cannot resolve"),
    ("http://10.1.2.3/hook", "job.completed", "allowed_networks"),
    ("http://169.254.169.254/latest", "model.registered", "private or reserved address"),
    ("http://127.0.0.1:9/hook", "job.finished", "job.completed, job.failed"),
]


def test_bad_webhooks_are_refused_and_not_written(events_server):
    _, ws = events_server
    for url, events, says in BAD:
        done = run_cli("webhook", "create", "--url", url, "--events", events, "--name", "bad")
        assert done.returncode != 0 and says in done.stderr and "Traceback" not in done.stderr, (url, done.stderr)
    assert ws.webhooks.list() == []


def test_the_rest_api_answers_400_naming_the_valid_event_types(events_server):
    info, _ = events_server
    import httpx

    answer = httpx.post(f"{info.url}/api/webhooks", json={"url": "http://127.0.0.1:9/", "events": ["nope"]})
    assert answer.status_code == 400 and "model.registered" in answer.json()["detail"]
    answer = httpx.get(f"{info.url}/api/events", params={"type": "nope"})
    assert answer.status_code == 400 and "job.completed" in answer.json()["detail"]
    answer = httpx.get(f"{info.url}/api/events", params={"since": "yesterday"})
    assert answer.status_code == 400 and "ISO time" in answer.json()["detail"]
    assert httpx.get(f"{info.url}/api/webhooks/missing/deliveries").status_code == 404


def test_a_private_network_is_reachable_only_once_allowed():
    with pytest.raises(InvalidInput, match="10.1.2.3, a private .* under 'webhooks: allowed_networks:'"):
        check_destination("http://10.1.2.3/hook", [], WEBHOOKS)
    check_destination("http://10.1.2.3/hook", ["10.0.0.0/8"], WEBHOOKS)
    check_destination("http://127.0.0.1:8080/hook", [], WEBHOOKS)  # loopback: always
    with pytest.raises(InvalidInput, match="webhooks.allowed_networks: .* CIDR"):
        check_destination("http://10.1.2.3/hook", ["ten-dot"], WEBHOOKS)

"""Webhooks against a real server and a real loopback receiver: signed, retried, recorded, redelivered,
not lost across a server kill, and bad input refused with nothing written."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import time

from .conftest import configure_webhooks, model_folder, wait_until
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


def test_a_hanging_webhook_does_not_hold_up_the_others(workspace_root, receiver):
    from modelyard import Workspace

    from .conftest import start_server

    start_server(workspace_root, timeout_seconds=60)
    receiver.modes["/hang"] = "hang"
    receiver.hang_seconds = 60
    with Workspace(workspace_root) as ws:
        for path in ("/hang", "/ok"):
            ws.webhooks.create(name=path.strip("/"), url=receiver.url + path, events=["model.registered"])
        for text in ("first", "second"):
            ws.models.create(name=f"model-{text}", path=str(model_folder(workspace_root, text)))
        receiver.wait_for("/hang", 2)  # both attempts are in flight, unanswered
        subjects = {json.loads(r.body)["subject"] for r in receiver.wait_for("/ok", 2)}
        assert subjects == {"model-first:1", "model-second:1"}
        assert not receiver.release.is_set()  # delivered while the other webhook still hung
        assert {d.status for d in ws.webhooks.deliveries("hang")} == {"Pending"}
        receiver.release.set()
        wait_until(lambda: {d.status for d in ws.webhooks.deliveries("hang")} == {"Succeeded"},
                   what="the hung deliveries succeeding once answered")


def test_500_and_timeouts_are_retried_then_failed_and_can_be_redelivered(events_server, receiver, workspace_root):
    _, ws = events_server
    receiver.modes.update({"/fail": "fail", "/hang": "hang"})
    receiver.hang_seconds = 5  # past the server's 1 s timeout
    for path in ("/fail", "/hang", "/ok"):
        ws.webhooks.create(name=path.strip("/"), url=receiver.url + path, events=["model.registered"])
    ws.models.create(name="attrition", path=str(model_folder(workspace_root)))

    for name, code, error in (("fail", 500, "HTTP 500"), ("hang", None, "timed out after 1s")):
        delivery = wait_until(lambda: [d for d in ws.webhooks.deliveries(name) if d.status == "Failed"],
                              what=f"the {name} delivery failing")[0]
        assert (delivery.attempts, delivery.response_code) == (3, code) and error in delivery.error
    assert len(receiver.at("/fail")) == 3 and len(receiver.at("/hang")) == 3
    assert [(d.status, d.attempts) for d in ws.webhooks.deliveries("ok")] == [("Succeeded", 1)]
    assert len(receiver.at("/ok")) == 1

    failed = ws.webhooks.deliveries("fail")[0]
    receiver.modes["/fail"] = "ok"  # the receiver was fixed
    again = ws.webhooks.redeliver("fail", failed.id)
    assert again.redelivery_of == failed.id and again.event_id == failed.event_id and again.id != failed.id
    done = wait_until(lambda: [d for d in ws.webhooks.deliveries("fail") if d.id == again.id and
                               d.status == "Succeeded"], what="the redelivery succeeding")[0]
    assert done.attempts == 1 and done.response_code == 200
    assert json.loads(receiver.at("/fail")[-1].body)["id"] == failed.event_id
    assert [d.status for d in ws.webhooks.deliveries("fail") if d.id == failed.id] == ["Failed"]  # kept as it was


def test_events_written_while_no_server_ran_are_delivered_after_a_kill_9(workspace_root, receiver):
    """The outbox: a server killed with SIGKILL, a model registered meanwhile (in-process, no server),
    delivered once a server runs again."""
    from modelyard import Workspace
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    from .conftest import start_server

    info = start_server(workspace_root)
    with Workspace(workspace_root) as ws:
        ws.webhooks.create(name="registry", url=receiver.url + "/ok", events=["model.registered", "job.completed"])
    os.kill(info.pid, signal.SIGKILL)
    wait_until(lambda: servers.running(workspaces.load(workspace_root)) is None, what="the killed server gone")

    with Workspace(workspace_root) as ws:
        assert ws.embedded  # no server: nothing delivers
        ws.models.create(name="offline", path=str(model_folder(workspace_root)))
        assert ws.events.list(types=["model.registered"]).events[-1].subject == "offline:1"
    assert receiver.at("/ok") == []

    start_server(workspace_root)
    event = json.loads(receiver.wait_for("/ok")[0].body)
    assert (event["type"], event["subject"]) == ("modelyard.model.registered", "offline:1")


def test_a_completed_job_is_delivered(events_server, receiver):
    _, ws = events_server
    ws.webhooks.create(name="jobs", url=receiver.url + "/ok", events=["job.completed", "job.failed"])
    job = ws.jobs.create({"type": "command", "command": "true", "compute": "local"})
    event = json.loads(receiver.wait_for("/ok", timeout=120)[0].body)
    assert (event["type"], event["subject"], event["data"]["status"]) == ("modelyard.job.completed", job.name,
                                                                          "Completed")
    kinds = [e.type for e in ws.events.list(limit=1000).events if e.subject == job.name]
    assert kinds[0] == "modelyard.job.queued" and kinds[-1] == "modelyard.job.completed"

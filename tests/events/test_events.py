"""The outbox: events are written with their change or not at all; listed in pages; streamed live."""

from __future__ import annotations

import json
import threading
import time

import pytest

from .conftest import model_folder
from server_fixtures import run_cli


@pytest.fixture
def context(workspace_root):
    from modelyard.services._context import ServiceContext
    from modelyard.services import workspace as workspaces

    context = ServiceContext.open(workspaces.load(workspace_root))
    yield context
    context.close()


def test_a_job_move_and_its_event_commit_together(context):
    from modelyard.services import job_lifecycle as lifecycle
    from modelyard.services.events import EventService

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with context.session() as session:
            row = lifecycle.new_job(name="rolled-back", type="command", experiment_name="e", compute="local", spec={})
            lifecycle.queue(row)
            session.add(row)
            session.flush()
            raise Boom
    assert EventService(context).list().events == []

    with context.session() as session:
        row = lifecycle.new_job(name="kept", type="command", experiment_name="e", compute="local", spec={})
        lifecycle.queue(row)
        session.add(row)
    lifecycle.change(context, "kept", lambda job: lifecycle.cancel(job, "not needed"))
    events = EventService(context).list().events
    assert [(e.type, e.subject) for e in events] == [("modelyard.job.queued", "kept"),
                                                     ("modelyard.job.canceled", "kept")]
    assert events[1].data["error"] == "not needed" and events[0].sequence < events[1].sequence


def test_events_are_paged_filtered_and_streamed(events_server, workspace_root):
    _, ws = events_server
    streamed = []

    def follow():
        for event in ws_stream.events.stream(types=["model.aliased"]):
            streamed.append(event)
            return

    from modelyard import Workspace

    ws_stream = Workspace(workspace_root)
    follower = threading.Thread(target=follow, daemon=True)
    follower.start()
    for text in ("one", "two", "three"):
        ws.models.create(name=f"m-{text}", path=str(model_folder(workspace_root, text)))

    first = ws.events.list(types=["model.registered"], limit=2)
    assert [e.subject for e in first.events] == ["m-one:1", "m-two:1"]
    rest = ws.events.list(since=first.next_since, types=["model.registered"])
    assert [e.subject for e in rest.events] == ["m-three:1"]
    assert ws.events.list(since=rest.next_since, types=["model.registered"]).events == []

    deadline = time.monotonic() + 60
    while not streamed and time.monotonic() < deadline:  # the stream shows only events after it connected
        ws.models.update("m-two:1", set_aliases=["champion"])
        follower.join(timeout=1)
    assert streamed[0].type == "modelyard.model.aliased" and streamed[0].data["alias"] == "champion"
    ws_stream.close()

    done = run_cli("events", "list", "--type", "model.registered,model.aliased", "-o", "json")
    types = [event["type"] for event in json.loads(done.stdout)["events"]]
    assert types.count("modelyard.model.registered") == 3 and "modelyard.model.aliased" in types
    assert set(types) == {"modelyard.model.registered", "modelyard.model.aliased"}


def test_deployments_emit_created_updated_and_traffic_changed(ws, context, workspace_root):
    from modelyard.services.endpoints import EndpointService
    from modelyard.services.events import EventService
    from modelyard.spec.endpoint import (
        OnlineDeploymentCreate, OnlineDeploymentUpdate, OnlineEndpointCreate, OnlineEndpointUpdate,
    )

    for text in ("v1", "v2"):
        ws.models.create(name="m", path=str(model_folder(workspace_root, text)))
    endpoints = EndpointService(context)
    endpoints.create(OnlineEndpointCreate(name="ep"))
    endpoints.create_deployment(OnlineDeploymentCreate(name="blue", endpoint_name="ep", model="m:1"))
    endpoints.create_deployment(OnlineDeploymentCreate(name="green", endpoint_name="ep", model="m:1"))
    endpoints.update_deployment("ep", "green", OnlineDeploymentUpdate(model="m:2"))
    endpoints.update("ep", OnlineEndpointUpdate(traffic={"blue": 50, "green": 50}))
    endpoints.update("ep", OnlineEndpointUpdate(description="no traffic change"))

    events = [(e.type.removeprefix("modelyard."), e.subject)
              for e in EventService(context).list(types=["deployment.created", "deployment.updated",
                                                         "deployment.traffic_changed"]).events]
    assert events == [("deployment.created", "ep/blue"), ("deployment.traffic_changed", "ep"),
                      ("deployment.created", "ep/green"),
                      ("deployment.updated", "ep/green"), ("deployment.traffic_changed", "ep")]
    last = EventService(context).list(types=["deployment.traffic_changed"]).events[-1]
    assert last.data["traffic"] == {"blue": 50, "green": 50}

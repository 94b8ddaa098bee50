"""Online endpoints against the real server: keys, both workshop bodies, traffic, blue/green, restarts."""

import os
import signal
import threading
import time

import httpx
import pytest

from modelyard import server as servers
from modelyard.errors import Conflict, InvalidInput, NotFound
from modelyard.services import workspace as workspaces

from workshop_rows import AUTOML_ROW, WORKSHOP_ROW


def scoring(ws, name):
    endpoint = ws.online_endpoints.get(name)
    return str(ws._api.http.base_url).rstrip("/") + endpoint.scoring_uri


def test_the_workshop_requests_with_a_key(served):
    _, ws = served
    ws.online_endpoints.create(name="ibm-attrition-aks")
    deployment = ws.online_endpoints.create_deployment(name="blue", endpoint_name="ibm-attrition-aks",
                                                       model="attrition:1")
    assert deployment.state == "Succeeded" and deployment.instances[0].state == "Ready"
    key = ws.online_endpoints.get_credentials("ibm-attrition-aks").primary_key
    url = scoring(ws, "ibm-attrition-aks")
    auth = {"Authorization": f"Bearer {key}"}
    answer = httpx.post(url, json={"data": [WORKSHOP_ROW]}, headers=auth)
    assert answer.status_code == 200 and answer.json()["result"][0] in ("Yes", "No")
    assert answer.headers["azureml-model-deployment"] == "blue" and "warnings" not in answer.json()
    automl = httpx.post(url, json={"data": [AUTOML_ROW]}, headers=auth)
    assert automl.status_code == 200 and len(automl.json()["result"]) == 1
    # "OverTime": 1 is the unseen category "1": answered, and said in the answer and the endpoint's metrics
    assert automl.json()["warnings"] == [{"row": 0, "column": "OverTime", "value": "1",
                                          "message": "value never seen in training; treated as unknown"}]
    assert ws.online_endpoints.metrics("ibm-attrition-aks")["ibm-attrition-aks/blue"]["unseen_requests"] == 1
    prometheus = ws._api.http.get("/metrics").text
    assert 'modelyard_endpoint_unseen_requests_total{endpoint="ibm-attrition-aks",deployment="blue"} 1' in prometheus
    both = httpx.post(url.replace("/api/v1/service/", "/endpoints/"), json={"input_data": [WORKSHOP_ROW]},
                      headers=auth)
    assert both.status_code == 200
    proba = httpx.post(url, params={"proba": "true"}, json={"data": [WORKSHOP_ROW]}, headers=auth).json()
    assert abs(sum(proba["result"][0]) - 1) < 1e-9
    swagger = httpx.get(url.replace("/score", "/swagger.json"), headers=auth).json()
    assert "Age" in str(swagger)
    assert ws.online_endpoints.invoke("ibm-attrition-aks", [WORKSHOP_ROW])["result"] == answer.json()["result"]


@pytest.mark.parametrize("headers, body, status, fragment", [
    ({}, {"data": [WORKSHOP_ROW]}, 401, "key"),
    ({"Authorization": "Bearer wrong"}, {"data": [WORKSHOP_ROW]}, 401, "key"),
    (None, {"data": [{**WORKSHOP_ROW, "Age": "forty"}]}, 400, "forty"),
    (None, {"data": [{k: v for k, v in WORKSHOP_ROW.items() if k != "Age"}]}, 400, "Age"),
    (None, {"data": []}, 400, ""),
    (None, [1, 2], 400, ""),
])
def test_bad_requests(served, headers, body, status, fragment):
    _, ws = served
    if not any(e.name == "badreq" for e in ws.online_endpoints.list()):
        ws.online_endpoints.create(name="badreq")
        ws.online_endpoints.create_deployment(name="only", endpoint_name="badreq", model="attrition:1")
    key = ws.online_endpoints.get_credentials("badreq").primary_key
    reply = httpx.post(scoring(ws, "badreq"), json=body,
                       headers=headers if headers is not None else {"Authorization": f"Bearer {key}"})
    assert reply.status_code == status
    assert fragment in reply.text and "Traceback" not in reply.text
    if status == 401:
        assert key not in reply.text


def test_keys_regenerate_and_token_auth(served):
    _, ws = served
    ws.online_endpoints.create(name="keys")
    ws.online_endpoints.create_deployment(name="d", endpoint_name="keys", model="attrition:1")
    old = ws.online_endpoints.get_credentials("keys").primary_key
    new = ws.online_endpoints.regenerate_keys("keys", "primary").primary_key
    assert new != old
    url = scoring(ws, "keys")
    assert httpx.post(url, json={"data": [WORKSHOP_ROW]}, headers={"Authorization": f"Bearer {old}"}).status_code == 401
    assert httpx.post(url, json={"data": [WORKSHOP_ROW]}, headers={"Authorization": f"Bearer {new}"}).status_code == 200
    ws.online_endpoints.create(name="tokens", auth_mode="token")
    ws.online_endpoints.create_deployment(name="d", endpoint_name="tokens", model="attrition:1")
    token = ws.online_endpoints.get_credentials("tokens").access_token
    assert token and ws.online_endpoints.get_credentials("tokens").primary_key is None
    url = scoring(ws, "tokens")
    assert httpx.post(url, json={"data": [WORKSHOP_ROW]}, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert httpx.post(url, json={"data": [WORKSHOP_ROW]}, headers={"Authorization": f"Bearer {token}x"}).status_code == 401


def test_traffic_split_header_and_blue_green_update_without_failures(served):
    _, ws = served
    ws.online_endpoints.create(name="split")
    ws.online_endpoints.create_deployment(name="blue", endpoint_name="split", model="attrition:1")
    ws.online_endpoints.create_deployment(name="green", endpoint_name="split", model="attrition:2")
    with pytest.raises(InvalidInput, match="add up to 100"):
        ws.online_endpoints.update("split", traffic={"blue": 50, "green": 40})
    with pytest.raises(InvalidInput, match="no deployment named"):
        ws.online_endpoints.update("split", traffic={"blue": 50, "purple": 50})
    ws.online_endpoints.update("split", traffic={"blue": 50, "green": 50})
    time.sleep(1.2)
    key = ws.online_endpoints.get_credentials("split").primary_key
    url, auth = scoring(ws, "split"), {"Authorization": f"Bearer {key}"}
    for _ in range(60):
        assert httpx.post(url, json={"data": [WORKSHOP_ROW]}, headers=auth).status_code == 200
    counts = ws.online_endpoints.metrics("split")
    assert counts["split/blue"]["requests"] > 10 and counts["split/green"]["requests"] > 10
    pinned = httpx.post(url, json={"data": [WORKSHOP_ROW]}, headers={**auth, "azureml-model-deployment": "green"})
    assert pinned.status_code == 200 and pinned.headers["azureml-model-deployment"] == "green"
    with pytest.raises(Conflict, match="traffic"):
        ws.online_endpoints.delete_deployment("split", "green")

    failures, stop = [], threading.Event()

    def load():
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                reply = client.post(url, json={"data": [WORKSHOP_ROW]}, headers=auth)
                if reply.status_code != 200:
                    failures.append(reply.status_code)

    worker = threading.Thread(target=load)
    worker.start()
    try:
        updated = ws.online_endpoints.update_deployment("split", "blue", model="attrition:2", instance_count=2)
    finally:
        time.sleep(1)
        stop.set()
        worker.join(30)
    assert updated.model_version == 2 and len(updated.instances) == 2
    assert failures == [], f"requests failed during the blue/green update: {failures[:5]}"


def test_a_killed_scoring_process_is_restarted_and_endpoints_survive_a_server_restart(served):
    root, ws = served
    ws.online_endpoints.create(name="sturdy")
    first = ws.online_endpoints.create_deployment(name="d", endpoint_name="sturdy", model="attrition:1")
    os.kill(first.instances[0].pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        instances = ws.online_endpoints.get_deployment("sturdy", "d").instances
        if instances and instances[0].restarts >= 1 and instances[0].state == "Ready":
            break
        time.sleep(0.3)
    assert instances[0].restarts >= 1 and instances[0].state == "Ready"
    key = ws.online_endpoints.get_credentials("sturdy").primary_key
    location = workspaces.load(root)
    servers.stop(location)
    servers.start_detached(location, "127.0.0.1", 0)
    from modelyard import Workspace

    fresh = Workspace(root)
    ws._bind(fresh._api)
    deadline = time.monotonic() + 90
    status = None
    while time.monotonic() < deadline:
        status = httpx.post(scoring(ws, "sturdy"), json={"data": [WORKSHOP_ROW]},
                            headers={"Authorization": f"Bearer {key}"}).status_code
        if status == 200:
            break
        time.sleep(0.5)
    assert status == 200, "the endpoint came back after the server restarted, with the same key"


def test_unknown_things_are_clear_errors(served):
    _, ws = served
    with pytest.raises(NotFound):
        ws.online_endpoints.get("nope")
    ws.online_endpoints.create(name="errors")
    with pytest.raises(InvalidInput, match="model"):
        ws.online_endpoints.create_deployment(name="d", endpoint_name="errors", model="attrition:99")
    with pytest.raises(Conflict):
        ws.online_endpoints.create(name="errors")
    reply = httpx.post(scoring(ws, "errors"), json={"data": [WORKSHOP_ROW]},
                       headers={"Authorization": f"Bearer {ws.online_endpoints.get_credentials('errors').primary_key}"})
    assert reply.status_code == 503 and "no ready deployment" in reply.text

"""Online and batch deployments have one shape: the same verbs with the same arguments in the SDK
(Azure ML v2's ``get(name, endpoint_name)``), the same routes and status codes in REST, the same
commands in the CLI, and the old spellings still answer."""

from __future__ import annotations

import inspect
import json

import pytest

from modelyard.errors import Conflict, NotFound
from server_fixtures import run_cli

KINDS = ("online", "batch")
VERBS = ("create", "create_or_update", "get", "list", "update", "delete")


def _operations(ws, kind: str):
    return ws.online_deployments if kind == "online" else ws.batch_deployments


def _endpoint(ws, kind: str, name: str) -> None:
    if kind == "online":
        ws.online_endpoints.create(name=name)
    else:
        ws.batch_endpoints.create_or_update(name=name)


def test_the_sdk_verbs_take_the_same_arguments_for_both_kinds(served):
    _, ws = served
    online, batch = ws.online_deployments, ws.batch_deployments
    for verb in VERBS:
        assert inspect.signature(getattr(online, verb)) == inspect.signature(getattr(batch, verb)), verb
    assert list(inspect.signature(online.get).parameters) == ["name", "endpoint_name"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_sdk_creates_replaces_updates_lists_and_deletes_either_kind(served, kind: str):
    _, ws = served
    endpoint = f"{kind}-sdk"
    _endpoint(ws, kind, endpoint)
    deployments = _operations(ws, kind)
    assert deployments.create(name="blue", endpoint_name=endpoint, model="attrition:1").model_version == 1
    with pytest.raises(Conflict, match=f"'blue' of {kind} endpoint '{endpoint}' exists already"):
        deployments.create(name="blue", endpoint_name=endpoint, model="attrition:2")
    assert deployments.get("blue", endpoint).model_version == 1, "a refused create changes nothing"
    assert deployments.update("blue", endpoint, model="attrition:2").model_version == 2
    assert deployments.get(name="blue", endpoint_name=endpoint).model_version == 2
    replaced = deployments.create_or_update(name="blue", endpoint_name=endpoint, model="attrition:1")
    assert (replaced.name, replaced.model_version) == ("blue", 1)
    deployments.create_or_update(name="green", endpoint_name=endpoint, model="attrition:2")
    assert [d.name for d in deployments.list(endpoint)] == ["blue", "green"]
    deployments.delete("green", endpoint)
    assert [d.name for d in deployments.list(endpoint)] == ["blue"]
    with pytest.raises(NotFound, match=f"'modelyard {kind}-deployment list --endpoint-name {endpoint}'"):
        deployments.get("green", endpoint)
    with pytest.raises(NotFound, match=f"{kind} endpoint 'nowhere' not found; 'modelyard {kind}-endpoint list'"):
        deployments.list("nowhere")


@pytest.mark.parametrize("kind", KINDS)
def test_rest_has_the_same_routes_and_status_codes_for_both_kinds(served, kind: str):
    _, ws = served
    endpoint = f"{kind}-rest"
    _endpoint(ws, kind, endpoint)
    root = f"/api/{kind}-endpoints/{endpoint}/deployments"
    body = {"name": "blue", "endpoint_name": endpoint, "model": "attrition:1"}
    http = ws._api.http
    assert http.post(root, json=body).status_code == 201
    assert http.post(root, json=body).status_code == 409
    assert http.put(f"{root}/blue", json={**body, "model": "attrition:2"}).status_code == 200
    assert http.get(f"{root}/blue").json()["model_version"] == 2
    assert http.put(f"{root}/green", json={**body, "name": "green"}).status_code == 201
    assert [d["name"] for d in http.get(root).json()] == ["blue", "green"]
    patched = http.patch(f"{root}/green", json={"model": "attrition:2"})
    assert patched.status_code == 200 and patched.json()["model_version"] == 2
    assert http.delete(f"{root}/green").status_code == 204
    assert http.get(f"{root}/green").status_code == 404
    assert http.get(f"/api/{kind}-endpoints/nowhere/deployments").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_the_cli_has_the_same_commands_for_both_kinds_and_keeps_the_old_spellings(served, kind: str):
    root, ws = served
    endpoint = f"{kind}-cli"
    _endpoint(ws, kind, endpoint)

    def cli(*args: str):
        done = run_cli(f"{kind}-deployment", *args, cwd=root)
        assert done.returncode == 0, done.stderr
        return done.stdout

    created = cli("create", "--name", "blue", "--endpoint-name", endpoint, "--model", "attrition:1", "-o", "json")
    assert json.loads(created)["model_version"] == 1
    updated = cli("update", "--name", "blue", "-e", endpoint, "--model", "attrition:2", "-o", "json")  # az ml
    assert json.loads(updated)["model_version"] == 2
    shown = cli("show", "blue", "--endpoint-name", endpoint, "-o", "json")  # the name first: the old spelling
    assert json.loads(shown)["model_version"] == 2
    assert json.loads(cli("show", "-n", "blue", "-e", endpoint, "-o", "json"))["name"] == "blue"
    assert [d["name"] for d in json.loads(cli("list", "-e", endpoint, "-o", "json"))] == ["blue"]
    twice = run_cli(f"{kind}-deployment", "show", "blue", "--name", "green", "-e", endpoint, cwd=root)
    assert twice.returncode == 1 and "named twice" in twice.stderr and "Traceback" not in twice.stderr
    if kind == "online":
        ws.online_endpoints.update(endpoint, traffic={})  # a deployment that takes traffic is not deleted
    assert f"deleted deployment 'blue' of {kind} endpoint '{endpoint}'" in cli("delete", "blue", "-e", endpoint)
    assert _operations(ws, kind).list(endpoint) == []


def test_the_first_online_spellings_still_answer(served):
    _, ws = served
    ws.online_endpoints.create(name="old-spelling")
    created = ws.online_endpoints.create_deployment(name="blue", endpoint_name="old-spelling", model="attrition:1")
    assert created.state == "Succeeded"
    assert ws.online_endpoints.get_deployment("old-spelling", "blue").model_version == 1
    assert ws.online_endpoints.update_deployment("old-spelling", "blue", model="attrition:2").model_version == 2
    assert "==> " in ws.online_endpoints.deployment_logs("old-spelling", "blue")
    ws.online_endpoints.update("old-spelling", traffic={})
    ws.online_endpoints.delete_deployment("old-spelling", "blue")
    assert ws.online_deployments.list("old-spelling") == []

"""The workspace server as a real process on a loopback port."""

from pathlib import Path

import httpx
import pytest

from modelyard import Workspace
from modelyard import server as servers
from modelyard.errors import Unauthorized
from modelyard.services import workspace as workspaces


def test_health_openapi_and_sdk_over_http(server, workspace_root: Path):
    assert httpx.get(f"{server.url}/health").json()["status"] == "ok"
    spec = httpx.get(f"{server.url}/openapi.json").json()
    operation_ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"createDataAsset", "getDataProfile", "listDatastores"} <= operation_ids
    with Workspace(workspace_root) as ws:
        assert not ws.embedded
        assert ws.info().name == "test"


def test_loopback_server_needs_no_token_but_a_token_server_refuses_without_it(workspace_root: Path):
    location = workspaces.load(workspace_root)
    info = servers.start_detached(location, "127.0.0.1", 0, require_token=True)
    try:
        assert info.token_required
        anonymous = httpx.get(f"{info.url}/api/datastores")
        assert anonymous.status_code == 401
        assert "token" in anonymous.json()["detail"] and "Traceback" not in anonymous.text
        wrong = httpx.get(f"{info.url}/api/datastores", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert httpx.get(f"{info.url}/health").status_code == 200
        with pytest.raises(Unauthorized):
            Workspace.connect(info.url, token="wrong").datastores.list()
        with Workspace.connect(info.url, token=location.token()) as ws:
            assert [d.name for d in ws.datastores.list()] == ["workspaceblobstore"]
        with Workspace(workspace_root) as ws:  # the SDK reads the workspace's token itself
            assert ws.datastores.list()
    finally:
        servers.stop(location)


def test_non_loopback_binding_always_requires_a_token():
    assert servers.is_loopback("127.0.0.1") and servers.is_loopback("::1") and servers.is_loopback("localhost")
    assert not servers.is_loopback("0.0.0.0") and not servers.is_loopback("192.168.1.10")


def test_status_down_and_restart_keep_the_data(workspace_root: Path, hr_csv: Path):
    location = workspaces.load(workspace_root)
    info = servers.start_detached(location, "127.0.0.1", 0)
    with Workspace(workspace_root) as ws:
        ws.data.create(name="raw", path=str(hr_csv), type="uri_file")
    assert servers.running(location) == info
    assert servers.stop(location) == info
    assert servers.running(location) is None
    info = servers.start_detached(location, "127.0.0.1", 0)
    try:
        with Workspace(workspace_root) as ws:
            assert ws.data.get("raw").version == 1
    finally:
        servers.stop(location)


def test_a_second_server_on_the_same_workspace_is_refused(server, workspace_root: Path):
    from modelyard.errors import Conflict

    with pytest.raises(Conflict, match="already running"):
        servers.serve(workspaces.load(workspace_root), "127.0.0.1", 0)

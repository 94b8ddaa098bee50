"""The workspace access token: written whole, never empty, and required wherever the server requires it."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from modelyard import server as servers
from modelyard.errors import InvalidInput, ModelyardError
from modelyard.services import workspace as workspaces
from server_fixtures import run_cli


def test_the_token_file_is_made_once_whole_and_owner_only(workspace_root: Path):
    location = workspaces.load(workspace_root)
    with ThreadPoolExecutor(8) as pool:
        tokens = set(pool.map(lambda _: location.token(create=True), range(8)))
    path = location.folder / "token"
    assert len(tokens) == 1 and path.read_text() == tokens.pop() != ""
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list(location.folder.glob(".token-*"))  # no temporary file left behind


@pytest.mark.parametrize("spoil, reason", [(Path.touch, "is empty; delete it"),
                                           (Path.mkdir, "cannot read the access token")], ids=["empty", "unreadable"])
def test_a_server_that_must_require_a_token_refuses_to_start_without_a_good_one(workspace_root: Path, spoil, reason):
    location = workspaces.load(workspace_root)
    spoil(location.folder / "token")
    with pytest.raises(ModelyardError, match=reason):
        servers.start_detached(location, "127.0.0.1", 0, require_token=True)
    assert servers.running(location) is None
    result = run_cli("up", "--require-token", "--port", "0", timeout=60)
    assert result.returncode == 1
    assert reason in result.stderr and "Traceback" not in result.stderr
    assert servers.running(location) is None


def test_an_app_told_to_require_an_empty_token_refuses_to_exist(workspace_root: Path):
    from modelyard.api import create_app

    with pytest.raises(InvalidInput, match="token is empty"):
        create_app(workspaces.load(workspace_root), token=" ")


def test_a_token_server_answers_401_without_its_token_on_the_api_and_on_metrics(workspace_root: Path):
    location = workspaces.load(workspace_root)
    info = servers.start_detached(location, "127.0.0.1", 0, require_token=True)
    token = location.token()
    for headers in ({}, {"Authorization": "Bearer"}, {"Authorization": "Bearer wrong"}):
        assert httpx.get(f"{info.url}/api/workspace", headers=headers).status_code == 401
        metrics = httpx.get(f"{info.url}/metrics", headers=headers)
        assert metrics.status_code == 401 and "token" in metrics.json()["detail"]
    good = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{info.url}/api/workspace", headers=good).status_code == 200
    metrics = httpx.get(f"{info.url}/metrics", headers=good)
    assert metrics.status_code == 200 and "modelyard_endpoint_requests_total" in metrics.text
    assert httpx.get(f"{info.url}/health").status_code == 200  # health checks stay public

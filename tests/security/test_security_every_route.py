"""Every route the API offers, those added later included, sits behind the same three checks: the access token
of a server that requires one, the Host check (no DNS rebinding) and the Origin check (no cross-site writes)."""

from __future__ import annotations

import re

import httpx
import pytest

from modelyard import server as servers
from modelyard.services import workspace as workspaces

EVIL = "http://evil.example"
MUTATING = {"post", "put", "patch", "delete"}
KEY_AUTH = re.compile(r"^/api/v1/service/|^/api/pipeline-endpoints/x/runs$")  # the endpoint's own key, not the workspace's


@pytest.fixture(scope="module")
def token_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("every-route") / "ws"
    location = workspaces.create(root, name="every-route")
    info = servers.start_detached(location, "127.0.0.1", 0, require_token=True)
    try:
        yield info, location.token()
    finally:
        servers.stop(location)


def operations(info, token: str) -> list[tuple[str, str]]:
    schema = httpx.get(f"{info.url}/openapi.json", headers={"Authorization": f"Bearer {token}"}, timeout=120).json()
    found = [(method, re.sub(r"\{[^}]+\}", "x", path)) for path, item in schema["paths"].items()
             for method in item if method in MUTATING | {"get"} and path.startswith("/api/")]
    assert len(found) > 50, "the schema lists the API's routes"
    return found


def test_no_route_answers_without_the_token(token_server):
    info, token = token_server
    for method, path in operations(info, token):
        if KEY_AUTH.match(path):
            continue
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            reply = httpx.request(method, f"{info.url}{path}", headers=headers, json={})
            assert reply.status_code == 401, f"{method.upper()} {path} answered {reply.status_code} without the token"


def test_no_route_answers_a_foreign_host_or_a_cross_site_write(token_server):
    info, token = token_server
    good = {"Authorization": f"Bearer {token}"}
    for method, path in operations(info, token):
        rebound = httpx.request(method, f"{info.url}{path}", headers={**good, "Host": "evil.example"}, json={})
        assert rebound.status_code == 400, f"{method.upper()} {path} answered a foreign Host"
        if method in MUTATING:
            cross_site = httpx.request(method, f"{info.url}{path}", headers={**good, "Origin": EVIL}, json={})
            assert cross_site.status_code == 403, f"{method.upper()} {path} took a cross-site write"
            assert "cross-origin request refused" in cross_site.json()["detail"]

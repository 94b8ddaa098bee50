"""The server hands the studio's client-side routes to index.html, and nothing else."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def client(studio_build, tmp_path_factory):
    """One app for the module: its tests only read."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # starlette's notice about its httpx dependency
        from fastapi.testclient import TestClient

    from modelyard.api import create_app
    from modelyard.services import workspace as workspaces

    location = workspaces.create(tmp_path_factory.mktemp("serving") / "ws", name="test")
    with TestClient(create_app(location)) as client:
        yield client


@pytest.mark.parametrize("path", ["/", "/data", "/data/new", "/data/hr.v2", "/data/hr/3?tab=profile", "/datastores"])
def test_client_side_routes_load_the_app_on_reload(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<div id="root">' in response.text
    assert response.headers["cache-control"] == "no-cache"


def test_server_routes_are_not_shadowed(client):
    assert client.get("/health").json()["status"] == "ok"
    assert client.get("/api/workspace").json()["name"] == "test"
    assert client.get("/openapi.json").json()["info"]["title"] == "modelyard"
    assert "swagger" in client.get("/docs").text.lower()


@pytest.mark.parametrize("path", ["/api/nope", "/api/data/x/versions/1/nope/more", "/health/x", "/docs/x"])
def test_unknown_server_paths_stay_json_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"] == "NotFound"


def test_built_assets_are_served_and_cached_missing_ones_are_404(client, studio_build):
    entry = next((studio_build / "assets").glob("index-*.js")).name
    response = client.get(f"/assets/{entry}")
    assert response.status_code == 200
    assert "immutable" in response.headers["cache-control"]
    assert client.get("/assets/index-gone.js").status_code == 404
    assert client.get("/favicon.ico").status_code == 404

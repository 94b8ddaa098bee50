"""A web page cannot act as the workspace's owner: no DNS rebinding (Host), no cross-site writes (Origin),
no form bodies on JSON routes; the studio (same origin) and non-browser clients (no Origin) still work."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml

from modelyard.api import HostPolicy
from server_fixtures import workspace_server

EVIL = "http://evil.example"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(server info, SDK Workspace) of a default loopback server (no token)."""
    with workspace_server(tmp_path_factory.mktemp("guard") / "ws", "guard") as running:
        yield running


def own(info) -> str:
    return f"http://127.0.0.1:{info.port}"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "attacker.test", "10.1.2.3:{port}",
                                  "0.0.0.0:{port}", "localhost.evil.example"])
def test_a_foreign_host_is_refused(served, host):
    info, _ = served
    reply = httpx.get(f"{info.url}/api/workspace", headers={"Host": host.format(port=info.port)})
    assert reply.status_code == 400
    assert "host not allowed" in reply.json()["detail"] and "allowed_hosts" in reply.json()["detail"]
    scoring = httpx.post(f"{info.url}/api/v1/service/any/score", json={"data": []},
                         headers={"Host": host.format(port=info.port)})
    assert scoring.status_code == 400  # the scoring route is behind the same check


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "127.0.0.1", "LOCALHOST"])
def test_loopback_hosts_and_the_bound_address_are_fine(served, host):
    info, _ = served
    reply = httpx.get(f"{info.url}/api/workspace", headers={"Host": host.format(port=info.port)})
    assert reply.status_code == 200 and reply.json()["name"] == "guard"


def test_the_host_policy_takes_the_bound_address_and_configured_names():
    bound = HostPolicy.of("192.168.1.10", ["ML.example.org"])
    assert bound.allows("192.168.1.10:8686") and bound.allows("ml.example.org") and bound.allows("[::1]:8686")
    assert not bound.allows("10.0.0.7:8686") and not bound.allows("example.org") and not bound.allows("")
    everywhere = HostPolicy.of("0.0.0.0")  # an address cannot be rebound to another machine: any address is fine
    assert everywhere.allows("10.0.0.7:8686") and not everywhere.allows("my-laptop:8686")
    assert bound.own_origin("https://ml.example.org", "192.168.1.10:8686")
    assert not bound.own_origin("http://localhost:3000", "localhost:8686") and not bound.own_origin("null", "x")


def test_a_cross_site_form_post_cannot_regenerate_keys_and_the_old_key_still_works(served):
    info, ws = served
    ws.online_endpoints.create(name="guarded")
    old = ws.online_endpoints.get_credentials("guarded").primary_key
    url = f"{info.url}/api/online-endpoints/guarded/regenerate-keys?key_type=primary"
    for headers in ({"Origin": EVIL, **FORM}, {"Origin": EVIL, "Content-Type": "text/plain"},
                    {"Referer": f"{EVIL}/page.html", **FORM}, {"Origin": "null", **FORM}):
        reply = httpx.post(url, content=b"key_type=primary", headers=headers)
        assert reply.status_code == 403, headers
        assert "cross-origin request refused" in reply.json()["detail"]
    assert EVIL in httpx.post(url, headers={"Origin": EVIL}).json()["detail"]  # the message names the origin
    assert ws.online_endpoints.get_credentials("guarded").primary_key == old
    scoring = f"{info.url}/api/v1/service/guarded/score"
    with_old = httpx.post(scoring, json={"data": []}, headers={"Authorization": f"Bearer {old}"})
    assert with_old.status_code == 503 and "no ready deployment" in with_old.json()["detail"]  # the key passed
    assert httpx.post(scoring, json={"data": []}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    foreign = httpx.post(scoring, json={"data": []}, headers={"Authorization": f"Bearer {old}", "Origin": EVIL})
    assert foreign.status_code == 403
    # the studio (its own origin) and the SDK (no Origin) still regenerate keys
    assert httpx.post(url, headers={"Origin": own(info)}).status_code == 200
    assert ws.online_endpoints.regenerate_keys("guarded").primary_key not in (old, None)


def test_a_foreign_upload_is_refused_and_same_origin_and_sdk_uploads_work(served, tmp_path: Path):
    info, ws = served
    uploads = info.url + "/api/uploads"
    folder = ws.info().path + "/.modelyard/uploads"
    before = sorted(Path(folder).glob("*")) if Path(folder).exists() else []
    files = {"file": ("rows.csv", b"a,b\n1,2\n", "text/csv")}
    refused = httpx.post(uploads, files=files, headers={"Origin": EVIL})
    assert refused.status_code == 403 and EVIL in refused.json()["detail"]
    assert (sorted(Path(folder).glob("*")) if Path(folder).exists() else []) == before  # nothing stored
    for headers in ({"Origin": own(info)}, {"Origin": f"http://localhost:{info.port}", "Host": f"localhost:{info.port}"},
                    {}):
        stored = httpx.post(uploads, files=files, headers=headers)
        assert stored.status_code == 201, (headers, stored.text)
        assert Path(stored.json()["path"]).read_bytes() == b"a,b\n1,2\n"
    assert ws.datastores.list()  # Origin-less SDK calls still work


def test_a_form_body_on_a_json_route_is_415_even_from_curl(served, tmp_path: Path):
    info, ws = served
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain"):
        reply = httpx.post(f"{info.url}/api/datastores", content=f'{{"name": "plain", "type": "local", "path": "{tmp_path}"}}',
                           headers={"Content-Type": content_type})
        assert reply.status_code == 415, content_type
        assert "application/json" in reply.json()["detail"]
    assert "plain" not in [d.name for d in ws.datastores.list()]
    created = httpx.post(f"{info.url}/api/datastores", json={"name": "plain", "type": "local", "path": str(tmp_path)})
    assert created.status_code == 201, created.text


def test_configured_host_names_and_their_origin_are_the_servers_own(tmp_path: Path):
    root = tmp_path / "ws"
    from modelyard.services import workspace as workspaces

    workspaces.create(root, name="named")
    config_file = root / ".modelyard" / "workspace.yaml"
    config = yaml.safe_load(config_file.read_text())
    config["server"] = {"allowed_hosts": ["ml.example.test"]}
    config_file.write_text(yaml.safe_dump(config))
    from modelyard import server as servers

    location = workspaces.load(root)
    info = servers.start_detached(location, "127.0.0.1", 0)
    try:
        headers = {"Host": "ml.example.test", "Origin": "https://ml.example.test"}
        assert httpx.get(f"{info.url}/api/workspace", headers=headers).status_code == 200
        made = httpx.post(f"{info.url}/api/online-endpoints", json={"name": "named-ep"}, headers=headers)
        assert made.status_code == 201, made.text
        assert httpx.get(f"{info.url}/api/workspace", headers={"Host": "other.example.test"}).status_code == 400
    finally:
        servers.stop(location)

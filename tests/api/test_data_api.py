"""The data REST API over HTTP against a real server process."""

import hashlib
from pathlib import Path

import httpx
import pytest

from modelyard import Workspace
from modelyard.client import DataOperations


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url, timeout=120) as client:
        yield client


def test_upload_then_register_then_read_back_over_http(http, hr_csv: Path):
    with hr_csv.open("rb") as handle:
        uploaded = http.post("/api/uploads", files={"file": ("HR.csv", handle)})
    assert uploaded.status_code == 201
    created = http.post("/api/data", json={"name": "hr", "type": "mltable", "path": uploaded.json()["path"]})
    assert created.status_code == 201, created.text
    assert created.json()["rows"] == 1470
    files = http.get("/api/data/hr/versions/latest/files").json()
    assert [f["name"] for f in files] == ["HR.csv"]
    body = http.get("/api/data/hr/versions/1/files/HR.csv").content
    assert hashlib.sha256(body).hexdigest() == files[0]["sha256"]
    profile = http.get("/api/data/hr/versions/1/profile").json()
    age = next(c for c in profile["columns"] if c["name"] == "Age")
    assert (age["min"], age["max"], age["count"]) == (18, 60, 1470)
    recomputed = http.post("/api/data/hr/versions/1/profile").json()
    assert recomputed["columns"] == profile["columns"]


def test_remote_sdk_uploads_local_files(server, hr_csv: Path, tmp_path: Path, monkeypatch):
    # A client on another machine cannot hand the server a local path: it uploads the file.
    ws = Workspace.connect(server.url)
    ws.data = DataOperations(ws._api, uploads=True)
    asset = ws.data.create(name="remote", path=str(hr_csv), type="mltable")
    assert asset.rows == 1470
    monkeypatch.setenv("MODELYARD_CACHE", str(tmp_path / "client-cache"))
    frame = ws.data.get("remote").to_pandas()
    assert frame.shape == (1470, 35)
    ws.close()


@pytest.mark.parametrize("request_args, status, fragment", [
    (("GET", "/api/data/hr/versions/zero"), 400, "version"),
    (("GET", "/api/data/nope/versions/latest"), 404, "not found"),
    (("POST", "/api/data"), 400, "body"),
    (("GET", "/api/data/hr/versions/1/preview?rows=0"), 400, "rows"),
])
def test_bad_requests_get_a_clear_4xx(http, request_args, status, fragment, tmp_path: Path):
    (tmp_path / "t.csv").write_text("a,b\n1,2\n")
    http.post("/api/data", json={"name": "hr", "type": "mltable", "path": str(tmp_path / "t.csv")})
    method, url = request_args
    response = http.request(method, url, content=b"{not json" if method == "POST" else None,
                            headers={"content-type": "application/json"})
    assert response.status_code == status
    assert fragment in response.json()["detail"]
    assert "Traceback" not in response.text


def test_preview_an_unregistered_source_with_settings(http, tmp_path: Path):
    source = tmp_path / "semi.csv"
    source.write_text("junk line\nname;age\nAnn;41\nBob;?\n")
    response = http.post("/api/data/preview", json={"path": str(source), "parse": {"skip_rows": 1, "delimiter": ";"}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(c["name"], c["type"]) for c in body["columns"]] == [("name", "string"), ("age", "string")]
    assert body["rows"] == [["Ann", "41"], ["Bob", "?"]]
    refused = http.post("/api/data/preview", json={"path": str(source), "parse": {"skip_rows": 1, "delimiter": ";"},
                                                   "columns": [{"name": "age", "type": "integer"}]})
    assert refused.status_code == 400 and "'?'" in refused.json()["detail"]
    assert http.get("/api/data").json() == []

"""HTTP sources: a URL registered directly, or through an http datastore, served by a real file server."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import pytest

from modelyard.errors import InvalidInput, Unreachable
from server_fixtures import free_port, redirecting_file_server, run_cli


@pytest.fixture
def served(http_files, hr_csv: Path) -> tuple[str, Path]:
    """A fresh folder on the file server holding HR.csv and note.txt: (its URL, the folder)."""
    base, root = http_files
    name = f"run-{uuid.uuid4().hex[:8]}"
    folder = root / name
    folder.mkdir()
    shutil.copyfile(hr_csv, folder / "HR.csv")
    (folder / "note.txt").write_text("a note\n")
    return f"{base}/{name}", folder


def test_url_as_uri_file(ws, served, hr_csv: Path, tmp_path: Path, workspace_root: Path):
    url, _ = served
    asset = ws.data.create(name="hr-web", type="uri_file", path=f"{url}/HR.csv")
    assert asset.uri == f"{url}/HR.csv"
    assert asset.size_bytes == hr_csv.stat().st_size
    data = ws.data.get("hr-web")
    assert Path(data.path).read_bytes() == hr_csv.read_bytes()
    assert (data.download(tmp_path / "out") / "HR.csv").read_bytes() == hr_csv.read_bytes()


def test_url_as_mltable(ws, served):
    url, _ = served
    asset = ws.data.create(name="hr", type="mltable", path=f"{url}/HR.csv")
    assert asset.rows == 1470
    frame = ws.data.get("hr").to_pandas()
    assert frame.shape == (1470, 35) and "Attrition" in frame.columns


def test_through_http_datastore(ws, served, hr_csv: Path):
    url, _ = served
    store = ws.datastores.create(name="web", type="http", url=url)
    assert store.config["url"] == url
    ws.data.create(name="hr-file", type="uri_file", path="modelyard://datastores/web/paths/HR.csv")
    assert Path(ws.data.get("hr-file").path).read_bytes() == hr_csv.read_bytes()
    asset = ws.data.create(name="hr", type="mltable", path="modelyard://datastores/web/paths/HR.csv")
    assert asset.uri == "modelyard://datastores/web/paths/HR.csv"
    assert ws.data.get("hr").to_pandas().shape == (1470, 35)


def test_missing_url_does_not_exist(ws, served):
    url, _ = served
    with pytest.raises(InvalidInput, match="does not exist") as raised:
        ws.data.create(name="gone", type="uri_file", path=f"{url}/missing.csv")
    assert not isinstance(raised.value, Unreachable), "the server answered 404: it was reached"


def test_missing_path_in_http_datastore_does_not_exist(ws, served):
    url, _ = served
    ws.datastores.create(name="web", type="http", url=url)
    with pytest.raises(InvalidInput, match="does not exist") as raised:
        ws.data.create(name="gone", type="uri_file", path="modelyard://datastores/web/paths/missing.csv")
    assert not isinstance(raised.value, Unreachable), "the server answered 404: it was reached"


def test_closed_port_is_unreachable(ws):
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(Unreachable):
        ws.data.create(name="gone", type="uri_file", path=f"{url}/HR.csv")
    with pytest.raises(Unreachable, match="cannot be reached"):
        ws.datastores.create(name="web", type="http", url=url)
    assert [store.name for store in ws.datastores.list()] == ["workspaceblobstore"]


def test_file_changed_on_the_server_is_refused(ws, served):
    url, folder = served
    ws.data.create(name="note", type="uri_file", path=f"{url}/note.txt")
    (folder / "note.txt").write_text("b note\n")
    with pytest.raises(InvalidInput, match="changed since it was registered"):
        ws.data.get("note").path


def test_not_an_http_url_is_refused(ws):
    with pytest.raises(InvalidInput, match="url"):
        ws.datastores.create(name="web", type="http", url="ftp://127.0.0.1/files")
    with pytest.raises(InvalidInput, match="datastore"):
        ws.data.create(name="x", type="uri_file", path="ftp://127.0.0.1/files/HR.csv")


def test_cli_closed_port_fails_with_message(workspace_root: Path):
    url = f"http://127.0.0.1:{free_port()}/"
    done = run_cli("datastore", "create", "--name", "web", "--type", "http", "--url", url, cwd=workspace_root)
    assert done.returncode != 0
    assert "cannot be reached" in done.stderr and "web" in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_registers_a_url(workspace_root: Path, served):
    url, _ = served
    created = run_cli("datastore", "create", "--name", "web", "--type", "http", "--url", url, "-o", "json",
                      cwd=workspace_root)
    assert created.returncode == 0, created.stderr
    done = run_cli("data", "create", "--name", "note", "--type", "uri_file",
                   "--path", "modelyard://datastores/web/paths/note.txt", "-o", "json", cwd=workspace_root)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["path"] == "modelyard://datastores/web/paths/note.txt"
    missing = run_cli("data", "create", "--name", "gone", "--type", "uri_file", "--path", f"{url}/missing.csv",
                      cwd=workspace_root)
    assert missing.returncode != 0
    assert "does not exist" in missing.stderr and "Traceback" not in missing.stderr


def test_credentials_in_datastore_url_are_hidden(ws, workspace_root: Path, served, hr_csv: Path):
    url, _ = served
    with_auth = url.replace("http://", "http://reader:Http-Secret-123@")
    created = ws.datastores.create(name="web", type="http", url=with_auth)
    for record in (created, ws.datastores.get("web"), *ws.datastores.list()):
        assert "Http-Secret-123" not in record.model_dump_json()
    ws.data.create(name="hr-file", type="uri_file", path="modelyard://datastores/web/paths/HR.csv")
    assert Path(ws.data.get("hr-file").path).read_bytes() == hr_csv.read_bytes()
    done = run_cli("datastore", "list", "-o", "json", cwd=workspace_root)
    assert done.returncode == 0, done.stderr
    assert "Http-Secret-123" not in done.stdout


def test_credentials_in_a_registered_url_are_hidden(ws, workspace_root: Path, served, hr_csv: Path):
    url, _ = served
    with_auth = url.replace("http://", "http://reader:Http-Secret-456@") + "/HR.csv"
    asset = ws.data.create(name="hr-web", type="uri_file", path=with_auth)
    assert Path(asset.path).read_bytes() == hr_csv.read_bytes()
    for record in (asset.record, ws.data.get("hr-web").record, *ws.data.list()):
        assert "Http-Secret-456" not in record.model_dump_json()
    done = run_cli("data", "list", "-o", "json", cwd=workspace_root)
    assert done.returncode == 0, done.stderr
    assert "Http-Secret-456" not in done.stdout


def test_a_url_at_a_private_address_or_redirected_to_one_is_refused(ws, served, workspace_root: Path):
    _, folder = served
    allow = "allow its network under 'data_sources: allowed_networks:'"
    cache = workspace_root / ".modelyard" / "cache"
    before = sorted(cache.rglob("*")) if cache.exists() else []
    with redirecting_file_server(folder) as url:
        for source, address in (("http://10.0.0.1/hr.csv", "10.0.0.1"), (f"{url}/metadata.csv", "169.254.169.254")):
            with pytest.raises(InvalidInput, match=f"url: {address} resolves to {address}, a private") as raised:
                ws.data.create(name="inside", type="uri_file", path=source)
            assert allow in str(raised.value)

        with pytest.raises(InvalidInput, match="url: 10.0.0.1 resolves to 10.0.0.1, a private"):
            ws.datastores.create(name="inside", type="http", url="http://10.0.0.1/")
        ws.datastores.create(name="web", type="http", url=url)  # loopback: allowed, and HR.csv is read through it
        assert ws.data.create(name="hr", type="uri_file", path="modelyard://datastores/web/paths/HR.csv").version == 1
        with pytest.raises(InvalidInput, match="url: 169.254.169.254 resolves to 169.254.169.254, a private"):
            ws.data.create(name="meta", type="uri_file", path="modelyard://datastores/web/paths/metadata.csv")
    assert [a.name for a in ws.data.list()] == ["hr"]
    assert [d.name for d in ws.datastores.list()] == ["workspaceblobstore", "web"]
    assert (sorted(cache.rglob("*")) if cache.exists() else []) == before

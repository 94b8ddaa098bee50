"""Local datastores: a folder on the server's machine, referenced in place (never copied)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from modelyard.errors import Conflict, InvalidInput, NotFound, Unreachable
from server_fixtures import run_cli


@pytest.fixture
def lake(tmp_path: Path, hr_csv: Path) -> Path:
    """A folder with the HR CSV and a small folder of text files."""
    folder = tmp_path / "lake"
    (folder / "raw").mkdir(parents=True)
    shutil.copyfile(hr_csv, folder / "raw" / "HR.csv")
    (folder / "notes" / "sub").mkdir(parents=True)
    (folder / "notes" / "a.txt").write_text("first note\n")
    (folder / "notes" / "sub" / "b.txt").write_text("second note\n")
    return folder


@pytest.fixture
def lake_store(ws, lake: Path):
    return ws.datastores.create(name="lake", type="local", path=str(lake), description="test folder")


def uri(path: str, datastore: str = "lake") -> str:
    return f"modelyard://datastores/{datastore}/paths/{path}"


def test_create_list_show_delete(ws, lake: Path):
    created = ws.datastores.create(name="lake", type="local", path=str(lake), description="test folder")
    assert created.type == "local" and created.config["path"] == str(lake.resolve())

    listed = {store.name: store for store in ws.datastores.list()}
    assert set(listed) == {"workspaceblobstore", "lake"}
    assert listed["workspaceblobstore"].is_default and not listed["lake"].is_default
    shown = ws.datastores.get("lake")
    assert shown.description == "test folder" and shown.config["path"] == str(lake.resolve())

    ws.datastores.delete("lake")
    assert [store.name for store in ws.datastores.list()] == ["workspaceblobstore"]
    with pytest.raises(NotFound, match="lake"):
        ws.datastores.get("lake")
    with pytest.raises(NotFound, match="lake"):
        ws.datastores.delete("lake")


def test_relative_path_is_stored_absolute(ws, lake: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(lake.parent)
    store = ws.datastores.create(name="rel", type="local", path="lake")
    assert store.config["path"] == str(lake.resolve())


def test_duplicate_and_builtin_names_are_refused(ws, lake: Path, lake_store):
    with pytest.raises(Conflict, match="exists already"):
        ws.datastores.create(name="lake", type="local", path=str(lake))
    with pytest.raises(Conflict, match="built in"):
        ws.datastores.create(name="workspaceblobstore", type="local", path=str(lake))
    with pytest.raises(Conflict, match="built in"):
        ws.datastores.delete("workspaceblobstore")
    assert ws.datastores.get("lake").config["path"] == str(lake.resolve())


def test_missing_folder_is_unreachable(ws, tmp_path: Path):
    with pytest.raises(Unreachable, match="does not exist"):
        ws.datastores.create(name="nowhere", type="local", path=str(tmp_path / "missing"))
    assert [store.name for store in ws.datastores.list()] == ["workspaceblobstore"]


@pytest.mark.parametrize("fields, message", [
    (dict(name="bad name", type="local", path="/tmp"), "name"),
    (dict(name="x", type="ftp", path="/tmp"), "type"),
    (dict(name="x", type="local"), "path"),
])
def test_invalid_specs_are_refused(ws, fields, message):
    with pytest.raises(InvalidInput, match=message):
        ws.datastores.create(**fields)
    assert [store.name for store in ws.datastores.list()] == ["workspaceblobstore"]


def test_uri_file_is_referenced_not_copied(ws, workspace_root: Path, lake: Path, lake_store, tmp_path: Path):
    asset = ws.data.create(name="hr-file", type="uri_file", path=uri("raw/HR.csv"))
    assert asset.version == 1
    assert asset.uri == uri("raw/HR.csv")
    assert asset.size_bytes == (lake / "raw" / "HR.csv").stat().st_size

    data = ws.data.get("hr-file")
    assert Path(data.path).read_bytes() == (lake / "raw" / "HR.csv").read_bytes()
    target = data.download(tmp_path / "out")
    assert (target / "HR.csv").read_bytes() == (lake / "raw" / "HR.csv").read_bytes()
    artifacts = workspace_root / ".modelyard" / "artifacts"
    assert not [p for p in artifacts.rglob("*") if p.is_file()], "a local datastore's file was copied"


def test_uri_folder_reads_back_the_tree(ws, lake: Path, lake_store, tmp_path: Path):
    asset = ws.data.create(name="notes", type="uri_folder", path=uri("notes"))
    assert asset.uri == uri("notes")
    data = ws.data.get("notes:1")
    assert sorted(p.read_text() for p in data.local_files()) == ["first note\n", "second note\n"]
    folder = Path(data.path)
    assert (folder / "a.txt").read_text() == "first note\n"
    assert (folder / "sub" / "b.txt").read_text() == "second note\n"
    target = data.download(tmp_path / "copy")
    assert (target / "a.txt").read_text() == "first note\n"
    assert (target / "sub" / "b.txt").read_text() == "second note\n"


def test_mltable_from_local_datastore(ws, lake_store):
    asset = ws.data.create(name="hr", type="mltable", path=uri("raw/HR.csv"))
    assert asset.rows == 1470
    frame = ws.data.get("hr").to_pandas()
    assert frame.shape == (1470, 35)
    assert {"Age", "Attrition"} <= set(frame.columns)


def test_missing_path_in_datastore(ws, lake_store):
    with pytest.raises(InvalidInput, match="does not exist"):
        ws.data.create(name="gone", type="uri_file", path=uri("raw/nothing.csv"))
    with pytest.raises(NotFound, match="datastore 'elsewhere'"):
        ws.data.create(name="gone", type="uri_file", path=uri("raw/HR.csv", datastore="elsewhere"))
    with pytest.raises(InvalidInput, match="use uri_folder"):
        ws.data.create(name="gone", type="uri_file", path=uri("notes"))


def _same_size_edit(path: Path) -> None:
    """Change the last digit (or letter) of the file: same size, still a valid CSV."""
    content = bytearray(path.read_bytes())
    index = max(i for i, byte in enumerate(content) if chr(byte).isalnum())
    old = chr(content[index])
    content[index] = ord(("1" if old != "1" else "2") if old.isdigit() else ("x" if old != "x" else "y"))
    path.write_bytes(bytes(content))


def _appended_edit(path: Path) -> None:
    with path.open("a") as handle:
        handle.write("extra line\n")


@pytest.mark.parametrize("edit", [_same_size_edit, _appended_edit], ids=["same-size", "longer"])
def test_file_changed_after_registration_is_refused(ws, lake: Path, lake_store, tmp_path: Path, edit):
    ws.data.create(name="note", type="uri_file", path=uri("notes/a.txt"))
    edit(lake / "notes" / "a.txt")
    data = ws.data.get("note:1")
    with pytest.raises(InvalidInput, match="changed since it was registered"):
        data.path
    with pytest.raises(InvalidInput, match="changed since it was registered"):
        data.download(tmp_path / "out")


def test_table_changed_after_registration_is_refused(ws, lake: Path, lake_store):
    ws.data.create(name="hr", type="mltable", path=uri("raw/HR.csv"))
    _same_size_edit(lake / "raw" / "HR.csv")
    with pytest.raises(InvalidInput, match="changed since it was registered"):
        ws.data.get("hr").to_pandas()
    with pytest.raises(InvalidInput, match="changed since it was registered"):
        ws.data.get("hr").preview(rows=5)


def test_cli_create_list_show_delete(workspace_root: Path, lake: Path):
    created = run_cli("datastore", "create", "--name", "lake", "--type", "local", "--path", str(lake),
                      "-o", "json", cwd=workspace_root)
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["config"]["path"] == str(lake.resolve())

    listed = run_cli("datastore", "list", "-o", "json", cwd=workspace_root)
    assert listed.returncode == 0, listed.stderr
    assert [store["name"] for store in json.loads(listed.stdout)] == ["workspaceblobstore", "lake"]

    deleted = run_cli("datastore", "delete", "lake", cwd=workspace_root)
    assert deleted.returncode == 0, deleted.stderr
    shown = run_cli("datastore", "show", "lake", cwd=workspace_root)
    assert shown.returncode != 0
    assert "not found" in shown.stderr and "Traceback" not in shown.stderr


def test_cli_missing_folder_fails_with_message(workspace_root: Path, tmp_path: Path):
    missing = tmp_path / "no-such-folder"
    done = run_cli("datastore", "create", "--name", "lake", "--type", "local", "--path", str(missing),
                   cwd=workspace_root)
    assert done.returncode != 0
    assert "does not exist" in done.stderr and str(missing) in done.stderr
    assert "Traceback" not in done.stderr
    listed = run_cli("datastore", "list", "-o", "json", cwd=workspace_root)
    assert [store["name"] for store in json.loads(listed.stdout)] == ["workspaceblobstore"]

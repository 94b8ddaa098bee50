"""Data assets through the SDK (embedded): versions, content addressing, consumption, bad input."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from modelyard.errors import Conflict, InvalidInput, NotFound


def artifact_files(root: Path) -> list[Path]:
    data = root / ".modelyard" / "artifacts" / "data"
    return sorted(p for p in data.rglob("*") if p.is_file()) if data.exists() else []


def scratch_left(root: Path) -> list[Path]:
    cache = root / ".modelyard" / "cache"
    staging = root / ".modelyard" / "artifacts" / "_staging"
    return [p for folder in (cache, staging) if folder.exists() for p in folder.iterdir()]


def test_uri_file_is_copied_content_addressed_and_deduplicated(ws, workspace_root: Path, hr_csv: Path):
    first = ws.data.create(name="raw", path=str(hr_csv), type="uri_file", tags={"source": "ibm"})
    assert (first.version, first.type, first.size_bytes) == (1, "uri_file", hr_csv.stat().st_size)
    assert first.content_hash == __import__("hashlib").sha256(hr_csv.read_bytes()).hexdigest()
    assert first.uri.startswith("modelyard://datastores/workspaceblobstore/paths/data/")
    assert Path(ws.data.get("raw").path).read_bytes() == hr_csv.read_bytes()
    again = ws.data.create(name="raw", path=str(hr_csv), type="uri_file")
    assert again.version == 1, "identical content returns the existing version"
    forced = ws.data.create(name="raw", path=str(hr_csv), type="uri_file", force_new_version=True)
    assert forced.version == 2
    assert len(artifact_files(workspace_root)) == 1, "one copy of the bytes however many versions"
    assert ws.data.get("raw@latest").version == 2
    assert ws.data.get("raw:1").tags == {"source": "ibm"}


def test_changed_content_gets_a_new_version_and_old_versions_stay_readable(ws, tmp_path: Path):
    source = tmp_path / "notes.txt"
    source.write_text("first")
    ws.data.create(name="notes", path=str(source), type="uri_file")
    source.write_text("second")
    assert ws.data.create(name="notes", path=str(source), type="uri_file").version == 2
    assert Path(ws.data.get("notes:1").path).read_text() == "first"
    assert Path(ws.data.get("notes", version=2).path).read_text() == "second"


def test_uri_folder_keeps_the_tree(ws, tmp_path: Path):
    folder = tmp_path / "images"
    (folder / "cats").mkdir(parents=True)
    (folder / "cats" / "a.txt").write_text("a")
    (folder / "b.txt").write_text("b")
    asset = ws.data.create(name="images", path=str(folder), type="uri_folder")
    out = ws.data.get("images").download(tmp_path / "out")
    assert (out / "cats" / "a.txt").read_text() == "a" and (out / "b.txt").read_text() == "b"
    assert (Path(ws.data.get("images").path) / "cats" / "a.txt").is_file()
    assert asset.size_bytes == 2


def test_mltable_from_the_hr_csv(ws, hr_csv: Path):
    asset = ws.data.create(name="employeeattrition", path=str(hr_csv), type="mltable")
    assert asset.rows == 1470 and asset.has_profile
    types = {c.name: c.type for c in asset.columns}
    assert types["Age"] == "integer" and types["Attrition"] == "string" and "\ufeffAge" not in types
    frame = ws.data.get("employeeattrition").to_pandas()
    expected = pd.read_csv(hr_csv, encoding="utf-8-sig")
    assert list(frame.columns) == list(expected.columns)
    assert frame["MonthlyIncome"].sum() == expected["MonthlyIncome"].sum()
    assert ws.data.get("employeeattrition").to_arrow().num_rows == 1470
    preview = ws.data.get("employeeattrition").preview(3)
    assert len(preview["rows"]) == 3 and preview["columns"][0] == {"name": "Age", "type": "integer"}


def test_schema_overrides_and_excluded_columns(ws, hr_csv: Path):
    asset = ws.data.create(name="hr", path=str(hr_csv), type="mltable", columns=[
        {"name": "EmployeeNumber", "type": "string"}, {"name": "Over18", "include": False}])
    frame = ws.data.get("hr").to_pandas()
    assert "Over18" not in frame.columns
    assert {c.name: c.type for c in asset.columns}["EmployeeNumber"] == "string"
    assert not pd.api.types.is_numeric_dtype(frame["EmployeeNumber"])


def test_archive_hides_from_latest_and_listing_but_not_by_number(ws, tmp_path: Path):
    for text in ("1", "2"):
        (tmp_path / "f.txt").write_text(text)
        ws.data.create(name="f", path=str(tmp_path / "f.txt"), type="uri_file")
    ws.data.archive("f", 2)
    assert ws.data.get("f").version == 1
    assert [a.version for a in ws.data.list("f")] == [1]
    assert [a.version for a in ws.data.list("f", include_archived=True)] == [2, 1]
    assert ws.data.get("f:2").archived
    ws.data.restore("f", 2)
    assert ws.data.get("f").version == 2


def test_explicit_version_is_immutable(ws, tmp_path: Path):
    (tmp_path / "a.txt").write_text("a")
    ws.data.create(name="pinned", path=str(tmp_path / "a.txt"), type="uri_file", version=7)
    (tmp_path / "a.txt").write_text("b")
    with pytest.raises(Conflict, match="immutable"):
        ws.data.create(name="pinned", path=str(tmp_path / "a.txt"), type="uri_file", version=7)
    assert ws.data.create(name="pinned", path=str(tmp_path / "a.txt"), type="uri_file").version == 8


def test_list_shows_the_latest_version_of_each_asset(ws, tmp_path: Path):
    for name, text in (("a", "1"), ("a", "2"), ("b", "1")):
        (tmp_path / f"{name}{text}").write_text(text)
        ws.data.create(name=name, path=str(tmp_path / f"{name}{text}"), type="uri_file")
    assert [(a.name, a.version) for a in ws.data.list()] == [("a", 2), ("b", 1)]


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


BAD_INPUTS = {
    "missing file": (lambda t: dict(path=str(t / "nope.csv")), "does not exist"),
    "empty file": (lambda t: dict(path=str(_write(t, "empty.csv", b""))), "empty"),
    "ragged rows": (lambda t: dict(path=str(_write(t, "ragged.csv", b"a,b,c\n1,2,3\n4,5\n6,7,8\n"))), "line 3"),
    "undecodable bytes": (lambda t: dict(path=str(_write(t, "latin.csv", "name,city\nJosé,Zürich\n".encode("latin-1")))),
                          "utf-8"),
    "duplicate columns": (lambda t: dict(path=str(_write(t, "dup.csv", b"a,b,a\n1,2,3\n"))), "duplicate"),
    "header-less file": (lambda t: dict(path=str(_write(t, "nohead.csv", b"1,2.5,3\n4,5.5,6\n7,8.5,9\n"))),
                         "no_headers"),
    "unknown override column": (lambda t: dict(path=str(_write(t, "ok.csv", b"Age,Name\n41,Ann\n")),
                                                columns=[{"name": "Agee", "type": "integer"}]), "Agee"),
    "value that cannot convert": (lambda t: dict(path=str(_write(t, "forty.csv", b"Age,Name\n41,Ann\nforty,Bob\n")),
                                                  columns=[{"name": "Age", "type": "integer"}]), "forty"),
    "illegal name": (lambda t: dict(name="../x", path=str(_write(t, "ok2.csv", b"a\n1\n"))), "not allowed"),
    "uri_file given a folder": (lambda t: dict(type="uri_file", path=str(t)), "uri_folder"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_and_leaves_nothing_behind(case, ws, workspace_root: Path, tmp_path: Path):
    make, message = BAD_INPUTS[case]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "keep.txt").write_text("x")
    fields = {"name": "bad", "type": "mltable", **make(inputs)}
    with pytest.raises(InvalidInput, match=message):
        ws.data.create(**fields)
    assert ws.data.list(include_archived=True) == []
    assert artifact_files(workspace_root) == []
    assert scratch_left(workspace_root) == []
    with pytest.raises(NotFound):
        ws.data.get("bad")


REGISTER = """
import sys
from modelyard import Workspace
with Workspace(sys.argv[1]) as ws:
    print(ws.data.create(name="shared", path=sys.argv[2], type="uri_file", force_new_version=True).version)
"""


def test_eight_processes_registering_one_name_get_eight_versions(workspace_root: Path, tmp_path: Path):
    source = tmp_path / "same.txt"
    source.write_text("same bytes")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    processes = [subprocess.Popen([sys.executable, "-c", REGISTER, str(workspace_root), str(source)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                 for _ in range(8)]
    results = [p.communicate(timeout=120) for p in processes]
    assert all(p.returncode == 0 for p in processes), [err for _, err in results]
    assert sorted(int(out) for out, _ in results) == list(range(1, 9))

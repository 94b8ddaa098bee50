"""A failing ``data create`` leaves nothing behind: no version, no artifact file, no scratch folder."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest

from modelyard.errors import Conflict, InvalidInput, NotFound, Unreachable
from server_fixtures import free_port

BAD_AGE = [{"name": "Age", "type": "integer"}]


@pytest.fixture
def sources(ws, tmp_path: Path, hr_csv: Path, s3_endpoint, http_files):
    """Local, S3, HTTP and SQLite sources, each holding good files and one table with a bad value."""
    text = hr_csv.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    broken = "".join(text[:12] + ["forty" + text[12][text[12].index(","):]] + text[13:])

    local = tmp_path / "lake"
    (local / "folder").mkdir(parents=True)
    shutil.copyfile(hr_csv, local / "HR.csv")
    (local / "broken.csv").write_text(broken)
    (local / "folder" / "a.csv").write_text("a,b\n1,2\n")
    (local / "folder" / "b.csv").write_text("a,b\n3,4\n")
    (local / "other.csv").write_text("a,b\n5,6\n")
    ws.datastores.create(name="lake", type="local", path=str(local))

    prefix = f"bad-{uuid.uuid4().hex[:8]}"
    fs = s3_endpoint.filesystem()
    fs.put_file(str(local / "broken.csv"), f"{s3_endpoint.bucket}/{prefix}/broken.csv")
    fs.pipe(f"{s3_endpoint.bucket}/{prefix}/folder/a.csv", b"a,b\n1,2\n")
    fs.pipe(f"{s3_endpoint.bucket}/{prefix}/folder/b.csv", b"a,b\n3,4\n")
    ws.datastores.create(name="s3", **s3_endpoint.datastore_fields(prefix=prefix))

    base, served = http_files
    (served / f"{prefix}-broken.csv").write_text(broken)

    database = tmp_path / "hr.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT)")
        connection.executemany("INSERT INTO people VALUES (?, ?)", [(i, f"p{i}") for i in range(200)])
    connection.close()
    ws.datastores.create(name="warehouse", type="sql", url=f"sqlite:///{database}")

    # one good version, so that failures must also leave an existing asset alone
    ws.data.create(name="hr", type="mltable", path=str(local / "HR.csv"))
    return {"local": local, "http": base, "prefix": prefix}


CASES = {
    "missing-local-file": (InvalidInput, lambda s: dict(type="uri_file", path=str(s["local"] / "nope.csv"))),
    "uri_file-on-local-folder": (InvalidInput, lambda s: dict(type="uri_file", path=str(s["local"] / "folder"))),
    "bad-value-local": (InvalidInput, lambda s: dict(type="mltable", path=str(s["local"] / "broken.csv"),
                                                      columns=BAD_AGE)),
    "bad-value-local-datastore": (InvalidInput, lambda s: dict(
        type="mltable", path="modelyard://datastores/lake/paths/broken.csv", columns=BAD_AGE)),
    "uri_file-on-s3-folder": (InvalidInput, lambda s: dict(
        type="uri_file", path="modelyard://datastores/s3/paths/folder")),
    "bad-value-s3": (InvalidInput, lambda s: dict(
        type="mltable", path="modelyard://datastores/s3/paths/broken.csv", columns=BAD_AGE)),
    "missing-s3-key": (InvalidInput, lambda s: dict(type="uri_file", path="modelyard://datastores/s3/paths/nope.csv")),
    "bad-value-http": (InvalidInput, lambda s: dict(
        type="mltable", path=f"{s['http']}/{s['prefix']}-broken.csv", columns=BAD_AGE)),
    "http-404": (InvalidInput, lambda s: dict(type="uri_file", path=f"{s['http']}/nope-{s['prefix']}.csv")),
    "http-closed-port": (Unreachable, lambda s: dict(type="uri_file", path=f"http://127.0.0.1:{free_port()}/x.csv")),
    "unknown-datastore": (NotFound, lambda s: dict(type="uri_file", path="modelyard://datastores/zzz/paths/x")),
    "forbidden-sql": (InvalidInput, lambda s: dict(type="mltable", datastore="warehouse",
                                                    query="SELECT 1; DELETE FROM people")),
    "failing-sql": (InvalidInput, lambda s: dict(type="mltable", datastore="warehouse", query="SELECT * FROM nowhere")),
    "existing-version-new-content": (Conflict, lambda s: dict(
        name="hr", version=1, type="mltable", path=str(s["local"] / "other.csv"))),
    "existing-version-new-content-s3": (Conflict, lambda s: dict(
        name="hr", version=1, type="uri_folder", path="modelyard://datastores/s3/paths/folder")),
}


@pytest.mark.parametrize("case", list(CASES))
def test_failed_create_leaves_nothing_behind(ws, sources, state, case: str):
    expected, fields = CASES[case]
    before = state()
    with pytest.raises(expected):
        ws.data.create(**{"name": "broken", **fields(sources)})
    after = state()
    assert after.versions == before.versions
    assert after.artifact_files == before.artifact_files, "files were left in the artifact store"
    assert after.cache_entries == before.cache_entries, "scratch files were left in the workspace cache"
    assert ws.data.get("hr").version == 1


def test_bad_value_message_names_column_and_row(ws, sources):
    with pytest.raises(InvalidInput, match=r"'Age'.*'forty'.*row 12"):
        ws.data.create(name="broken", type="mltable", path=str(sources["local"] / "broken.csv"), columns=BAD_AGE)

"""A workspace whose metadata store is PostgreSQL: migrations, round trips, version numbering, concurrency."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from modelyard.errors import Conflict, NotFound

pytestmark = pytest.mark.postgres
WRITERS = 8


@pytest.fixture
def pg_root(tmp_path: Path, fresh_postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    from modelyard.services import workspace as workspaces

    root = tmp_path / "pgws"
    workspaces.create(root, name="pg-test", database=fresh_postgres_url)
    monkeypatch.delenv("MODELYARD_WORKSPACE", raising=False)
    monkeypatch.setenv("MODELYARD_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def pg_ws(pg_root: Path):
    from modelyard import Workspace

    with Workspace(pg_root) as workspace:
        yield workspace


def database_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def test_migrations_apply_on_open(pg_ws, postgres_server, fresh_postgres_url: str):
    database = database_of(fresh_postgres_url)
    tables = {row[0] for row in postgres_server.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'", database=database)}
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from modelyard.store import Base
    from modelyard.store._database import MIGRATIONS

    assert {"alembic_version", *Base.metadata.tables} <= tables
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert postgres_server.execute("SELECT version_num FROM alembic_version", database=database) == [(head,)]
    assert not list(pg_ws.location.folder.glob("*.db")), "a PostgreSQL workspace must not create a SQLite database"


def test_reopening_is_idempotent(pg_root: Path, hr_csv: Path):
    from modelyard import Workspace

    with Workspace(pg_root) as first:
        first.data.create(name="hr", type="uri_file", path=str(hr_csv))
    with Workspace(pg_root) as second:
        assert [(a.name, a.version) for a in second.data.list()] == [("hr", 1)]


def test_datastores_round_trip(pg_ws, tmp_path: Path):
    folder = tmp_path / "lake"
    folder.mkdir()
    created = pg_ws.datastores.create(name="lake", type="local", path=str(folder), description="on postgres")
    shown = pg_ws.datastores.get("lake")
    assert shown == created
    assert shown.config == {"path": str(folder.resolve())} and shown.description == "on postgres"
    assert shown.created_at.tzinfo is not None
    with pytest.raises(Conflict):
        pg_ws.datastores.create(name="lake", type="local", path=str(folder))
    assert [s.name for s in pg_ws.datastores.list()] == ["workspaceblobstore", "lake"]
    pg_ws.datastores.delete("lake")
    with pytest.raises(NotFound):
        pg_ws.datastores.get("lake")


def test_data_versions_round_trip(pg_ws, hr_csv: Path, tmp_path: Path):
    asset = pg_ws.data.create(name="hr", type="mltable", path=str(hr_csv), tags={"team": "people"},
                              description="HR attrition")
    fetched = pg_ws.data.get("hr:1").record
    assert fetched.model_dump(exclude={"created_at"}) == asset.record.model_dump(exclude={"created_at"})
    assert fetched.created_at == asset.record.created_at
    assert fetched.rows == 1470 and fetched.tags == {"team": "people"}
    assert [c.name for c in fetched.columns][:2] == ["Age", "Attrition"]
    assert pg_ws.data.get("hr").profile().rows == 1470
    assert pg_ws.data.get("hr").to_pandas().shape == (1470, 35)

    pg_ws.data.archive("hr", 1)
    assert pg_ws.data.list() == []
    assert [a.version for a in pg_ws.data.list("hr", include_archived=True)] == [1]
    pg_ws.data.restore("hr", 1)
    assert [a.name for a in pg_ws.data.list()] == ["hr"]


def test_version_numbering(pg_ws, tmp_path: Path):
    def write(name: str, text: str) -> str:
        path = tmp_path / name
        path.write_text(text)
        return str(path)

    assert pg_ws.data.create(name="notes", path=write("a.txt", "one\n")).version == 1
    assert pg_ws.data.create(name="notes", path=write("b.txt", "two\n")).version == 2
    # the same content again is the same version, not a new one
    assert pg_ws.data.create(name="notes", path=write("b.txt", "two\n")).version == 2
    assert pg_ws.data.create(name="notes", path=write("c.txt", "three\n"), version=10).version == 10
    assert pg_ws.data.create(name="notes", path=write("d.txt", "four\n")).version == 11
    with pytest.raises(Conflict, match="notes:10"):
        pg_ws.data.create(name="notes", path=write("e.txt", "five\n"), version=10)
    assert [a.version for a in pg_ws.data.list("notes")] == [11, 10, 2, 1]
    assert pg_ws.data.get("notes").version == 11
    assert Path(pg_ws.data.get("notes:2").path).read_text() == "two\n"
    with pytest.raises(NotFound):
        pg_ws.data.get("notes:3")


def test_concurrent_creates_get_distinct_versions(pg_root: Path, tmp_path: Path):
    from modelyard import Workspace

    files = []
    for index in range(WRITERS):
        path = tmp_path / f"part-{index}.txt"
        path.write_text(f"writer {index}\n")
        files.append(path)
    workspaces = [Workspace(pg_root) for _ in range(WRITERS)]  # one engine each: real concurrent sessions
    barrier = threading.Barrier(WRITERS, timeout=60)
    results: dict[int, int] = {}
    errors: list[BaseException] = []

    def write(index: int) -> None:
        try:
            barrier.wait()
            results[index] = workspaces[index].data.create(name="shared", path=str(files[index])).version
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        for workspace in workspaces:
            workspace.close()
    assert not errors, errors
    assert sorted(results.values()) == list(range(1, WRITERS + 1))
    with Workspace(pg_root) as reader:
        versions = {a.version: a for a in reader.data.list("shared")}
        assert sorted(versions) == list(range(1, WRITERS + 1))
        for index, version in results.items():
            assert Path(reader.data.get("shared", version).path).read_text() == f"writer {index}\n"

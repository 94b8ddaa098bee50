"""SQL datastores: a query result registered as an mltable, on SQLite and on a real PostgreSQL.

Only one read-only SELECT is ever run; anything else is refused and the database stays as it was.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from modelyard.errors import InvalidInput, Unreachable
from server_fixtures import run_cli

ROWS = 300
DEPARTMENTS = ("Sales", "Research & Development", "Human Resources")
ONLY_SELECT = "only a single SELECT"

FORBIDDEN = {
    "insert": "INSERT INTO people (name, age, department) VALUES ('mallory', 99, 'Sales')",
    "delete": "DELETE FROM people",
    "update": "UPDATE people SET age = 0",
    "drop": "DROP TABLE people",
    "two-statements": "SELECT * FROM people; DROP TABLE people",
    "two-statements-after-comment": "SELECT * FROM people -- harmless\n; DELETE FROM people",
    "two-selects": "SELECT 1; SELECT 2",
    "attach": "ATTACH DATABASE 'attached.db' AS other",
    "pragma": "PRAGMA user_version = 7",
    "with-delete": "WITH old AS (SELECT id FROM people WHERE age > 40) DELETE FROM people WHERE id IN (SELECT id FROM old)",
    "create-table-as": "CREATE TABLE copy AS SELECT * FROM people",
    "select-into": "SELECT * INTO copy FROM people",
}
POSTGRES_ONLY = {
    "data-modifying-cte": "WITH gone AS (DELETE FROM people RETURNING *) SELECT * FROM gone",
    "copy": "COPY people TO STDOUT",
    "set-role": "SET ROLE postgres",
    "truncate": "TRUNCATE people",
}


def person(index: int) -> tuple[int, str, int, str]:
    return index, f"person-{index:03d}", 20 + index % 45, DEPARTMENTS[index % 3]


# -- SQLite -------------------------------------------------------------------------------------

@pytest.fixture
def sqlite_db(tmp_path: Path) -> Path:
    folder = tmp_path / "warehouse"
    folder.mkdir()
    path = folder / "hr.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER, "
                           "department TEXT)")
        connection.executemany("INSERT INTO people VALUES (?, ?, ?, ?)", [person(i) for i in range(1, ROWS + 1)])
    connection.close()
    return path


def sqlite_contents(path: Path) -> tuple:
    """Everything a user could see changed: tables, rows, user_version, files next to the database."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = connection.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        rows = connection.execute("SELECT * FROM people ORDER BY id").fetchall()
        version = connection.execute("PRAGMA user_version").fetchone()
    finally:
        connection.close()
    return tables, rows, version, sorted(p.name for p in path.parent.iterdir())


@pytest.fixture
def warehouse(ws, sqlite_db: Path):
    return ws.datastores.create(name="warehouse", type="sql", url=f"sqlite:///{sqlite_db}")


def test_sqlite_query_as_mltable(ws, warehouse, sqlite_db: Path):
    query = "SELECT id, name, age, department FROM people WHERE age >= 40 ORDER BY id"
    expected = [row for row in (person(i) for i in range(1, ROWS + 1)) if row[2] >= 40]
    asset = ws.data.create(name="older", type="mltable", datastore="warehouse", query=query)
    assert asset.version == 1 and asset.rows == len(expected)
    assert [c.name for c in asset.columns] == ["id", "name", "age", "department"]
    frame = ws.data.get("older").to_pandas()
    assert list(frame.itertuples(index=False, name=None)) == expected


def test_sqlite_with_select_is_accepted(ws, warehouse):
    query = ("WITH counts AS (SELECT department, COUNT(*) AS n FROM people GROUP BY department) "
             "SELECT department, n FROM counts ORDER BY department")
    ws.data.create(name="counts", type="mltable", datastore="warehouse", query=query)
    frame = ws.data.get("counts").to_pandas()
    assert dict(zip(frame["department"], frame["n"])) == {d: ROWS // 3 for d in DEPARTMENTS}


@pytest.mark.parametrize("query", list(FORBIDDEN.values()), ids=list(FORBIDDEN))
def test_sqlite_forbidden_statements_are_refused(ws, warehouse, sqlite_db: Path, query: str):
    before = sqlite_contents(sqlite_db)
    with pytest.raises(InvalidInput, match=ONLY_SELECT):
        ws.data.create(name="evil", type="mltable", datastore="warehouse", query=query)
    assert sqlite_contents(sqlite_db) == before
    assert ws.data.list(include_archived=True) == []


def test_sqlite_query_errors_name_the_problem(ws, warehouse):
    with pytest.raises(InvalidInput, match="nowhere"):
        ws.data.create(name="bad", type="mltable", datastore="warehouse", query="SELECT * FROM nowhere")


@pytest.mark.parametrize("fields, message", [
    (dict(type="uri_file"), "mltable"),
    (dict(type="mltable", datastore=None), "both"),
    (dict(type="mltable", path="/tmp/x.csv"), "not both"),
])
def test_sql_source_shape_is_checked(ws, warehouse, fields, message):
    spec = {"name": "bad", "type": "mltable", "datastore": "warehouse", "query": "SELECT * FROM people", **fields}
    with pytest.raises(InvalidInput, match=message):
        ws.data.create(**{k: v for k, v in spec.items() if v is not None})


def test_query_needs_a_sql_datastore(ws, tmp_path: Path):
    ws.datastores.create(name="folder", type="local", path=str(tmp_path))
    with pytest.raises(InvalidInput, match="sql datastore"):
        ws.data.create(name="bad", type="mltable", datastore="folder", query="SELECT 1")


def test_sql_datastore_holds_no_files(ws, warehouse):
    with pytest.raises(InvalidInput, match="query"):
        ws.data.create(name="bad", type="uri_file", path="modelyard://datastores/warehouse/paths/hr.db")


def test_missing_sqlite_file_is_unreachable_and_not_created(ws, tmp_path: Path):
    missing = tmp_path / "typo.db"
    with pytest.raises(Unreachable, match="typo.db"):
        ws.datastores.create(name="warehouse", type="sql", url=f"sqlite:///{missing}")
    assert not missing.exists(), "registering a datastore created an empty database file"


def test_cli_sql_datastore_and_forbidden_query(workspace_root: Path, sqlite_db: Path):
    created = run_cli("datastore", "create", "--name", "warehouse", "--type", "sql", "--url", f"sqlite:///{sqlite_db}",
                      "-o", "json", cwd=workspace_root)
    assert created.returncode == 0, created.stderr
    before = sqlite_contents(sqlite_db)
    done = run_cli("data", "create", "--name", "evil", "--type", "mltable", "--datastore", "warehouse",
                   "--query", "SELECT 1; DROP TABLE people", cwd=workspace_root)
    assert done.returncode != 0
    assert ONLY_SELECT in done.stderr and "Traceback" not in done.stderr
    assert sqlite_contents(sqlite_db) == before
    good = run_cli("data", "create", "--name", "people", "--type", "mltable", "--datastore", "warehouse",
                   "--query", "SELECT * FROM people", "-o", "json", cwd=workspace_root)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["rows"] == ROWS


# -- PostgreSQL ---------------------------------------------------------------------------------

PASSWORD = "pg-Secret-4711"


@pytest.fixture
def pg_people(postgres_server):
    """A fresh database with a ``people`` table and a password-protected role that may read it."""
    url = postgres_server.create_database("warehouse")
    database = url.rsplit("/", 1)[1]
    role = f"reader_{database[-10:]}"
    values = ", ".join(f"('{name}', {age}, '{department}')" for _, name, age, department in
                       (person(i) for i in range(1, ROWS + 1)))
    postgres_server.execute(
        "CREATE TABLE people (id SERIAL PRIMARY KEY, name TEXT NOT NULL, age INTEGER, department TEXT)",
        f"INSERT INTO people (name, age, department) VALUES {values}",
        f"CREATE ROLE {role} LOGIN PASSWORD '{PASSWORD}'",
        f"GRANT SELECT ON people TO {role}",
        f"GRANT USAGE ON SEQUENCE people_id_seq TO {role}",
        database=database,
    )
    return postgres_server, database, postgres_server.url(database, user=role, password=PASSWORD)


def pg_contents(server, database: str) -> tuple:
    return (
        server.execute("SELECT * FROM people ORDER BY id", database=database),
        server.execute("SELECT last_value, is_called FROM people_id_seq", database=database),
        server.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", database=database),
    )


@pytest.fixture
def pg_warehouse(ws, pg_people):
    server, database, url = pg_people
    ws.datastores.create(name="pg", type="sql", url=url)
    return server, database, url


@pytest.mark.postgres
def test_postgres_query_as_mltable(ws, pg_warehouse):
    asset = ws.data.create(name="sales", type="mltable", datastore="pg",
                           query="SELECT id, name, age FROM people WHERE department = 'Sales' ORDER BY id")
    expected = [(i, name, age) for i, name, age, department in (person(i) for i in range(1, ROWS + 1))
                if department == "Sales"]
    assert asset.rows == len(expected)
    frame = ws.data.get("sales").to_pandas()
    assert list(frame.itertuples(index=False, name=None)) == expected
    assert PASSWORD not in ws.data.get("sales").record.model_dump_json()


@pytest.mark.postgres
def test_postgres_password_is_never_shown(ws, workspace_root: Path, pg_warehouse):
    for record in (ws.datastores.get("pg"), *ws.datastores.list()):
        assert PASSWORD not in record.model_dump_json()
    assert "***" in ws.datastores.get("pg").config["url"]
    for command in (("datastore", "list"), ("datastore", "list", "-o", "json"), ("datastore", "show", "pg"),
                    ("datastore", "show", "pg", "-o", "yaml")):
        done = run_cli(*command, cwd=workspace_root)
        assert done.returncode == 0, done.stderr
        assert "pg" in done.stdout and PASSWORD not in done.stdout + done.stderr


@pytest.mark.postgres
@pytest.mark.parametrize("query", [*FORBIDDEN.values(), *POSTGRES_ONLY.values()],
                         ids=[*FORBIDDEN, *POSTGRES_ONLY])
def test_postgres_forbidden_statements_are_refused(ws, pg_warehouse, query: str):
    server, database, _ = pg_warehouse
    before = pg_contents(server, database)
    with pytest.raises(InvalidInput, match=ONLY_SELECT) as raised:
        ws.data.create(name="evil", type="mltable", datastore="pg", query=query)
    assert PASSWORD not in str(raised.value)
    assert pg_contents(server, database) == before
    assert ws.data.list(include_archived=True) == []


@pytest.mark.postgres
def test_postgres_select_with_side_effects_changes_nothing(ws, pg_warehouse):
    """A SELECT calling a function that writes (nextval) must not change the database."""
    server, database, _ = pg_warehouse
    before = pg_contents(server, database)
    try:
        ws.data.create(name="sneaky", type="mltable", datastore="pg", query="SELECT nextval('people_id_seq') AS n")
    except InvalidInput as error:
        assert PASSWORD not in str(error)
    assert pg_contents(server, database) == before


@pytest.mark.postgres
def test_postgres_query_error_hides_the_password(ws, pg_warehouse):
    with pytest.raises(InvalidInput, match="nowhere") as raised:
        ws.data.create(name="bad", type="mltable", datastore="pg", query="SELECT * FROM nowhere")
    assert PASSWORD not in str(raised.value)


@pytest.mark.postgres
def test_postgres_wrong_password_is_unreachable_and_hidden(ws, workspace_root: Path, pg_people):
    server, database, url = pg_people
    wrong = url.replace(PASSWORD, "Wrong-Password-99")
    with pytest.raises(Unreachable, match="cannot be reached") as raised:
        ws.datastores.create(name="pg", type="sql", url=wrong)
    assert "Wrong-Password-99" not in str(raised.value)
    done = run_cli("datastore", "create", "--name", "pg", "--type", "sql", "--url", wrong, cwd=workspace_root)
    assert done.returncode != 0
    assert "cannot be reached" in done.stderr and "Traceback" not in done.stderr
    assert "Wrong-Password-99" not in done.stdout + done.stderr
    assert [store.name for store in ws.datastores.list()] == ["workspaceblobstore"]

"""SQL sources: one read-only SELECT, streamed to Parquet."""

from __future__ import annotations

import sqlite3

import pyarrow.parquet as pq
import pytest

from modelyard.data import check_select, materialize_query
from modelyard.data import _sql
from modelyard.errors import InvalidInput, Unreachable


@pytest.fixture
def sqlite_db(tmp_path):
    path = tmp_path / "hr.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE people (id INTEGER, name TEXT, income REAL)")
        db.executemany("INSERT INTO people VALUES (?, ?, ?)", [(i, f"p{i}", i * 1.5) for i in range(2500)] + [(None, None, None)])
    return path


def test_select_is_streamed_into_parquet(sqlite_db, tmp_path, monkeypatch):
    monkeypatch.setattr(_sql, "CHUNK_ROWS", 1000)  # several chunks
    dest = tmp_path / "out.parquet"
    count = materialize_query(f"sqlite:///{sqlite_db}", "WITH p AS (SELECT * FROM people) SELECT * FROM p WHERE id IS NULL OR id < 2400;", str(dest))
    table = pq.read_table(dest)
    assert count == table.num_rows == 2401 and table.column_names == ["id", "name", "income"]
    assert table.column("income").to_pylist()[3] == 4.5
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]


def test_empty_result_still_has_columns(sqlite_db, tmp_path):
    dest = tmp_path / "out.parquet"
    assert materialize_query(f"sqlite:///{sqlite_db}", "SELECT id, name FROM people WHERE 0", str(dest)) == 0
    assert pq.read_table(dest).column_names == ["id", "name"]


@pytest.mark.parametrize(
    "query",
    [
        "DELETE FROM people",
        "SELECT 1; DROP TABLE people",
        "WITH x AS (SELECT 1) INSERT INTO people SELECT * FROM x",
        "SELECT * INTO copy FROM people",
        "ATTACH DATABASE 'x.db' AS x",
        "PRAGMA writable_schema = 1",
        "CREATE TABLE t AS SELECT 1",
        "COPY people TO '/tmp/x'",
        "select 1 /* unclosed",
        "",
    ],
)
def test_anything_but_one_select_is_refused(query):
    with pytest.raises(InvalidInput, match="only a single SELECT"):
        check_select(query)


def test_keywords_inside_strings_comments_and_quoted_names_are_fine():
    query = "SELECT 'drop; delete' AS \"update\" -- insert\nFROM people;"
    assert check_select(query) == query.rstrip(";")


def test_sqlite_connection_is_read_only(sqlite_db, tmp_path):
    # A write that slips past the checker (a function with side effects would be one) still fails.
    url, engine = _sql._read_only_engine(f"sqlite:///{sqlite_db}")
    with engine.connect() as connection, pytest.raises(Exception, match="readonly"):
        connection.exec_driver_sql("DELETE FROM people")
    engine.dispose()


def test_unreachable_database_hides_the_password(tmp_path):
    with pytest.raises(Unreachable, match=r"cannot reach datastore postgresql://bob:\*\*\*@127.0.0.1:9/db") as error:
        materialize_query("postgresql://bob:hunter2@127.0.0.1:9/db", "SELECT 1", str(tmp_path / "o.parquet"))
    assert "hunter2" not in error.value.message


def test_missing_sqlite_file_is_unreachable(tmp_path):
    with pytest.raises(Unreachable, match="cannot reach datastore sqlite:///"):
        materialize_query(f"sqlite:///{tmp_path / 'nope.db'}", "SELECT 1", str(tmp_path / "o.parquet"))


def test_failing_query_is_invalid_input(sqlite_db, tmp_path):
    with pytest.raises(InvalidInput, match="no such table: nope"):
        materialize_query(f"sqlite:///{sqlite_db}", "SELECT * FROM nope", str(tmp_path / "o.parquet"))

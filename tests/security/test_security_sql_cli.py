"""Smaller items: keyword-named columns in a SQL query, CLI typos, and the CLI starting a server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from modelyard.data import check_select, materialize_query
from modelyard.errors import InvalidInput
from server_fixtures import free_port, run_cli

ACCEPTED = [
    "SELECT 1 AS comment",
    "SELECT n.comment, n.update AS set FROM notes AS n",
    "WITH a AS (SELECT 1 AS delete) SELECT * FROM a",
    "SELECT 1 AS x -- drop this later\n",
    "SELECT 'C:\\data' AS path",
]
REFUSED = {
    "-- x\nDROP TABLE notes": "starts with DROP",
    "/* x */ DELETE FROM notes": "starts with DELETE",
    "SELECT 1 AS x DROP TABLE notes": "uses DROP",
    "WITH g AS (DELETE FROM notes RETURNING *) SELECT * FROM g": "uses DELETE",
    "SELECT * FROM notes FOR UPDATE": "uses UPDATE",
    "SELECT 1; SELECT 2": "more than one statement",
    "SELECT 1 /*! ; DROP TABLE notes */": "more than one statement",  # MySQL runs what /*! holds
    "SELECT 1 --1; DROP TABLE notes": "more than one statement",  # MySQL: '--' needs a space to be a comment
    "SELECT '\\''; DROP TABLE notes; -- '": "backslash before a quote",
    "SELECT comment FROM notes": 't.comment',  # a bare keyword-named column: the message says how to name it
}


@pytest.mark.parametrize("query", ACCEPTED)
def test_keywords_used_as_names_are_accepted(query):
    assert check_select(query) == query.strip()


@pytest.mark.parametrize("query", list(REFUSED))
def test_comments_extra_statements_and_writes_are_still_refused(query):
    with pytest.raises(InvalidInput, match="only a single SELECT") as refused:
        check_select(query)
    assert REFUSED[query] in refused.value.message


def test_a_column_aliased_comment_comes_out_of_sqlite(tmp_path: Path):
    database = tmp_path / "notes.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER, comment TEXT)")
        connection.execute("INSERT INTO notes VALUES (1, 'fine')")
    connection.close()
    dest = tmp_path / "out.parquet"
    assert materialize_query(f"sqlite:///{database}", "SELECT n.comment AS comment FROM notes AS n", str(dest)) == 1
    assert pq.read_table(dest).to_pylist() == [{"comment": "fine"}]


def test_a_cli_typo_is_a_short_usage_error(workspace_root: Path):
    result = run_cli("dta", "list", timeout=60)
    assert result.returncode == 2
    assert "No such command 'dta'" in result.stderr and "Did you mean 'data'?" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout and len(result.stderr.splitlines()) < 8
    option = run_cli("data", "list", "--no-such-flag", timeout=60)
    assert option.returncode == 2 and "No such option" in option.stderr and "Traceback" not in option.stderr


def test_a_cli_command_that_starts_the_server_says_so_on_stderr(workspace_root: Path):
    port = free_port()
    config_file = workspace_root / ".modelyard" / "workspace.yaml"
    config = yaml.safe_load(config_file.read_text())
    config["server"] = {"port": port}
    config_file.write_text(yaml.safe_dump(config))
    result = run_cli("job", "list", "-o", "json", timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"no workspace server is running: starting one in the background on 127.0.0.1:{port}" in result.stderr
    assert f"started the workspace server at http://127.0.0.1:{port}" in result.stderr
    assert "starting" not in result.stdout  # stdout stays the command's own output
    running = run_cli("job", "list", "-o", "json", timeout=60)
    assert running.returncode == 0 and "starting" not in running.stderr  # said only when it starts one

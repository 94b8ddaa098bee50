"""Several processes opening a brand-new metadata database at once all end up on the migrated schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

OPENERS = 8
ROUNDS = 3

OPEN = """
import sys, time
from modelyard.store import open_database
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
engine = open_database(sys.argv[1])
with engine.connect() as connection:
    print(connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar())
engine.dispose()
"""


def open_concurrently(url: str) -> list[str]:
    """Open ``url`` from OPENERS processes released at the same moment; their reported revisions."""
    import time

    start = time.time() + 2.0  # every process is up and waiting before they are released together
    processes = [subprocess.Popen([sys.executable, "-c", OPEN, url, repr(start)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(OPENERS)]
    results = [process.communicate(timeout=120) for process in processes]
    failures = [next((line for line in reversed(err.splitlines()) if "Error" in line), err[-300:])
                for process, (_, err) in zip(processes, results) if process.returncode]
    assert not failures, failures
    return [out.strip() for out, _ in results]


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from modelyard.store._database import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_sqlite_first_open_from_many_processes(tmp_path: Path, round_: int):
    assert open_concurrently(f"sqlite:///{tmp_path / 'meta.db'}") == [head_revision()] * OPENERS


@pytest.mark.postgres
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_postgres_first_open_from_many_processes(fresh_postgres_url: str, round_: int):
    assert open_concurrently(fresh_postgres_url) == [head_revision()] * OPENERS

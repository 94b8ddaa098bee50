"""DuckDB connections tuned for bounded memory, and SQL quoting helpers."""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import duckdb

from modelyard.errors import TimeLimitExceeded

# Peak memory of the engine is roughly this limit plus pyarrow buffers; DuckDB spills the rest
# to a temporary directory. Override with MODELYARD_DATA_MEMORY_LIMIT (e.g. "4GB").
DEFAULT_MEMORY_LIMIT = "1GB"
# Queries over many columns take this many at a time: planning one expression per column costs
# about 2 ms a column, and one query over thousands of columns exhausts memory or DuckDB's limits.
COLUMN_BATCH = 400


# Seconds one server request may spend in the engine (reading, inferring, validating, profiling,
# previewing; see api/routes/data.py); over it the running query is interrupted and
# TimeLimitExceeded raised. Just under
# the client's 300 s timeout, so the caller gets the reason. MODELYARD_DATA_TIME_LIMIT overrides
# it (0: no limit).
DEFAULT_TIME_LIMIT = 270.0
_deadline: ContextVar[tuple[float, float] | None] = ContextVar("modelyard_data_deadline", default=None)


def configured_time_limit() -> float:
    return float(os.environ.get("MODELYARD_DATA_TIME_LIMIT", DEFAULT_TIME_LIMIT))


@contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Bound the engine work done inside the block (every connection it opens) to ``seconds``
    (the configured limit by default); an enclosing, earlier deadline stays in force."""
    seconds = configured_time_limit() if seconds is None else seconds
    outer = _deadline.get()
    if seconds <= 0 or (outer is not None and outer[0] <= time.monotonic() + seconds):
        yield
        return
    token = _deadline.set((time.monotonic() + seconds, seconds))
    try:
        yield
    finally:
        _deadline.reset(token)


def check_time() -> None:
    """TimeLimitExceeded once the deadline has passed: for loops in Python, which no interrupt stops."""
    deadline = _deadline.get()
    if deadline is not None and deadline[0] <= time.monotonic():
        raise _over_time(deadline[1])


def _over_time(seconds: float) -> TimeLimitExceeded:
    return TimeLimitExceeded(
        f"the data work took longer than the {seconds:g} s a request may take, and was stopped (nothing was "
        "stored); register large or wide files with profiling off (--no-profile), or raise "
        "MODELYARD_DATA_TIME_LIMIT on the server"
    )


class _Watchdog:
    """Interrupts a connection's queries once the block's deadline passes, again every 50 ms (an
    interrupt between two queries is lost) until the block ends."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.fired = False
        self.limit = None
        self._done = threading.Event()
        deadline = _deadline.get()
        if deadline is None:
            return
        at, self.limit = deadline
        if at <= time.monotonic():
            raise _over_time(self.limit)

        def watch() -> None:
            if self._done.wait(at - time.monotonic()):
                return
            self.fired = True
            while True:
                con.interrupt()
                if self._done.wait(0.05):
                    return

        threading.Thread(target=watch, name="modelyard-data-deadline", daemon=True).start()

    def cancel(self) -> None:
        self._done.set()


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: list[str]) -> str:
    return "[" + ", ".join(quote_literal(v) for v in values) + "]"


def column_batches(items: list, size: int = COLUMN_BATCH) -> list[list]:
    """``items`` in consecutive batches of at most ``size`` (one empty batch for no items)."""
    return [items[start : start + size] for start in range(0, len(items), size)] or [[]]


_UNITS = {"": 1, "B": 1, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
          "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}


def memory_limit_bytes(con: duckdb.DuckDBPyConnection) -> int:
    """DuckDB's current memory limit in bytes (it reports e.g. '953.6 MiB')."""
    text = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    match = re.fullmatch(r"\s*([0-9.]+)\s*([A-Za-z]*)\s*", str(text))
    if not match or match.group(2).upper() not in _UNITS:
        return 2**30
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def _no_progress_bar(con: duckdb.DuckDBPyConnection) -> None:
    """Never draw on the user's terminal. In a Jupyter kernel without ipywidgets DuckDB refuses any change
    to the progress bar setting (it cannot draw one there anyway): then it is left as it is."""
    try:
        con.execute("SET enable_progress_bar = false")
    except duckdb.InvalidInputException as error:
        if "ipywidgets" not in str(error):
            raise


@contextmanager
def engine_connection(work_dir: str | Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A private in-memory DuckDB whose overflow spills into a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="modelyard-duck-", dir=work_dir) as spill_dir:
        con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
        try:
            watchdog = _Watchdog(con)
        except TimeLimitExceeded:
            con.close()
            raise
        try:
            con.execute(f"SET memory_limit = {quote_literal(os.environ.get('MODELYARD_DATA_MEMORY_LIMIT', DEFAULT_MEMORY_LIMIT))}")
            con.execute(f"SET temp_directory = {quote_literal(spill_dir)}")
            con.execute(f"SET threads = {max(1, os.cpu_count() or 1)}")
            con.execute("SET preserve_insertion_order = true")
            _no_progress_bar(con)
            yield con
        except BaseException as error:
            if watchdog.fired and not isinstance(error, GeneratorExit):
                raise _over_time(watchdog.limit) from None
            raise
        finally:
            watchdog.cancel()
            con.close()

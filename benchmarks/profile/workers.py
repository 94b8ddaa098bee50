"""One profiling system per process: ``python workers.py SYSTEM FILE`` prints JSON (seconds, CPU
seconds of all threads, peak RSS; modelyard adds its per-phase seconds). FILE is CSV or Parquet."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peak_memory import rss_mb  # noqa: E402

PHASES: dict[str, float] = {}


def _scan(path: str) -> str:
    return f"read_parquet('{path}')" if path.endswith(".parquet") else f"read_csv('{path}')"


def modelyard(path: str) -> None:
    """What `modelyard data create --type mltable` runs: inference, validation and profile, one parse."""
    from modelyard.data import TabularSource, inspect_source
    from modelyard._phases import recording

    with recording() as times:
        inspect_source(TabularSource(files=(path,)), [])
    PHASES.update(times)


def modelyard_two_step(path: str) -> None:
    """The earlier path: infer_schema, then profile_source (the file parsed twice)."""
    from modelyard.data import TabularSource, infer_schema, profile_source

    source = TabularSource(files=(path,))
    profile_source(source, infer_schema(source))


def duckdb_summarize(path: str) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(f"SUMMARIZE SELECT * FROM {_scan(path)}").fetchall()


# What exact distinct counts alone cost: DuckDB's count(DISTINCT) of every column and nothing else,
# in one query (every hash table held at once), or a few columns per query under a memory limit of
# about 1.5x SUMMARIZE's peak (the file read again for each batch). A floor for any exact profile.
FLOOR_BATCH = 7
FLOOR_MEMORY_LIMIT = "300MB"


def _distinct_counts(con, path: str, batch: int) -> None:
    columns = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {_scan(path)}").fetchall()]
    for start in range(0, len(columns), batch):
        counted = ", ".join(f'count(DISTINCT "{name}")' for name in columns[start:start + batch])
        con.execute(f"SELECT {counted} FROM {_scan(path)}").fetchall()


def exact_distinct(path: str) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute("SET memory_limit = '1GB'")
    _distinct_counts(con, path, batch=10_000)


def exact_distinct_batched(path: str) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{FLOOR_MEMORY_LIMIT}'")
    _distinct_counts(con, path, batch=FLOOR_BATCH)


def pandas_describe(path: str) -> None:
    import pandas as pd

    frame = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path)
    frame.describe(include="all")
    frame.select_dtypes("number").quantile([0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999])


def ydata_minimal(path: str) -> None:
    import pandas as pd
    from ydata_profiling import ProfileReport

    frame = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path)
    ProfileReport(frame, minimal=True, progress_bar=False).get_description()


if __name__ == "__main__":
    system, data_path = sys.argv[1], sys.argv[2]
    if system.startswith("modelyard"):
        __import__("modelyard.data")  # imports are not the profiling work
    started, cpu_started = time.perf_counter(), time.process_time()
    globals()[system](data_path)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": rss_mb(), "phases": PHASES}))

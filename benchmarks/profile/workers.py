"""One profiling system per process: ``python workers.py SYSTEM CSV`` prints JSON (seconds, peak RSS)."""

from __future__ import annotations

import json
import resource
import sys
import time


def modelyard(path: str) -> None:
    from modelyard.data import TabularSource, infer_schema, profile_source

    source = TabularSource(files=(path,))
    profile_source(source, infer_schema(source))


def duckdb_summarize(path: str) -> None:
    import duckdb

    con = duckdb.connect()
    con.execute(f"SUMMARIZE SELECT * FROM read_csv('{path}')").fetchall()


def pandas_describe(path: str) -> None:
    import pandas as pd

    frame = pd.read_csv(path)
    frame.describe(include="all")
    frame.select_dtypes("number").quantile([0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999])


def ydata_minimal(path: str) -> None:
    import pandas as pd
    from ydata_profiling import ProfileReport

    ProfileReport(pd.read_csv(path), minimal=True, progress_bar=False).get_description()


if __name__ == "__main__":
    system, csv_path = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    globals()[system](csv_path)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_mb}))

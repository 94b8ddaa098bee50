"""The peer of drift.py: Evidently's data drift preset on the same two files, in Evidently's own environment.

    benchmarks/monitoring/.venv/bin/python benchmarks/monitoring/evidently_peer.py REFERENCE.csv PRODUCTION.parquet

Prints one JSON line: seconds of ``Report([DataDriftPreset()]).run`` (reading excluded, timed apart),
the process's resident memory once the data is read and its peak, and the columns Evidently finds
drifting.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pandas as pd
from evidently import Report
from evidently.presets import DataDriftPreset

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peak_memory import rss_mb  # noqa: E402


def drifted_columns(snapshot) -> list[str]:
    """Columns whose value-drift metric crosses its threshold, read from the snapshot's JSON."""
    found = []
    for metric in snapshot.dict()["metrics"]:
        config = metric.get("config", {})
        if config.get("type", "").endswith("ValueDrift"):
            threshold = config.get("threshold")
            value = metric["value"]
            method = str(config.get("method", "")).lower()
            drifted = value < threshold if "p_value" in method or "test" in method else value >= threshold
            if drifted:
                found.append(config["column"])
    return sorted(found)


def main(reference_path: str, production_path: str) -> None:
    start = time.perf_counter()
    reference = pd.read_csv(reference_path, encoding="utf-8-sig")
    production = pd.read_parquet(production_path)
    read, loaded = time.perf_counter() - start, rss_mb("VmRSS")
    start = time.perf_counter()
    snapshot = Report([DataDriftPreset()]).run(current_data=production, reference_data=reference)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "read_seconds": read, "peak_rss_mb": rss_mb(), "loaded_rss_mb": loaded,
                      "drifted": drifted_columns(snapshot), "features": reference.shape[1]}))


if __name__ == "__main__":
    main(*sys.argv[1:3])

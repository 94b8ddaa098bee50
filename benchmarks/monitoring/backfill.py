"""Backfill benchmark: one monitor job over N daily periods vs N single-window runs of the same monitor.

    python benchmarks/monitoring/backfill.py                       # 1,000,000 production rows, 30 days
    python benchmarks/monitoring/backfill.py --rows 100000 --days 7

Reference: the HR attrition CSV (``MODELYARD_SAMPLE_DATA`` or ``../shared/data/HR-Employee-Attrition.csv``).
Production: ``--rows`` rows resampled from it, each with an ISO 8601 text time spread over ``--days`` days (as
collected data and CSV assets hold them). Both sides run the runner's ``evaluate`` on tables already in
memory (reading and imports excluded): the backfill as one job (text times parsed once, every period cut from them), the
peer as ``--days`` jobs of one period each (``monitor run --start --end`` per day, each parsing the times).
Printed: seconds of each, the ratio, and that both found the same status for every day.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "HR-Employee-Attrition.csv"
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def production(reference, rows: int, days: int):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(1)
    frame = reference.iloc[rng.integers(0, len(reference), rows)].drop(columns=["Attrition"]).reset_index(drop=True)
    offsets = pd.to_timedelta(rng.integers(0, days * 86_400, rows), unit="s")
    frame["scored_at"] = (pd.Timestamp(START) + offsets).strftime("%Y-%m-%dT%H:%M:%SZ")
    return frame


def job(periods) -> object:
    from modelyard.spec.monitor_definition import MonitorJob

    return MonitorJob(monitor="backfill", periods=periods, now=START, definition={
        "monitoring_target": {
            "production_data": {"input_data": {"path": "azureml:production:1"}, "timestamp_column": "scored_at"},
            "reference_data": {"input_data": {"path": "azureml:reference:1"}, "target_column_name": "Attrition"}},
        "monitoring_signals": {"drift": {"type": "data_drift"}}})


def timed(reference, rows, spec_periods: list) -> tuple[float, list[str]]:
    """Seconds and per-period statuses of one job per entry of ``spec_periods`` (fresh tables for each job)."""
    from modelyard.runtime._monitor import evaluate

    seconds, statuses = 0.0, []
    for periods in spec_periods:
        tables = {"azureml:reference:1": reference, "azureml:production:1": rows.copy()}
        began = time.perf_counter()
        result = evaluate(job(periods), tables, "benchmark")
        seconds += time.perf_counter() - began
        statuses += [period.status for period in result.periods]
    return seconds, statuses


def main() -> None:
    import pandas as pd

    from modelyard.services.monitors import periods_between

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--reference", type=Path,
                        default=Path(os.environ.get("MODELYARD_SAMPLE_DATA") or DEFAULT_DATA))
    args = parser.parse_args()
    reference = pd.read_csv(args.reference, encoding="utf-8-sig")
    rows = production(reference, args.rows, args.days)
    periods = periods_between(START, START + timedelta(days=args.days), "day")
    timed(reference, rows.head(1000), [periods[:1]])  # imports (scipy, the engine) are not what is measured
    backfill, together = timed(reference, rows, [periods])
    apart, alone = timed(reference, rows, [[period] for period in periods])
    print(f"{args.rows:,} production rows x {rows.shape[1]} columns over {args.days} days, reference "
          f"{len(reference):,} rows")
    print(f"one backfill job:          {backfill:7.2f} s")
    print(f"{args.days} single-period jobs:    {apart:7.2f} s")
    print(f"ratio (single / backfill): {apart / backfill:7.2f}x; same statuses per day: {together == alone}")
    sys.exit(0 if together == alone else 1)


if __name__ == "__main__":
    main()

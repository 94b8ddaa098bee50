"""The monitor backfill benchmark runs end to end at a tiny size (no timing assertions: figures are for humans)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "monitoring" / "backfill.py"


def test_backfill_benchmark_runs_and_both_ways_agree(hr_csv):
    done = subprocess.run([sys.executable, str(SCRIPT), "--rows", "3000", "--days", "2", "--reference", str(hr_csv)],
                          capture_output=True, text=True, timeout=800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "3,000 production rows" in done.stdout and "same statuses per day: True" in done.stdout

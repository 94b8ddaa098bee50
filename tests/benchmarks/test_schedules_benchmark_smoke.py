"""The schedules benchmark runs end to end at a tiny size (no timing assertions: figures are for humans)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "mlops" / "schedules.py"


def test_schedules_benchmark_runs_and_prints_the_ratio():
    done = subprocess.run([sys.executable, str(SCRIPT), "--schedules", "8", "--seconds", "2", "--settle", "1"],
                          capture_output=True, text=True, timeout=800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "created 8 schedules" in done.stdout and "8 enabled" in done.stdout
    assert "with / without:" in done.stdout and "% of one core" in done.stdout

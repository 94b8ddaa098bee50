"""The data collection benchmark runs end to end at a tiny size (no timing assertions: figures are for humans)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "monitoring" / "collection.py"


@pytest.mark.skipif(shutil.which("wrk") is None, reason="the serving benchmarks load with wrk")
def test_collection_benchmark_runs_and_prints_the_ratio():
    done = subprocess.run([sys.executable, str(SCRIPT), "--duration", "1", "--rounds", "1"],
                          capture_output=True, text=True, timeout=800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "ratio on/off" in done.stdout and "dropped 0" in done.stdout
    collected = re.search(r"collected (\d+) input rows of (\d+) requests wrk counted", done.stdout)
    # wrk stops counting with requests still in flight: those are answered, and collected, too
    assert collected and int(collected.group(1)) >= int(collected.group(2)) > 0, done.stdout[-2000:]

"""The jobs benchmark runs end to end at a tiny size (no timing assertions: figures are for humans)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "jobs" / "run.py"


def test_jobs_benchmark_runs_and_prints_the_table(tmp_path: Path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--jobs", "5", "--metrics", "200", "--results", str(tmp_path)],
                          capture_output=True, text=True, timeout=800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for figure in ("submit -> Running, median / p90", "per-job overhead", "modelyard.run.log", "mlflow.log_metric"):
        assert figure in done.stdout
    assert "ERROR" not in done.stdout
    assert list(tmp_path.glob("jobs-*.json"))

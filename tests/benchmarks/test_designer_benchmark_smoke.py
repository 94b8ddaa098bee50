"""The Designer engine benchmark runs end to end at a tiny size (no timing assertions: figures are for humans)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "designer" / "engine.py"


def test_designer_benchmark_runs_and_prints_the_ratio(hr_csv):
    env = {**os.environ, "MODELYARD_SAMPLE_DATA": str(hr_csv),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, str(SCRIPT), "--runs", "1"], capture_output=True, text=True, timeout=240,
                          env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for figure in ("Train Model", "Evaluate Model", "designer path p50", "plain script p50", "ratio",
                   "peak resident memory"):
        assert figure in done.stdout

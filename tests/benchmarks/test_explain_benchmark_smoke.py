"""The explain benchmark runs end to end at a small size (no timing assertions: figures are for humans)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "explain" / "run.py"


def test_explain_benchmark_runs_and_prints_every_case(hr_csv):
    done = subprocess.run([sys.executable, str(SCRIPT), "--data", str(hr_csv), "--rows", "3000",
                           "--local-rows", "100", "--agnostic-rows", "2", "--background-rows", "10"],
                          capture_output=True, text=True, timeout=800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    lines = done.stdout.splitlines()
    for case in ("HR 1470 rows, LightGBM, tree SHAP", "HR 1470 rows, LogisticRegression, linear",
                 "3000 x 35, LightGBM, tree SHAP", "HR 2 rows, probability, permutation vs kernel"):
        (line,) = [line for line in lines if line.startswith(case)]
        difference = float(re.search(r"\dx\s+(\S+)", line).group(1))
        if "permutation" not in case:   # exact methods: the same contributions as shap's
            assert difference <= 1e-6, line

"""The Designer benchmarks run end to end at a tiny size (no timing assertions: figures are for humans)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "benchmarks" / "designer"


def run_script(name: str, hr_csv, *args: str) -> str:
    env = {**os.environ, "MODELYARD_SAMPLE_DATA": str(hr_csv),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, str(SCRIPTS / name), *args], capture_output=True, text=True, timeout=800,
                          env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_designer_benchmark_runs_and_prints_the_ratio(hr_csv):
    out = run_script("engine.py", hr_csv, "--runs", "1")
    for figure in ("Train Model", "Evaluate Model", "designer path p50", "plain script p50", "ratio",
                   "peak resident memory"):
        assert figure in out


def test_inference_benchmark_serves_the_designer_model_on_the_compiled_path(hr_csv):
    out = run_script("inference.py", hr_csv, "--requests", "3")
    assert "designer: compiled=True" in out  # the deployed inference pipeline scores as any compiled model does
    assert "1 row(s) per request: designer" in out and "ratio" in out


def test_large_benchmark_runs_the_draft_on_a_server_and_prints_memory_and_the_floor(hr_csv):
    out = run_script("large.py", hr_csv, "--rows", "3000", "--learner", "boosted")
    for figure in ("rows: 3000, columns: 35", "Train Model) step", "designer run", "plain script", "ratio",
                   "peak resident memory: largest designer process"):
        assert figure in out

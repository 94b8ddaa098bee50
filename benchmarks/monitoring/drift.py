"""Drift benchmark: modelyard's drift engine vs Evidently's data drift preset on the same data.

    python benchmarks/monitoring/drift.py                  # 1,000,000 production rows x 35 columns
    python benchmarks/monitoring/drift.py --rows 100000    # a quick look
    python benchmarks/monitoring/drift.py --no-peer        # modelyard only

Reference: the HR attrition CSV (1,470 rows x 35 columns; ``MODELYARD_SAMPLE_DATA`` or
``../shared/data/HR-Employee-Attrition.csv``). Production: ``--rows`` rows resampled from it with a shift
(Age +5 years, MonthlyIncome +3000, 15% of BusinessTravel a new category 'Travel_Weekly'), written once to
``benchmarks/monitoring/data/`` as parquet. Each system runs in a fresh process that reads the same two
files; printed: the drift computation's seconds (reading and imports excluded, reading timed apart), the
process's resident memory once the data is read and its peak (data included), the features found
drifting, and the ratios Evidently / modelyard.

modelyard: ``compute_drift`` with a ``data_drift`` signal at the default thresholds, every feature, over
a pandas DataFrame and over a pyarrow Table. Evidently: ``Report([DataDriftPreset()])`` run on the same
pandas DataFrames, in its own virtual environment (Evidently pins its own numpy/pandas), created on the
first run with ``python3 -m venv benchmarks/monitoring/.venv && benchmarks/monitoring/.venv/bin/pip install
"evidently>=0.7,<0.8" "pandas<3" pyarrow`` (git ignores it; Evidently 0.7 does not import under pandas 3);
give another interpreter with ``--peer-python``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peak_memory import rss_mb  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "HR-Employee-Attrition.csv"
PEER_VENV = HERE / ".venv"
PEER_REQUIREMENTS = ["evidently>=0.7,<0.8", "pandas<3", "pyarrow"]
SHIFTED = ["Age", "MonthlyIncome", "BusinessTravel"]


def production_file(reference: Path, rows: int) -> Path:
    """The shifted production table as parquet, built once per row count."""
    import numpy as np
    import pandas as pd

    path = HERE / "data" / f"production-{rows}.parquet"
    if path.is_file():
        return path
    hr = pd.read_csv(reference, encoding="utf-8-sig")
    rng = np.random.default_rng(20)
    production = hr.iloc[rng.integers(0, len(hr), rows)].reset_index(drop=True)
    production["Age"] += 5
    production["MonthlyIncome"] += 3000
    production.loc[rng.random(rows) < 0.15, "BusinessTravel"] = "Travel_Weekly"
    path.parent.mkdir(exist_ok=True)
    partial = path.with_suffix(".partial")
    production.to_parquet(partial, index=False)
    partial.rename(path)
    return path


def run_modelyard(reference: Path, production: Path, table: str) -> dict:
    """In this (child) process: read both sides, then time compute_drift alone."""
    sys.path.insert(0, str(ROOT / "src"))
    import pandas as pd
    import pyarrow.parquet as pq
    import scipy.spatial.distance  # noqa: F401  imported before the timer, as Evidently's import does
    import scipy.stats  # noqa: F401

    from modelyard.monitor import compute_drift
    from modelyard.spec.monitor import MonitorSignal

    start = time.perf_counter()
    hr = pd.read_csv(reference, encoding="utf-8-sig")
    current = pq.read_table(production)
    if table == "pandas":
        current = current.to_pandas()
    read, loaded = time.perf_counter() - start, rss_mb("VmRSS")
    start = time.perf_counter()
    result = compute_drift(hr, current, MonitorSignal(type="data_drift"))
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "read_seconds": read, "peak_rss_mb": rss_mb(), "loaded_rss_mb": loaded,
            "drifted": sorted(result.failed_features), "features": len(result.features)}


def child(command: list[str]) -> dict:
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def peer_python(given: str | None) -> str:
    if given:
        return given
    python = PEER_VENV / "bin" / "python"
    if not python.is_file():
        print(f"creating Evidently's environment in {PEER_VENV} (once) ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_REQUIREMENTS], check=True)
    return str(python)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reference", type=Path,
                        default=Path(os.environ.get("MODELYARD_SAMPLE_DATA") or DEFAULT_DATA))
    parser.add_argument("--no-peer", action="store_true", help="skip Evidently")
    parser.add_argument("--peer-python", help="an interpreter with evidently 0.7 installed")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", choices=["pandas", "arrow"], help=argparse.SUPPRESS)
    parser.add_argument("--production", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_modelyard(args.reference, args.production, args.child)))
        return

    production = production_file(args.reference, args.rows)
    print(f"reference {args.reference.name} (1,470 rows) vs production {args.rows:,} rows x 35 columns "
          f"(shifted: {', '.join(SHIFTED)})", flush=True)
    results = {}
    for table in ("pandas", "arrow"):
        results[f"modelyard ({table})"] = child([sys.executable, __file__, "--child", table, "--reference",
                                                 str(args.reference), "--production", str(production)])
    if not args.no_peer:
        results["evidently DataDriftPreset"] = child([peer_python(args.peer_python), str(HERE / "evidently_peer.py"),
                                                      str(args.reference), str(production)])
    print(f"{'system':28} {'drift s':>8} {'read s':>7} {'RSS read MB':>12} {'peak RSS MB':>12}  drifted features")
    for name, result in results.items():
        print(f"{name:28} {result['seconds']:8.2f} {result['read_seconds']:7.2f} {result['loaded_rss_mb']:12.0f} "
              f"{result['peak_rss_mb']:12.0f}  {', '.join(result['drifted'])}")
    peer = results.get("evidently DataDriftPreset")
    if peer:
        ratio = peer["seconds"] / results["modelyard (pandas)"]["seconds"]
        print(f"Evidently / modelyard (pandas): {ratio:.1f}x the time, "
              f"{peer['peak_rss_mb'] / results['modelyard (pandas)']['peak_rss_mb']:.1f}x the peak memory")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

"""Profile benchmark: modelyard vs DuckDB SUMMARIZE, pandas and ydata-profiling (minimal).

    python benchmarks/profile/run.py [--rows 1000000] [--also-10m] [--no-ydata] [--two-step]
                                     [--memory-limit 1GB]

Each system runs in its own subprocess; wall time is the profiling work (after imports), CPU the
child's CPU seconds over all threads (steadier than wall time on a shared machine), peak RSS the
child's. ``modelyard`` is ``inspect_source``, what ``modelyard data create --type mltable`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PEERS_VENV = HERE / ".venv-peers"
YDATA_MAX_ROWS = 1_000_000  # at 10M rows ydata minimal exceeded 18 GB on this kind of machine

sys.path.insert(0, str(HERE))
from generate import generate_csv  # noqa: E402


def peers_python() -> tuple[Path | None, str]:
    """The benchmark-only virtualenv with ydata-profiling (its pins clash with the main venv)."""
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {PEERS_VENV} and installing ydata-profiling (once)...", flush=True)
        venv.create(PEERS_VENV, with_pip=True)
    probe = subprocess.run([python, "-c", "import ydata_profiling"], capture_output=True)
    if probe.returncode != 0:
        install = subprocess.run(
            [python, "-m", "pip", "install", "-q", "ydata-profiling", "setuptools"], capture_output=True, text=True
        )
        if install.returncode != 0:
            return None, "pip install ydata-profiling failed: " + install.stderr.strip().splitlines()[-1]
    return python, ""


def measure(python: Path | str, system: str, csv: Path, env: dict | None = None) -> dict | str:
    done = subprocess.run([str(python), str(HERE / "workers.py"), system, str(csv)], capture_output=True, text=True,
                          env=env)
    if done.returncode != 0:
        return f"failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(rows: int, peers: Path | None, peers_note: str, two_step: bool, memory_limit: str | None,
        pandas: bool = True) -> list[tuple]:
    csv = generate_csv(DATA / f"bench_{rows}.csv", rows)
    results = []
    systems = [(sys.executable, "modelyard"), (sys.executable, "duckdb_summarize")]
    if two_step:
        systems.append((sys.executable, "modelyard_two_step"))
    if pandas:
        systems.append((sys.executable, "pandas_describe"))
    if rows > YDATA_MAX_ROWS:
        print(f"skipping ydata-profiling at {rows:,} rows (it exceeded 18 GB at 10M rows)")
    elif peers is None:
        print(f"skipping ydata-profiling: {peers_note}")
    else:
        systems.append((peers, "ydata_minimal"))
    for python, system in systems:
        print(f"  {system} on {rows:,} rows...", flush=True)
        env = None
        if memory_limit and system.startswith("modelyard"):
            env = {**os.environ, "MODELYARD_DATA_MEMORY_LIMIT": memory_limit}
        results.append((system, rows, measure(python, system, csv, env)))
    return results


def report(results: list[tuple]) -> None:
    print(f"\n{'system':<20} {'rows':>11} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12}")
    by_key = {}
    for system, rows, outcome in results:
        if isinstance(outcome, str):
            print(f"{system:<20} {rows:>11,} {outcome}")
            continue
        by_key[(system, rows)] = outcome
        print(f"{system:<20} {rows:>11,} {outcome['seconds']:>8.2f} {outcome.get('cpu_seconds', float('nan')):>8.2f} "
              f"{outcome['peak_rss_mb']:>12.0f}")
    print()
    for rows in sorted({rows for _, rows, _ in results}):
        mine = by_key.get(("modelyard", rows))
        if not mine:
            continue
        duck, ydata = by_key.get(("duckdb_summarize", rows)), by_key.get(("ydata_minimal", rows))
        two = by_key.get(("modelyard_two_step", rows))
        if duck:
            print(f"{rows:>11,} rows  modelyard/duckdb: wall {mine['seconds'] / duck['seconds']:.2f}x, "
                  f"CPU {mine['cpu_seconds'] / duck['cpu_seconds']:.2f}x (target <= 1.5x)")
        if ydata:
            print(f"{rows:>11,} rows  ydata/modelyard: wall {ydata['seconds'] / mine['seconds']:.1f}x (target >= 25x), "
                  f"memory {ydata['peak_rss_mb'] / mine['peak_rss_mb']:.1f}x (target >= 10x)")
        if two:
            print(f"{rows:>11,} rows  two-step/one-parse: wall {two['seconds'] / mine['seconds']:.2f}x, "
                  f"CPU {two['cpu_seconds'] / mine['cpu_seconds']:.2f}x")
        if rows >= 10_000_000:
            print(f"{rows:>11,} rows  modelyard: {mine['seconds']:.1f} s (target <= 60 s), "
                  f"peak RSS {mine['peak_rss_mb']:.0f} MB (target < 2048 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--also-10m", action="store_true", help="also run modelyard, DuckDB and pandas on 10M rows")
    parser.add_argument("--no-ydata", action="store_true", help="skip ydata-profiling")
    parser.add_argument("--no-pandas-10m", action="store_true", help="skip pandas at 10M rows")
    parser.add_argument("--two-step", action="store_true", help="also time infer_schema + profile_source (two parses)")
    parser.add_argument("--memory-limit", help="DuckDB memory limit for modelyard (MODELYARD_DATA_MEMORY_LIMIT)")
    args = parser.parse_args()
    peers, note = (None, "--no-ydata given") if args.no_ydata else peers_python()
    results = run(args.rows, peers, note, args.two_step, args.memory_limit)
    if args.also_10m:
        results += run(10_000_000, peers, note, args.two_step, args.memory_limit, pandas=not args.no_pandas_10m)
    report(results)


if __name__ == "__main__":
    main()

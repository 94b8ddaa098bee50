"""Profile benchmark: modelyard vs DuckDB SUMMARIZE (same run), optionally pandas and ydata-profiling.

    python benchmarks/profile/run.py [--rows 1000000] [--files standard,heavy] [--formats csv,parquet]
                                     [--repeat 1] [--also-10m] [--pandas] [--ydata] [--two-step] [--floors]
                                     [--memory-limit 1GB]

Each system runs in its own subprocess; wall time is the profiling work (after imports), CPU the
child's CPU seconds over all threads (steadier than wall time on a shared machine), peak RSS the
child's. ``modelyard`` is ``inspect_source``, what ``modelyard data create --type mltable`` runs;
its per-phase seconds are printed too. Files: ``standard`` (``generate.py``, 35 clean columns) and
``heavy`` (``heavy.py``, 35 messy columns), each as CSV and its Parquet variant.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
PEERS_VENV = HERE / ".venv-peers"
YDATA_MAX_ROWS = 1_000_000  # at 10M rows ydata minimal exceeded 18 GB on this kind of machine
TARGET_WALL, TARGET_MEMORY = 1.1, 1.5  # x DuckDB SUMMARIZE (issue 12)

sys.path.insert(0, str(HERE))
from generate import generate_csv  # noqa: E402
from heavy import generate_heavy  # noqa: E402


def data_files(kind: str, rows: int) -> dict[str, Path]:
    """{"csv": path, "parquet": path} of a generated file (cached in ``data/``)."""
    if kind == "heavy":
        csv, parquet = generate_heavy(DATA / f"heavy_{rows}.csv", rows)
        return {"csv": csv, "parquet": parquet}
    csv = generate_csv(DATA / f"bench_{rows}.csv", rows)
    parquet = csv.with_suffix(".parquet")
    if not parquet.exists():
        import duckdb

        partial = parquet.with_suffix(".partial")
        duckdb.connect().execute(f"COPY (SELECT * FROM read_csv('{csv}')) TO '{partial}' (FORMAT parquet)")
        partial.rename(parquet)
    return {"csv": csv, "parquet": parquet}


def peers_python() -> tuple[Path | None, str]:
    """The benchmark-only virtualenv with ydata-profiling (its pins clash with the main venv)."""
    python = PEERS_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {PEERS_VENV} and installing ydata-profiling (once)...", flush=True)
        venv.create(PEERS_VENV, with_pip=True)
    probe = subprocess.run([python, "-c", "import ydata_profiling"], capture_output=True)
    if probe.returncode != 0:
        install = subprocess.run(
            [python, "-m", "pip", "install", "-q", "ydata-profiling", "setuptools", "pyarrow"], capture_output=True,
            text=True)
        if install.returncode != 0:
            return None, "pip install ydata-profiling failed: " + install.stderr.strip().splitlines()[-1]
    return python, ""


def measure(python: Path | str, system: str, path: Path, env: dict | None = None) -> dict | str:
    done = subprocess.run([str(python), str(HERE / "workers.py"), system, str(path)], capture_output=True, text=True,
                          env=env)
    if done.returncode != 0:
        return f"failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_outcome(outcomes: list[dict | str]) -> dict | str:
    good = [o for o in outcomes if isinstance(o, dict)]
    if not good:
        return outcomes[0]
    merged = {key: statistics.median(o[key] for o in good) for key in ("seconds", "cpu_seconds", "peak_rss_mb")}
    merged["runs"] = [round(o["seconds"], 2) for o in good]
    phases = [o.get("phases") or {} for o in good]
    merged["phases"] = {name: {clock: statistics.median((p.get(name) or {}).get(clock, 0.0) for p in phases)
                               for clock in ("wall", "cpu")} for name in phases[0]}
    return merged


def warm_page_cache(path: Path) -> None:
    """Read the file once, so the first system to read it does not pay the disk alone (a 10M-row file read
    before can have pushed the 1M-row one out of the page cache)."""
    with path.open("rb") as handle:
        while handle.read(1 << 24):
            pass


def run(kind: str, rows: int, formats: list[str], args, peers: Path | None, peers_note: str) -> list[tuple]:
    files = data_files(kind, rows)
    systems = [(sys.executable, "modelyard"), (sys.executable, "duckdb_summarize")]
    if args.two_step:
        systems.append((sys.executable, "modelyard_two_step"))
    if args.floors:
        systems += [(sys.executable, "exact_distinct"), (sys.executable, "exact_distinct_batched")]
    if args.pandas:
        systems.append((sys.executable, "pandas_describe"))
    if args.ydata and rows <= YDATA_MAX_ROWS:
        if peers is None:
            print(f"skipping ydata-profiling: {peers_note}")
        else:
            systems.append((peers, "ydata_minimal"))
    results = []
    for fmt in formats:
        label = f"{kind} {fmt}"
        outcomes: dict[str, list] = {system: [] for _, system in systems}
        warm_page_cache(files[fmt])
        for repetition in range(args.repeat):  # interleaved, so load changes hit every system alike
            for python, system in systems:
                print(f"  {system} on {label} {rows:,} rows (run {repetition + 1})...", flush=True)
                env = None
                if args.memory_limit and system.startswith("modelyard"):
                    env = {**os.environ, "MODELYARD_DATA_MEMORY_LIMIT": args.memory_limit}
                outcomes[system].append(measure(python, system, files[fmt], env))
        results += [(system, label, rows, median_outcome(found)) for system, found in outcomes.items()]
    return results


def report(results: list[tuple]) -> None:
    print(f"\n{'system':<20} {'file':<16} {'rows':>11} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12}  runs")
    by_key = {}
    for system, label, rows, outcome in results:
        if isinstance(outcome, str):
            print(f"{system:<20} {label:<16} {rows:>11,} {outcome}")
            continue
        by_key[(system, label, rows)] = outcome
        print(f"{system:<20} {label:<16} {rows:>11,} {outcome['seconds']:>8.2f} {outcome['cpu_seconds']:>8.2f} "
              f"{outcome['peak_rss_mb']:>12.0f}  {outcome['runs']}")
    print()
    for (system, label, rows), mine in by_key.items():
        if system != "modelyard":
            continue
        print(f"modelyard phases, {label} {rows:,} rows (median wall / CPU s): "
              + ", ".join(f"{name} {spent['wall']:.2f} / {spent['cpu']:.2f}" for name, spent in mine["phases"].items()))
        duck = by_key.get(("duckdb_summarize", label, rows))
        if duck:
            print(f"  modelyard/duckdb SUMMARIZE: wall {mine['seconds'] / duck['seconds']:.2f}x "
                  f"(target <= {TARGET_WALL}x), CPU {mine['cpu_seconds'] / duck['cpu_seconds']:.2f}x, "
                  f"peak RSS {mine['peak_rss_mb'] / duck['peak_rss_mb']:.2f}x (target <= {TARGET_MEMORY}x)")
        ydata = by_key.get(("ydata_minimal", label, rows))
        if ydata:
            print(f"  ydata/modelyard: wall {ydata['seconds'] / mine['seconds']:.1f}x, "
                  f"memory {ydata['peak_rss_mb'] / mine['peak_rss_mb']:.1f}x")
        for floor in ("exact_distinct", "exact_distinct_batched"):
            if (found := by_key.get((floor, label, rows))) and duck:
                print(f"  {floor}/duckdb SUMMARIZE (exact distinct counts only): wall "
                      f"{found['seconds'] / duck['seconds']:.2f}x, peak RSS {found['peak_rss_mb'] / duck['peak_rss_mb']:.2f}x")
        two = by_key.get(("modelyard_two_step", label, rows))
        if two:
            print(f"  two-step/one-parse: wall {two['seconds'] / mine['seconds']:.2f}x")
        if rows >= 10_000_000:
            print(f"  10M target: {mine['seconds']:.1f} s (< 30 s), peak RSS {mine['peak_rss_mb']:.0f} MB (< 1024 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--files", default="standard,heavy", help="standard, heavy or both (comma-separated)")
    parser.add_argument("--formats", default="csv,parquet", help="csv, parquet or both (comma-separated)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per system (the median is reported)")
    parser.add_argument("--also-10m", action="store_true", help="also modelyard and DuckDB on 10M rows (CSV)")
    parser.add_argument("--pandas", action="store_true", help="also pandas read + describe")
    parser.add_argument("--floors", action="store_true",
                        help="also DuckDB's exact distinct counts alone: every column in one query, and 7 columns "
                             "per query under a 300MB memory limit")
    parser.add_argument("--ydata", action="store_true", help="also ydata-profiling minimal (own virtualenv)")
    parser.add_argument("--two-step", action="store_true", help="also time infer_schema + profile_source (two parses)")
    parser.add_argument("--memory-limit", help="DuckDB memory limit for modelyard (MODELYARD_DATA_MEMORY_LIMIT)")
    args = parser.parse_args()
    peers, note = peers_python() if args.ydata else (None, "")
    kinds, formats = args.files.split(","), args.formats.split(",")
    results = []
    for kind in kinds:
        results += run(kind, args.rows, formats, args, peers, note)
    if args.also_10m:
        args.pandas = args.ydata = False
        for kind in kinds:
            results += run(kind, 10_000_000, ["csv"], args, peers, note)
    report(results)


if __name__ == "__main__":
    main()

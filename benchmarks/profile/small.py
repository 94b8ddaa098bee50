"""Fixed cost of a small file (the HR CSV, 1,470 rows) through a running workspace server.

    python benchmarks/profile/small.py [--csv PATH] [--repeat 5]

Starts a workspace server on a free loopback port in a temporary folder, then measures, median of
``--repeat`` runs:

- ``cli data create``   a `modelyard data create --type mltable` process (start, imports, upload of
                        nothing: the server reads the path, hashing, copying, profile, store writes);
- ``cli data profile``  a `modelyard data profile NAME --recompute -o json` process;
- ``sdk create``        the same registration from an SDK already connected (round trip + server work);
- ``sdk profile``       the same recompute from the SDK (round trip + server work);
- ``engine profile``    ``inspect_source`` in this process (the engine's part);
- ``process start``     `python -c "import modelyard.cli"` (interpreter and CLI imports);
- ``duckdb summarize``  DuckDB's SUMMARIZE of the same file in this process (the named peer).

Targets: register + profile under 1 s through a running server, profile alone under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CSV = Path(os.environ.get("MODELYARD_SAMPLE_DATA", "/work/shared/data")) / "HR-Employee-Attrition.csv"


def timed(action, repeat: int) -> float:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def cli(*args: str, cwd: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "modelyard", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "MODELYARD_WORKSPACE": str(cwd)})
    if done.returncode != 0:
        raise SystemExit(f"modelyard {' '.join(args)} failed: {done.stderr.strip()[-500:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import duckdb

    from modelyard import Workspace
    from modelyard import server as servers
    from modelyard.data import TabularSource, inspect_source
    from modelyard.services import workspace as workspaces

    csv, repeat = str(args.csv.resolve()), args.repeat
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="modelyard-small-bench-") as root:
        root_path = Path(root)
        location = workspaces.create(root_path, name="bench")
        os.environ.pop("MODELYARD_WORKSPACE", None)
        servers.start_detached(location, "127.0.0.1", 0)
        ws = Workspace(root_path)
        try:
            ws.data.create(name="warmup", path=csv, type="mltable")  # the server's first engine import
            results["cli data create"] = timed(
                lambda: cli("data", "create", "--name", "hr", "--path", csv, "--type", "mltable", "--force",
                            "-o", "json", cwd=root_path), repeat)
            results["cli data profile"] = timed(
                lambda: cli("data", "profile", "hr", "--recompute", "-o", "json", cwd=root_path), repeat)
            results["sdk create"] = timed(
                lambda: ws.data.create(name="hr", path=csv, type="mltable", force_new_version=True), repeat)
            results["sdk profile"] = timed(lambda: ws.data.get("hr").profile(recompute=True), repeat)
        finally:
            ws.close()
            servers.stop(location)
    source = TabularSource(files=(csv,))
    inspect_source(source)
    results["engine profile"] = timed(lambda: inspect_source(source), repeat)
    results["process start"] = timed(
        lambda: subprocess.run([sys.executable, "-c", "import modelyard.cli"], check=True), repeat)
    con = duckdb.connect()
    results["duckdb summarize"] = timed(
        lambda: con.execute(f"SUMMARIZE SELECT * FROM read_csv('{csv}')").fetchall(), repeat)

    print(f"\n{'HR CSV (1,470 rows), median of ' + str(repeat):<34} {'seconds':>8}")
    for name, seconds in results.items():
        print(f"{name:<34} {seconds:>8.3f}")
    print(f"\ntargets: cli data create {results['cli data create']:.2f} s (< 1 s), "
          f"cli data profile {results['cli data profile']:.2f} s (< 0.5 s); engine/duckdb "
          f"{results['engine profile'] / results['duckdb summarize']:.2f}x")


if __name__ == "__main__":
    main()

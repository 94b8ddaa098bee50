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
Besides wall seconds it prints CPU seconds (the client process's, the server's, read from
/proc), which a loaded machine does not inflate: on a machine shared with other work, wall time
is roughly their sum once the cores are free.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CSV = Path(os.environ.get("MODELYARD_SAMPLE_DATA", "/work/shared/data")) / "HR-Employee-Attrition.csv"


SERVER_PID: list[int] = []  # the workspace server's process, once started


def _server_cpu() -> float:
    if not SERVER_PID:
        return 0.0
    fields = Path(f"/proc/{SERVER_PID[0]}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(action, repeat: int) -> tuple[float, float, float]:
    """Median wall seconds, client CPU seconds (this process and its children), server CPU seconds."""
    seconds, client, server = [], [], []
    for _ in range(repeat):
        started, cpu, served = time.perf_counter(), _own_cpu(), _server_cpu()
        action()
        seconds.append(time.perf_counter() - started)
        client.append(_own_cpu() - cpu)
        server.append(_server_cpu() - served)
    return statistics.median(seconds), statistics.median(client), statistics.median(server)


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
        SERVER_PID.append(servers.start_detached(location, "127.0.0.1", 0).pid)
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
            SERVER_PID.clear()
    source = TabularSource(files=(csv,))
    inspect_source(source)
    results["engine profile"] = timed(lambda: inspect_source(source), repeat)
    results["process start"] = timed(
        lambda: subprocess.run([sys.executable, "-c", "import modelyard.cli"], check=True), repeat)
    con = duckdb.connect()
    results["duckdb summarize"] = timed(
        lambda: con.execute(f"SUMMARIZE SELECT * FROM read_csv('{csv}')").fetchall(), repeat)

    print(f"\n{'HR CSV (1,470 rows), median of ' + str(repeat):<34} {'wall s':>8} {'client CPU s':>13} "
          f"{'server CPU s':>13}")
    for name, (seconds, client, server) in results.items():
        print(f"{name:<34} {seconds:>8.3f} {client:>13.3f} {server:>13.3f}")
    create, profile = results["cli data create"], results["cli data profile"]
    print(f"\ntargets: cli data create {create[0]:.2f} s wall, {create[1] + create[2]:.2f} CPU s (< 1 s); "
          f"cli data profile {profile[0]:.2f} s wall, {profile[1] + profile[2]:.2f} CPU s (< 0.5 s); "
          f"engine/duckdb {results['engine profile'][0] / results['duckdb summarize'][0]:.2f}x wall")


if __name__ == "__main__":
    main()

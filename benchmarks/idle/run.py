"""Idle benchmark: CPU used by a workspace server that has nothing to do, against a bare uvicorn app.

    python benchmarks/idle/run.py                 # 30 s window (plus about a minute of set-up)
    python benchmarks/idle/run.py --seconds 10    # a quick look

The workspace is the demo's state: one online endpoint with one deployment (a small scikit-learn
model), one cluster at zero instances, no job. Once the deployment serves, the server (and, apart,
its scoring processes) and a bare uvicorn app (``hello`` of benchmarks/serving, started in the same
run) are measured over the same window: utime + stime from /proc/<pid>/stat. Prints CPU-seconds per
30 s for each and the server's ratio to the bare app. Everything listens on loopback only.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text]
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_workspace(root: Path):
    """The demo's state on a running server: (server pid, scoring pids)."""
    import mlflow.sklearn
    from sklearn.linear_model import LogisticRegression

    from modelyard import Workspace
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    location = workspaces.create(root / "ws", name="idle")
    info = servers.start_detached(location, "127.0.0.1", 0)
    model = root / "model"
    mlflow.sklearn.save_model(LogisticRegression().fit([[0.0], [1.0], [2.0], [3.0]], [0, 0, 1, 1]), model,
                              serialization_format="cloudpickle", pip_requirements=["scikit-learn"])
    with Workspace(root / "ws") as ws:
        ws.compute.create(name="cpucluster", type="cluster", min_instances=0, max_instances=2,
                          idle_time_before_scale_down=120)
        registered = ws.models.create(name="idle-model", path=str(model))
        ws.online_endpoints.create(name="idle-endpoint")
        ws.online_endpoints.create_deployment(name="blue", endpoint_name="idle-endpoint",
                                              model=f"{registered.name}:{registered.version}", instance_count=1)
        ws.online_endpoints.update("idle-endpoint", traffic={"blue": 100})
    return location, info.pid


def bare_app(port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "uvicorn", "hello:app", "--host", "127.0.0.1", "--port",
                             str(port), "--log-level", "warning"], cwd=HERE.parent / "serving",
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the measured window")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds to wait before measuring")
    args = parser.parse_args()
    from modelyard import server as servers

    with tempfile.TemporaryDirectory(prefix="idle-bench-") as scratch:
        location, server_pid = demo_workspace(Path(scratch))
        peer = bare_app(free_port())
        try:
            time.sleep(args.settle)
            scoring = children(server_pid)
            measured = {"workspace server": [server_pid], "its scoring processes": scoring,
                        "bare uvicorn app (peer)": [peer.pid]}
            before = {k: sum(cpu_seconds(p) for p in pids) for k, pids in measured.items()}
            time.sleep(args.seconds)
            after = {k: sum(cpu_seconds(p) for p in pids) for k, pids in measured.items()}
        finally:
            peer.terminate()
            peer.wait(10)
            servers.stop(location)
    per30 = {k: (after[k] - before[k]) * 30 / args.seconds for k in measured}
    print(f"idle CPU over {args.seconds:.0f} s, in CPU-seconds per 30 s:")
    for name, value in per30.items():
        print(f"  {name:28s} {value:6.2f}")
    peer_value = per30["bare uvicorn app (peer)"]
    ratio = per30["workspace server"] / peer_value if peer_value else float("inf")
    print(f"workspace server / bare app: {ratio:.1f}x "
          f"(a tick is {1 / TICKS:.2f} CPU-s; {per30['workspace server'] * 100 / 30:.2f}% of a core)")


if __name__ == "__main__":
    main()

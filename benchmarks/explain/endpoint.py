"""Per-request explanation cost at an online endpoint: p50 latency with and without ``"explain": true``.

    python benchmarks/explain/endpoint.py                 # 1,000 requests of each kind
    python benchmarks/explain/endpoint.py --requests 200  # a quick look

The HR attrition LightGBM pipeline of ``run.py`` (OneHotEncoder + StandardScaler -> LightGBM, 100 trees),
saved as an MLflow model and served by one modelyard scoring process with ``--explain`` on a free loopback
port. One keep-alive client sends single-row requests, alternating blocks of 50 plain and 50 explained ones
(so both see the same machine load), ``--requests`` of each, bounded by ``--seconds``. Prints p50 and p90
of each, the scoring process's CPU time per request (from /proc: what the latency would be on an idle
machine, less the network), the p50 difference in ms (target: at most 2 ms) and the ratio explained / plain.
Then, in this process, the peer: one row's tree SHAP by modelyard's ``RowExplainer`` (what the endpoint runs)
and by shap's ``TreeExplainer`` on the same engineered rows, p50 wall and mean CPU ms per row.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import DEFAULT_DATA, ROOT, hr_pipelines

BLOCK = 50   # requests of one kind in a row, between two readings of the server's CPU time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(model_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen([sys.executable, "-m", "modelyard.serving", "--model-dir", str(model_dir), "--explain",
                                "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the scoring process exited: {process.stderr.read().decode()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/ready")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("the scoring process was not ready in 120 s")


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of the process so far (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]


def per_row(function, matrix) -> tuple[float, float]:
    """p50 wall ms and mean CPU ms of ``function`` on each single row of ``matrix``."""
    walls, cpu = [], time.process_time()
    for i in range(len(matrix)):
        started = time.perf_counter()
        function(matrix[i:i + 1])
        walls.append((time.perf_counter() - started) * 1000)
    return statistics.median(walls), (time.process_time() - cpu) * 1000 / len(matrix)


def peer(tree, X, rows: int = 200) -> None:
    """One row's contributions in process: modelyard's RowExplainer against shap's TreeExplainer."""
    import numpy as np
    import shap

    from modelyard.explain import RowExplainer

    matrix = np.asarray(tree[:-1].transform(X.head(rows)), dtype=float)
    ours, theirs = RowExplainer(tree), shap.TreeExplainer(tree[-1])
    for function in (ours.explain, lambda m: theirs.shap_values(m, check_additivity=False)):
        function(matrix[:1])   # warm
    mine, reference = per_row(ours.explain, matrix), per_row(lambda m: theirs.shap_values(m, check_additivity=False),
                                                            matrix)
    print(f"one row's tree SHAP in process, {rows} rows: modelyard RowExplainer {mine[0]:.3f} ms p50 "
          f"({mine[1]:.3f} CPU ms), shap TreeExplainer {reference[0]:.3f} ms p50 ({reference[1]:.3f} CPU ms); "
          f"ratio shap / modelyard p50: {reference[0] / mine[0]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("MODELYARD_SAMPLE_DATA") or DEFAULT_DATA))
    parser.add_argument("--requests", type=int, default=1000, help="requests of each kind")
    parser.add_argument("--seconds", type=float, default=120, help="stop sending after this long")
    args = parser.parse_args()

    import mlflow.sklearn
    from mlflow.models import infer_signature

    X, tree, _ = hr_pipelines(args.data)
    folder = Path(tempfile.mkdtemp(prefix="explain-endpoint-")) / "model"
    mlflow.sklearn.save_model(tree, folder, serialization_format="cloudpickle",
                              signature=infer_signature(X, tree.predict(X)), input_example=X.head(2),
                              pip_requirements=["scikit-learn"])
    port = free_port()
    process = serve(folder, port)
    records = X.to_dict(orient="records")
    bodies = {kind: [json.dumps({"data": [row], **({"explain": True} if kind == "explained" else {})}).encode()
                     for row in records] for kind in ("plain", "explained")}
    latencies: dict[str, list[float]] = {"plain": [], "explained": []}
    cpu = {"plain": 0.0, "explained": 0.0}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    try:
        deadline = time.monotonic() + args.seconds
        for block in range(-1, args.requests // BLOCK):   # block -1 warms up
            if time.monotonic() > deadline:
                break
            for kind in ("plain", "explained"):
                spent = server_cpu_seconds(process.pid)
                for i in range(BLOCK):
                    body = bodies[kind][(block * BLOCK + i) % len(records)]
                    started = time.perf_counter()
                    connection.request("POST", "/score", body, headers)
                    response = connection.getresponse()
                    answer = response.read()
                    elapsed = time.perf_counter() - started
                    if response.status != 200:
                        sys.exit(f"{kind} request failed {response.status}: {answer[:300]!r}")
                    if block >= 0:
                        latencies[kind].append(elapsed * 1000)
                if block >= 0:
                    cpu[kind] += server_cpu_seconds(process.pid) - spent
    finally:
        connection.close()
        process.terminate()
        process.wait(10)
    plain, explained = (latencies[k] for k in ("plain", "explained"))
    p50 = {k: statistics.median(v) for k, v in latencies.items()}
    print(f"single-row requests to one scoring process, {len(plain)} of each (HR LightGBM pipeline, 100 trees)")
    cpu_ms = {k: 1000 * cpu[k] / max(1, len(latencies[k])) for k in cpu}
    print(f"{'':<12} {'p50 ms':>8} {'p90 ms':>8} {'server CPU ms/request':>22}")
    for kind, values in (("plain", plain), ("explained", explained)):
        print(f"{kind:<12} {p50[kind]:>8.3f} {percentile(values, 90):>8.3f} {cpu_ms[kind]:>22.3f}")
    print(f"explanation adds {p50['explained'] - p50['plain']:.3f} ms p50 (target: at most 2 ms) and "
          f"{cpu_ms['explained'] - cpu_ms['plain']:.3f} ms of server CPU; "
          f"ratio explained / plain p50: {p50['explained'] / p50['plain']:.2f}x")
    peer(tree, X)


if __name__ == "__main__":
    main()

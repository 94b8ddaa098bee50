"""What data collection costs a live endpoint: single-row throughput at c=8 with collection on vs off.

    python benchmarks/monitoring/collection.py                   # 3 rounds of 10 s each way: ~2 min
    python benchmarks/monitoring/collection.py --duration 3 --rounds 1   # a quick look

One workspace server (the serving benchmark's ``WorkspaceEndpoint``: the ``lr`` attrition model, key
auth, pinned to ``--core``) serves the same model from two endpoints: ``hop`` without a data collector,
``collected`` with ``model_inputs`` and ``model_outputs`` on at ``sampling_rate: 1`` (every request
written). wrk (pinned to ``--load-core``) loads them in turns, off then on, ``--rounds`` times; the
median of each side is compared. Also prints the CPU time per request of the server and the scoring
process on each side (what a saturated core would give) and what the collector wrote and dropped.
Target: collection costs at most 5% of the requests/s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "serving"))

from run import WorkspaceEndpoint, cpu_seconds, run_wrk, server_env, train_models  # noqa: E402

TARGET = 0.05  # the largest share of throughput collection may cost


def collected_endpoint(endpoint: WorkspaceEndpoint, model: Path) -> tuple[str, str, int]:
    """Endpoint 'collected' on the same server with every request collected: (url, key, scoring pid)."""
    from modelyard import Workspace

    with Workspace(endpoint.root) as ws:
        ws.online_endpoints.create(name="collected")
        ws.online_endpoints.create_deployment(
            name="blue", endpoint_name="collected", model="hop:1", timeout=240,
            request_settings={"max_concurrent_requests_per_instance": 4096},
            data_collector={"collections": {"model_inputs": {"enabled": True}, "model_outputs": {"enabled": True}},
                            "sampling_rate": 1.0})
        ws.online_endpoints.update("collected", traffic={"blue": 100})
        key = ws.online_endpoints.get_credentials("collected").primary_key
        pid = ws.online_endpoints.get_deployment("collected", "blue").instances[0].pid
        return endpoint.base + ws.online_endpoints.get("collected").scoring_uri, key, pid


def collection_status(endpoint: WorkspaceEndpoint, answered: int, timeout: float = 30) -> dict:
    """What 'collected' wrote, once its rows reach ``answered`` (the collector writes every second)."""
    from modelyard import Workspace

    deadline = time.monotonic() + timeout
    with Workspace(endpoint.root) as ws:
        while True:
            status = ws.online_endpoints.data_collection("collected", "blue").model_dump()
            if status["rows"]["model_inputs"] + status["dropped_rows"] >= answered or time.monotonic() > deadline:
                return status
            time.sleep(0.2)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=int, default=10, help="seconds of load per turn (default 10)")
    p.add_argument("--rounds", type=int, default=3, help="turns each way (default 3)")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--core", type=int, default=0, help="the core the server and scoring processes are pinned to")
    p.add_argument("--load-core", type=int, default=None, help="the core wrk is pinned to (default: the last)")
    p.add_argument("--json", type=Path, help="write the results as JSON here")
    args = p.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    cores = os.cpu_count() or 1
    load_core = args.load_core if args.load_core is not None else (cores - 1 if cores > 1 else None)
    work = Path(tempfile.mkdtemp(prefix="modelyard-bench-collection-"))
    try:
        paths, records = train_models(work)
        body = work / "body.json"
        body.write_bytes(json.dumps({"data": records[:1]}).encode())
        endpoint = WorkspaceEndpoint(paths["lr"], work, server_env(), args.core)
        try:
            on_url, on_key, on_pid = collected_endpoint(endpoint, paths["lr"])
            sides = {"off": (endpoint.url, endpoint.key, endpoint.scoring_pid), "on": (on_url, on_key, on_pid)}
            runs: dict[str, list[dict]] = {"off": [], "on": []}
            for _ in range(args.rounds):
                for side, (url, key, pid) in sides.items():
                    pids = {"server": endpoint.proc.pid, "scoring": pid}
                    before = {name: cpu_seconds(p) for name, p in pids.items()}
                    r = run_wrk(url, body, args.concurrency, args.duration, key, core=load_core)
                    if r["non_2xx"] or r["socket_errors"] or not r["requests"]:
                        sys.exit(f"{side}: {r['non_2xx']} non-2xx, {r['socket_errors']} socket errors "
                                 f"of {r['requests']} requests")
                    for name, p in pids.items():
                        r[f"{name}_cpu_us"] = (cpu_seconds(p) - before[name]) / r["requests"] * 1e6
                    r["cpu_us"] = r["server_cpu_us"] + r["scoring_cpu_us"]
                    runs[side].append(r)
                    print(f"  collection {side:3}  {r['rps']:>9.1f} req/s  p50 {r['p50_ms']:.2f} ms  "
                          f"p99 {r['p99_ms']:.2f} ms  CPU a request: server {r['server_cpu_us']:.0f} µs, "
                          f"scoring process {r['scoring_cpu_us']:.0f} µs", flush=True)
            answered = sum(r["requests"] for r in runs["on"])
            status = collection_status(endpoint, answered)
        finally:
            endpoint.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    off = statistics.median(r["rps"] for r in runs["off"])
    on = statistics.median(r["rps"] for r in runs["on"])
    cpu_off = statistics.median(r["cpu_us"] for r in runs["off"])
    cpu_on = statistics.median(r["cpu_us"] for r in runs["on"])
    cost = 1 - on / off
    print(f"\nsingle-row, c={args.concurrency}, {args.rounds} x {args.duration} s each way, server pinned to core "
          f"{args.core}, wrk to {load_core}; medians:")
    print(f"  collection off {off:9.1f} req/s   {cpu_off:.0f} µs CPU a request (server + scoring process)")
    print(f"  collection on  {on:9.1f} req/s   {cpu_on:.0f} µs CPU a request")
    print(f"  ratio on/off {on / off:.3f}: collection costs {cost:.1%} of the throughput "
          f"(target at most {TARGET:.0%}: {'met' if cost <= TARGET else 'MISSED'}); "
          f"CPU a request +{cpu_on / cpu_off - 1:.1%}")
    print(f"  collected {status['rows']['model_inputs']} input rows of {answered} requests wrk counted, in "
          f"{status['files']} files, dropped {status['dropped_rows']}")
    if args.json:
        args.json.write_text(json.dumps({"off": runs["off"], "on": runs["on"], "ratio": on / off,
                                         "cost": cost, "collection": status}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Audit benchmark: what writing the audit record adds to a mutating API call (p50), against the same
server without the audit trail.

    python benchmarks/mlops/audit.py                  # 300 calls each way
    python benchmarks/mlops/audit.py --calls 1000

One workspace (SQLite in WAL mode, the default store), two server processes over it, uvicorn on free
loopback ports: the workspace API as shipped and the same API built without the audit trail
(``create_app(..., audit_trail=False)``). The call is ``PATCH /api/compute/<name>`` (the
row changes on every call, so each one writes the store and, audited, appends one chained record).
Calls alternate between the two servers in rounds of 20 so both see the same machine load.
Prints p50 and p90 of each and the difference of the p50s; then the same comparison in-process
(both apps driven through Starlette's TestClient, no sockets); then the record's own cost, the p50 of
``AuditService.append`` alone (lock the chain's end, read it, hash, insert, commit), which load on a
shared machine blurs least.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUND = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SERVER = """
import sys, uvicorn
from pathlib import Path
from modelyard.api import create_app
from modelyard.services import workspace as workspaces
app = create_app(workspaces.load(Path(sys.argv[1])), audit_trail=sys.argv[3] == "audited")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def serve(root: Path, audited: bool) -> tuple[str, subprocess.Popen]:
    """A server process for the workspace at ``root``: (its URL, the process)."""
    import httpx

    port = free_port()
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(root), str(port),
                                "audited" if audited else "plain"])
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{url}/health", timeout=1).raise_for_status()
            return url, process
        except httpx.HTTPError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("the benchmark's server did not start within 60 s") from None
            time.sleep(0.1)


def timed_patch(http, name: str, value: int) -> float:
    started = time.perf_counter()
    response = http.patch(f"/api/compute/{name}", json={"max_instances": value})
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed


def compare(clients: dict, calls: int) -> dict[str, list[float]]:
    """Seconds per PATCH through each client, alternating in rounds."""
    times: dict[str, list[float]] = {label: [] for label in clients}
    for label, http in clients.items():
        http.post("/api/compute", json={"name": f"c-{label[0]}", "type": "cluster", "max_instances": 1}) \
            .raise_for_status()
        for value in range(ROUND):  # warm-up: connections, first queries
            timed_patch(http, f"c-{label[0]}", 2 + value % 2)
    done = 0
    while done < calls:
        for label, http in clients.items():
            times[label] += [timed_patch(http, f"c-{label[0]}", 2 + (done + i) % 2) for i in range(ROUND)]
        done += ROUND
    return times


def report(title: str, times: dict[str, list[float]]) -> None:
    print(title)
    p50 = {label: statistics.median(values) * 1000 for label, values in times.items()}
    for label, values in times.items():
        ordered = sorted(values)
        print(f"  {label:>14}: p50 {p50[label]:.3f} ms, p90 {ordered[int(0.9 * len(ordered))] * 1000:.3f} ms "
              f"over {len(values)} PATCH calls")
    print(f"  audit record adds {p50['audited'] - p50['without audit']:.3f} ms to the p50 of a mutating call")


def append_alone(location, calls: int) -> None:
    from modelyard.services._context import ServiceContext
    from modelyard.services.audit import AuditService
    from modelyard.store import utcnow

    context = ServiceContext.open(location)
    service = AuditService(context)
    diff = [{"table": "computes", "op": "update", "row": {"name": "c"}, "before": {"config": {"max_instances": 2}},
             "after": {"config": {"max_instances": 3}}}]
    times = []
    try:
        for index in range(calls):
            started = time.perf_counter()
            service.append(dict(at=utcnow(), who="bench", client="127.0.0.1", noun="compute", verb="update",
                                name="c", version=None, method="PATCH", path="/api/compute/c", status=200,
                                reason=None, diff=diff))
            times.append(time.perf_counter() - started)
    finally:
        context.close()
    print(f"append alone: p50 {statistics.median(times) * 1000:.3f} ms over {calls} records")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300, help="mutating calls against each server")
    calls = parser.parse_args().calls

    import httpx

    from modelyard.services import workspace as workspaces

    for kind in ("servers", "in-process"):
        root = Path(tempfile.mkdtemp(prefix="audit-bench-")) / "ws"
        location = workspaces.create(root, name="audit-bench")
        if kind == "servers":
            urls, servers = {}, []
            for label, audited in (("audited", True), ("without audit", False)):
                urls[label], server = serve(location.root, audited)
                servers.append(server)
            clients = {label: httpx.Client(base_url=url, timeout=30) for label, url in urls.items()}
        else:
            import warnings

            from modelyard.api import create_app

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                from fastapi.testclient import TestClient
            servers = []
            clients = {label: TestClient(create_app(location, audit_trail=audited)).__enter__()
                       for label, audited in (("audited", True), ("without audit", False))}
        try:
            report(f"{kind} (uvicorn processes over loopback)" if kind == "servers" else
                   f"{kind} (TestClient, no sockets)", compare(clients, calls))
        finally:
            for http in clients.values():
                http.__exit__(None, None, None) if kind != "servers" else http.close()
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    append_alone(location, calls)


if __name__ == "__main__":
    sys.exit(main())

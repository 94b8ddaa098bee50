"""Event fan-out benchmark: 1,000 events to 10 webhook receivers on loopback, p99 delivery latency.

    python benchmarks/mlops/events.py [--events 1000] [--receivers 10] [--kill] [--keep]

Creates a fresh temporary workspace, starts a real server process (`start_detached`, port 0),
starts `--receivers` HTTP receivers (ThreadingHTTPServer, in a process of their own) and one webhook
per receiver subscribed to `model.aliased`, registers one model, then emits `--events` events by
setting an alias on it over REST (`PATCH /api/models/...`, one call after the other, like clients).
Latency of a delivery = the receiver's clock when the POST arrived - the event's `time` (stamped by
the server when the change is written, just before its commit; same machine, same clock). It is split
in two: from that stamp to the REST call's return (the call's own commit and answer, which no
dispatcher can shorten) and from the return to the arrival (the dispatcher's part).

With `--kill` the server is killed with SIGKILL after half of the events and started again; every
receiver must still get every event (at-least-once: duplicates are counted, losses are an error).

Peer, measured in the same run: `--peer-events` events POSTed straight to the same receivers by a
thread pool in this process at modelyard's pace in this run (no store, no signing, no retries):
the floor of loopback HTTP on this machine under its current load.
Every wait has a deadline; the server is stopped and the workspace deleted at the end.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import pickle
import shutil
import signal
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

DEADLINE = 300.0


def receivers_process(count: int, ports, stop, results) -> None:
    """``count`` receivers; each records (event id, event time, arrival time, sequence) per POST."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    got: list[list[tuple[str, str, float, int]]] = [[] for _ in range(count)]

    def handler(index: int):
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver behind a proxy would

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                arrived = time.time()
                event = json.loads(body)
                got[index].append((event["id"], event["time"], arrived, event.get("sequence", -1)))
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler

    servers = []
    for index in range(count):
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler(index))
        server.daemon_threads = True
        server.handle_error = lambda request, address: None  # connections the killed server left open
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    ports.put([s.server_address[1] for s in servers])
    stop.wait()
    results.put(pickle.dumps(got))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(latencies: list[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(latencies, 0.5) * 1000, 1), "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
            "max_ms": round(max(latencies) * 1000, 1), "mean_ms": round(statistics.fmean(latencies) * 1000, 1)}


def direct_peer(ports: list[int], events: int, rate: float) -> None:
    """The same fan-out with no modelyard, ``rate`` events a second (modelyard's pace in this run): each
    event POSTed to every receiver from a pool of threads (latency from the ``time`` in the body)."""
    import httpx

    clients = [httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) for port in ports]
    with ThreadPoolExecutor(4 * len(ports)) as pool:
        started = time.monotonic()
        for number in range(events):
            time.sleep(max(0.0, started + number / rate - time.monotonic()))
            body = json.dumps({"id": f"peer-{number}", "time": datetime.now().astimezone().isoformat()}).encode()
            for client in clients:
                pool.submit(client.post, "/peer", content=body,
                            headers={"Content-Type": "application/cloudevents+json"})
    for client in clients:
        client.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--receivers", type=int, default=10)
    parser.add_argument("--peer-events", type=int, default=200, help="events of the direct-POST peer")
    parser.add_argument("--kill", action="store_true", help="SIGKILL the server halfway and start it again")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    args = parser.parse_args()

    from modelyard import Workspace
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    folder = Path(tempfile.mkdtemp(prefix="modelyard-events-bench-"))
    location = workspaces.create(folder / "ws", name="bench")
    context = multiprocessing.get_context("spawn")
    ports_queue, results, stop = context.Queue(), context.Queue(), context.Event()
    receivers = context.Process(target=receivers_process, args=(args.receivers, ports_queue, stop, results))
    receivers.start()
    try:
        ports = ports_queue.get(timeout=60)
        info = servers.start_detached(location, "127.0.0.1", 0)
        model_dir = folder / "model"
        model_dir.mkdir()
        (model_dir / "model.pkl").write_bytes(pickle.dumps({"weights": 1}))
        with Workspace(location.root) as ws:
            for index, port in enumerate(ports):
                ws.webhooks.create(name=f"receiver-{index}", url=f"http://127.0.0.1:{port}/hook",
                                   events=["model.aliased"])
            model = ws.models.create(name="bench", path=str(model_dir))
            started, returned = time.monotonic(), []
            for number in range(args.events):
                if args.kill and number == args.events // 2:
                    os.kill(info.pid, signal.SIGKILL)
                    while servers.running(location) is not None:
                        time.sleep(0.05)
                    info = servers.start_detached(location, "127.0.0.1", 0)
                    ws.close()
                    ws = Workspace(location.root)
                ws.models.update(f"bench:{model.version}", set_aliases=[f"a{number % 50}"])
                returned.append(time.time())
            emitted = time.monotonic() - started
            expected = args.events * args.receivers
            deadline = time.monotonic() + DEADLINE
            while time.monotonic() < deadline:
                done = sum(len(ws.webhooks.deliveries(f"receiver-{i}", status="Succeeded", limit=1000))
                           for i in range(args.receivers))
                if done >= expected:
                    break
                time.sleep(0.5)
            failed = sum(len(ws.webhooks.deliveries(f"receiver-{i}", status="Failed", limit=1000))
                         for i in range(args.receivers))
            ws.close()
        peer_started = time.monotonic()
        direct_peer(ports, args.peer_events, args.events / emitted)
        peer_wall = time.monotonic() - peer_started
        time.sleep(1)
    finally:
        stop.set()
        got = pickle.loads(results.get(timeout=60)) if receivers.is_alive() else None
        receivers.join(timeout=30)
        servers.stop(location)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)

    latencies, after_return, to_return, peer, lost, duplicates = [], [], [], [], 0, 0
    # the k-th event (by sequence) is the k-th call's: calls run one after the other
    sequences = sorted({seq for deliveries in got for i, _, _, seq in deliveries if not i.startswith("peer-")})
    call_of = {seq: rank for rank, seq in enumerate(sequences)}
    for deliveries in got:
        ours = [(i, t, at, seq) for i, t, at, seq in deliveries if not i.startswith("peer-")]
        ids = [i for i, _, _, _ in ours]
        lost += args.events - len(set(ids))
        duplicates += len(ids) - len(set(ids))
        for _, t, at, seq in ours:
            stamped = datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()
            latencies.append(at - stamped)
            if len(sequences) == len(returned):
                after_return.append(at - returned[call_of[seq]])
                to_return.append(returned[call_of[seq]] - stamped)
        peer += [at - datetime.fromisoformat(t).timestamp() for i, t, at, _ in deliveries if i.startswith("peer-")]
    ours, floor = summary(latencies), summary(peer)
    report = {"events": args.events, "receivers": args.receivers, "killed_halfway": args.kill,
              "emit_seconds": round(emitted, 2), "events_per_second": round(args.events / emitted, 1),
              "deliveries": len(latencies), "lost": lost, "duplicates": duplicates, "failed": failed,
              "modelyard": ours,
              "event_time_to_call_returned": summary(to_return) if to_return else None,
              "call_returned_to_arrival": summary(after_return) if after_return else None,
              "peer_direct_post": {**floor, "wall_seconds": round(peer_wall, 2)},
              "p99_ratio_to_peer": round(ours["p99_ms"] / max(floor["p99_ms"], 0.001), 1),
              "target_p99_ms": 1000, "p99_within_target": ours["p99_ms"] < 1000}
    print(json.dumps(report, indent=2))
    return 0 if lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

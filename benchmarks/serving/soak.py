"""Soak of a workspace endpoint with one scoring process killed midway (issue 5).

    python benchmarks/serving/soak.py [--duration 60] [--concurrency 64] [--instances 2]

Creates a temporary workspace, starts its server (``modelyard up --detach --port 0``), trains the
attrition LR pipeline on the HR CSV (``MODELYARD_SAMPLE_DATA`` or
``../shared/data/HR-Employee-Attrition.csv``; the training code is run.py's), registers it, and
serves it from endpoint ``soak``, deployment ``blue``, with ``--instances`` scoring processes.
Then it posts single-row bodies ``{"data": [record]}`` to ``/api/v1/service/soak/score`` with the
endpoint's key for ``--duration`` seconds at ``--concurrency`` (raw asyncio
HTTP/1.1 keep-alive connections, loopback only), and at half time kills one scoring process with SIGKILL and polls ``online-endpoint show`` until
the supervisor has it Ready again. The span from the kill to that observation is the restart
window. Prints total requests, req/s, p50/p99, errors outside and inside the window, the window's
length and the restart count; a missed target is printed as MISSED, the exit code stays 0 (it is a
measurement). The server is always stopped (``modelyard down``), also on errors and Ctrl+C.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _bench():
    """benchmarks/serving/run.py, imported (not copied) for its training code."""
    spec = importlib.util.spec_from_file_location("modelyard_bench_serving_run", HERE / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Workspace:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = {**os.environ, "MODELYARD_WORKSPACE": str(folder), "OMP_WAIT_POLICY": "PASSIVE"}
        self.started = False

    def cli(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run([sys.executable, "-m", "modelyard", *args], cwd=self.folder, env=self.env,
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise RuntimeError(f"modelyard {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def json(self, *args: str) -> dict:
        return json.loads(self.cli(*args, "-o", "json"))

    async def ajson(self, *args: str) -> dict:
        proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "modelyard", *args, "-o", "json",
                                                    cwd=self.folder, env=self.env, stdout=subprocess.PIPE,
                                                    stderr=subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        if proc.returncode != 0:
            raise RuntimeError(f"modelyard {' '.join(args)} exited {proc.returncode}: {err.decode()[-2000:]}")
        return json.loads(out)

    def down(self) -> None:
        if self.started:
            try:
                self.cli("down", timeout=60)
            except Exception as error:  # noqa: BLE001 - report, keep going: the caller is cleaning up
                print(f"modelyard down failed: {error}", file=sys.stderr)


def wait_ready(ws: Workspace, instances: int, timeout: float = 240) -> dict:
    deadline = time.monotonic() + timeout
    shown: dict = {}
    while time.monotonic() < deadline:
        shown = ws.json("online-endpoint", "show", "soak")
        deps = shown.get("deployments") or []
        if deps and deps[0].get("state") == "Failed":
            raise RuntimeError(f"deployment failed: {deps[0].get('error')}")
        inst = deps[0].get("instances", []) if deps else []
        if len(inst) == instances and all(i["state"] == "Ready" for i in inst):
            return shown
        time.sleep(1)
    raise RuntimeError(f"deployment not ready in {timeout:.0f} s: {json.dumps(shown)[:2000]}")


def is_scoring_process(pid: int) -> bool:
    try:
        return b"modelyard.serving" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


class Connection:
    """One kept-alive HTTP/1.1 connection on loopback: POST a body, read the status and the body."""

    def __init__(self, host: str, port: int, request: bytes) -> None:
        self.host, self.port, self.request = host, port, request
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(self.request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                body += (await self.reader.readexactly(size + 2))[:size]
                if size == 0:
                    break
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def soak(ws: Workspace, url: str, key: str, body: bytes, duration: float, concurrency: int, instances: int,
               max_requests: int) -> dict:
    import urllib.parse

    shown = await ws.ajson("online-endpoint", "show", "soak")
    victim = shown["deployments"][0]["instances"][0]
    records: list[tuple[float, float, object]] = []  # (start, end, status code or exception name), monotonic
    events: dict = {"victim_pid": victim["pid"], "victim_port": victim["port"]}
    parts = urllib.parse.urlsplit(url)
    request = (f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {key}\r\n"
               f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    t0 = time.monotonic()
    end = t0 + duration
    events["t0"] = t0

    async def worker() -> None:
        conn = Connection(parts.hostname, parts.port, request)
        try:
            while time.monotonic() < end and len(records) < max_requests:
                start = time.monotonic()
                try:
                    status, answer = await asyncio.wait_for(conn.post(), 30)
                    outcome: object = status
                    if status >= 500 and len(events.setdefault("bodies_5xx", [])) < 5:
                        events["bodies_5xx"].append((start - t0, status, answer[:200].decode(errors="replace")))
                except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError,
                        ValueError, IndexError) as error:
                    outcome = type(error).__name__
                    conn.close()
                records.append((start, time.monotonic(), outcome))
        finally:
            conn.close()

    async def killer() -> None:
        await asyncio.sleep(max(0.0, t0 + duration / 2 - time.monotonic()))
        pid = victim["pid"]
        if not is_scoring_process(pid):
            events["kill_error"] = f"pid {pid} is not a modelyard scoring process; nothing killed"
            return
        os.kill(pid, signal.SIGKILL)
        events["t_kill"] = time.monotonic()
        while time.monotonic() < end + 120:
            shown = await ws.ajson("online-endpoint", "show", "soak")
            inst = shown["deployments"][0]["instances"]
            if len(inst) == instances and all(i["state"] == "Ready" for i in inst) and \
                    sum(i["restarts"] for i in inst) >= 1:
                events["t_ready"] = time.monotonic()
                events["restarts"] = sum(i["restarts"] for i in inst)
                events["new_pid"] = inst[0]["pid"]
                return
            await asyncio.sleep(0.1)
        events["kill_error"] = "the killed instance was not Ready again within 120 s after the load"

    kill_task = asyncio.create_task(killer())
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    events["t_end"] = time.monotonic()
    await kill_task
    return {"records": records, **events}


def report(result: dict, duration: float, concurrency: int, instances: int) -> str:
    records, t0 = result["records"], result["t0"]
    wall = result["t_end"] - t0
    t_kill, t_ready = result.get("t_kill"), result.get("t_ready")

    def in_window(start: float, end: float) -> bool:
        if t_kill is None:
            return False
        return end >= t_kill and (t_ready is None or start <= t_ready)

    ok_latency = [(e - s) * 1000 for s, e, o in records if o == 200]
    outside_5xx, outside_other, inside = [], [], []
    for s, e, o in records:
        if o == 200:
            continue
        if in_window(s, e):
            inside.append((s, e, o))
        elif isinstance(o, int) and o >= 500:
            outside_5xx.append((s, e, o))
        else:
            outside_other.append((s, e, o))

    def kinds(rows: list) -> str:
        counts: dict[str, int] = {}
        for _, _, o in rows:
            counts[str(o)] = counts.get(str(o), 0) + 1
        return ", ".join(f"{k}×{v}" for k, v in sorted(counts.items())) or "-"

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    lines = [f"soak: {duration:g} s at concurrency {concurrency}, {instances} instances, single-row bodies, "
             f"loopback, {os.cpu_count()} CPUs shared by the client, the server and the scoring processes", ""]
    row = lambda label, value: lines.append(f"  {label:44} {value}")  # noqa: E731
    row("total requests", f"{len(records):,}")
    row("req/s", f"{len(records) / wall:,.1f}")
    row("p50 / p99 latency of 200s (ms)", f"{pct(ok_latency, 0.50):.2f} / {pct(ok_latency, 0.99):.2f}")
    if t_kill is not None:
        row("kill (SIGKILL) at", f"{t_kill - t0:.2f} s (pid {result['victim_pid']}, port {result['victim_port']})")
    if t_ready is not None:
        row("instance Ready again at", f"{t_ready - t0:.2f} s (new pid {result.get('new_pid')})")
        row("restart window", f"{(t_ready - t_kill) * 1000:,.0f} ms")
    elif t_kill is not None:
        row("restart window", "open: the instance was not seen Ready again")
    row("instance restarts", str(result.get("restarts", 0)))
    row("5xx outside the window", f"{len(outside_5xx)} ({kinds(outside_5xx)})  target 0: {verdict(not outside_5xx)}")
    row("other errors outside the window", f"{len(outside_other)} ({kinds(outside_other)})  "
                                           f"target 0: {verdict(not outside_other)}")
    row("errors inside the window", f"{len(inside)} ({kinds(inside)})")
    if result.get("kill_error"):
        lines.append(f"  MISSED: {result['kill_error']}")
    elif t_ready is None:
        lines.append("  MISSED: the supervisor did not bring the instance back")
    for label, rows in (("5xx outside", outside_5xx), ("other errors outside", outside_other)):
        if rows:
            first, last = min(r[0] for r in rows) - t0, max(r[1] for r in rows) - t0
            lines.append(f"  {label}: between {first:.2f} s and {last:.2f} s after the start")
    for at, status, text in result.get("bodies_5xx", []):
        lines.append(f"  5xx sample at {at:.2f} s: {status} {text!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    p.add_argument("--concurrency", type=int, default=64, help="requests in flight (default 64)")
    p.add_argument("--instances", type=int, default=2, help="scoring processes of the deployment (default 2)")
    p.add_argument("--max-requests", type=int, default=5_000_000, help="stop after this many requests")
    p.add_argument("--keep", action="store_true", help="keep the temporary workspace (logs, models)")
    args = p.parse_args(argv)
    if args.instances < 2:
        print("note: with one instance every request in the restart window fails", file=sys.stderr)

    bench = _bench()
    folder = Path(tempfile.mkdtemp(prefix="modelyard-soak-"))
    ws = Workspace(folder / "ws")
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        ws.folder.mkdir()
        subprocess.run([sys.executable, "-m", "modelyard", "workspace", "create", str(ws.folder)], cwd=ws.folder,
                       env=ws.env, check=True, capture_output=True, text=True)
        ws.started = True
        ws.cli("up", "--detach", "--port", "0", timeout=180)
        url = ws.json("status")["url"].rstrip("/")
        bench.require_loopback(url)
        print(f"server {url}, workspace {ws.folder}; training ...", flush=True)
        paths, records = bench.train_models(folder / "models")
        ws.cli("model", "create", "--name", "attrition", "--path", str(paths["lr"]))
        ws.cli("online-endpoint", "create", "--name", "soak")
        ws.cli("online-deployment", "create", "--name", "blue", "--endpoint-name", "soak", "--model", "attrition:1",
               "--instance-count", str(args.instances), timeout=300)
        wait_ready(ws, args.instances)
        key = ws.json("online-endpoint", "get-credentials", "soak")["primary_key"]
        score = f"{url}/api/v1/service/soak/score"
        body = json.dumps({"data": records[:1]}).encode()
        status, answer = bench.post(score, body, key)
        if status != 200:
            raise RuntimeError(f"{score} answered {status}: {answer}")
        print(f"endpoint ready ({args.instances} instances); load for {args.duration:g} s at c={args.concurrency}, "
              f"kill at {args.duration / 2:g} s ...", flush=True)
        result = asyncio.run(soak(ws, score, key, body, args.duration, args.concurrency, args.instances,
                                  args.max_requests))
        print()
        print(report(result, args.duration, args.concurrency, args.instances))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    finally:
        ws.down()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

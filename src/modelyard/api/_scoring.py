"""The scoring route: ``POST /api/v1/service/<endpoint>/score`` (and ``/endpoints/<endpoint>/score``).

A thin ASGI layer in front of the app: it checks the key or token in constant time, picks a
deployment by traffic weight (or the ``azureml-model-deployment`` header), forwards the body to
one of its ready scoring processes over a kept-alive connection, and records the request.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import random
import re
import time
import uuid
from collections import deque
from typing import Any

ROUTE = re.compile(r"^/(?:api/v1/service|endpoints)/(?P<name>[A-Za-z0-9][A-Za-z0-9_.-]*)/(?P<action>score|swagger\.json)$")
TABLE_SECONDS = 1.0
LOG_SIZE = 2000
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class DeploymentStats:
    def __init__(self) -> None:
        self.requests = 0
        self.errors = 0
        self.latencies: deque[float] = deque(maxlen=5000)
        self.buckets = [0] * (len(LATENCY_BUCKETS) + 1)

    def record(self, status: int, seconds: float) -> None:
        self.requests += 1
        self.errors += status >= 500
        self.latencies.append(seconds)
        index = next((i for i, bound in enumerate(LATENCY_BUCKETS) if seconds <= bound), len(LATENCY_BUCKETS))
        self.buckets[index] += 1

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def pick(q: float) -> float | None:
            return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 3) if ordered else None

        return {"requests": self.requests, "errors": self.errors, "p50_ms": pick(0.5), "p99_ms": pick(0.99)}


class ScoringRouter:
    instance: "ScoringRouter | None" = None  # the app's router, for the metrics routes

    def __init__(self, app, context_of, supervisor_of) -> None:
        ScoringRouter.instance = self
        self.app = app
        self.context_of = context_of
        self.supervisor_of = supervisor_of
        self.table: dict[str, dict[str, Any]] = {}
        self.table_at = 0.0
        self.pool = ConnectionPool()
        self.stats: dict[tuple[str, str], DeploymentStats] = {}
        self.log: deque[dict[str, Any]] = deque(maxlen=LOG_SIZE)
        self.turn = 0

    async def __call__(self, scope, receive, send) -> None:
        match = ROUTE.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None:
            await self.app(scope, receive, send)
            return
        status, headers, body = await self.handle(scope, receive, match["name"], match["action"])
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", headers.get("content-type", "application/json").encode())]})
        await send({"type": "http.response.body", "body": body})

    async def handle(self, scope, receive, name: str, action: str) -> tuple[int, dict[str, str], bytes]:
        started = time.perf_counter()
        supervisor = self.supervisor_of()
        if supervisor is None:
            return _error(503, "endpoints are served by the workspace server: run 'modelyard up'")
        endpoint = await self._endpoint(name)
        if endpoint is None:
            return _error(404, f"no online endpoint named '{name}'")
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        if not self._authorized(name, endpoint, headers.get("authorization", "")):
            return _error(401, "missing or wrong key")
        deployments = supervisor.routes.get(name, {})
        chosen = headers.get("azureml-model-deployment") or _weighted(endpoint["traffic"], deployments)
        if chosen is None or not deployments.get(chosen):
            return _error(503, f"endpoint '{name}' has no ready deployment"
                          + (f" named '{chosen}'" if chosen else "") + "; see 'modelyard online-endpoint show'")
        body = await _read_body(receive)
        query = scope.get("query_string", b"").decode()
        path = "/score" if action == "score" else "/swagger.json"
        status, reply_headers, content = await self._forward(deployments[chosen], path, query, body,
                                                             "POST" if action == "score" else "GET")
        mirror = endpoint.get("mirror_traffic") or {}
        for target, share in mirror.items():
            if action == "score" and target != chosen and deployments.get(target) and random.random() * 100 < share:
                asyncio.ensure_future(self._forward(deployments[target], path, query, body, "POST"))
        seconds = time.perf_counter() - started
        if action == "score":
            self.stats.setdefault((name, chosen), DeploymentStats()).record(status, seconds)
            self.log.append({"time": time.time(), "endpoint": name, "deployment": chosen, "status": status,
                             "latency_ms": round(seconds * 1000, 3),
                             **({"input": body[:2000].decode(errors="replace"), "output": content[:2000].decode(
                                 errors="replace")} if random.random() < 0.05 or status >= 400 else {})})
        return status, reply_headers, content

    async def _endpoint(self, name: str) -> dict[str, Any] | None:
        if time.monotonic() - self.table_at > TABLE_SECONDS or name not in self.table:
            from modelyard.services.endpoints import endpoint_table

            self.table = await asyncio.to_thread(endpoint_table, self.context_of())
            self.table_at = time.monotonic()
        return self.table.get(name)

    def _authorized(self, name: str, endpoint: dict[str, Any], header: str) -> bool:
        if endpoint["auth_mode"] == "none":
            return True
        sent = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        if endpoint["auth_mode"] == "key":
            matches = [hmac.compare_digest(sent.encode(), key.encode()) for key in endpoint["keys"]]
            return bool(sent) and any(matches)
        from modelyard.services._secrets import check_token

        return bool(sent) and check_token(self.context_of().location.folder, sent, f"endpoint:{name}")

    async def _forward(self, ports: list[int], path: str, query: str, body: bytes,
                       method: str) -> tuple[int, dict[str, str], bytes]:
        self.turn += 1
        order = ports[self.turn % len(ports):] + ports[:self.turn % len(ports)]
        target = path + (f"?{query}" if query else "")
        for port in order:
            try:
                status, content_type, content = await self.pool.request(port, method, target, body)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                continue  # that instance is restarting: try the next one
            return status, {"content-type": content_type}, content
        return _error(503, "no scoring process answered; the deployment is restarting")

    def metrics(self, endpoint: str | None = None) -> dict[str, dict[str, Any]]:
        return {f"{e}/{d}": s.summary() for (e, d), s in self.stats.items() if endpoint in (None, e)}

    def prometheus(self) -> str:
        lines = ["# TYPE modelyard_endpoint_requests_total counter",
                 "# TYPE modelyard_endpoint_errors_total counter",
                 "# TYPE modelyard_endpoint_latency_seconds histogram"]
        for (endpoint, deployment), stats in sorted(self.stats.items()):
            labels = f'endpoint="{endpoint}",deployment="{deployment}"'
            lines.append(f"modelyard_endpoint_requests_total{{{labels}}} {stats.requests}")
            lines.append(f"modelyard_endpoint_errors_total{{{labels}}} {stats.errors}")
            cumulative = 0
            for bound, count in zip((*LATENCY_BUCKETS, "+Inf"), stats.buckets):
                cumulative += count
                lines.append(f'modelyard_endpoint_latency_seconds_bucket{{{labels},le="{bound}"}} {cumulative}')
            lines.append(f"modelyard_endpoint_latency_seconds_count{{{labels}}} {stats.requests}")
            lines.append(f"modelyard_endpoint_latency_seconds_sum{{{labels}}} {sum(stats.latencies):.6f}")
        return "\n".join(lines) + "\n"

    async def close(self) -> None:
        await self.pool.close()


class ConnectionPool:
    """Kept-alive HTTP/1.1 connections to the scoring processes on 127.0.0.1, reused one request at a time.

    Deliberately minimal (and so fast): the peers are our own scoring processes, which answer with a
    Content-Length or chunked body.
    """

    def __init__(self, per_port: int = 256) -> None:
        self.idle: dict[int, list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]] = {}
        self.per_port = per_port

    async def request(self, port: int, method: str, target: str, body: bytes) -> tuple[int, str, bytes]:
        idle = self.idle.setdefault(port, [])
        fresh = not idle
        reader, writer = idle.pop() if idle else await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(f"{method} {target} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                         f"content-length: {len(body)}\r\n\r\n".encode() + body)
            status, content_type, content, keep = await self._read(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            writer.close()
            if fresh:
                raise
            return await self.request(port, method, target, body)  # a stale kept-alive connection: once more
        if keep and len(idle) < self.per_port:
            idle.append((reader, writer))
        else:
            writer.close()
        return status, content_type, content

    @staticmethod
    async def _read(reader: asyncio.StreamReader) -> tuple[int, str, bytes, bool]:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
                chunk = await reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            content = b"".join(chunks)
        else:
            content = await reader.readexactly(int(headers.get("content-length", "0")))
        keep = headers.get("connection", "").lower() != "close"
        return status, headers.get("content-type", "application/json"), content, keep

    async def close(self) -> None:
        for connections in self.idle.values():
            for _, writer in connections:
                writer.close()
        self.idle.clear()


def _weighted(traffic: dict[str, int], ready: dict[str, list[int]]) -> str | None:
    choices = [(name, weight) for name, weight in traffic.items() if weight > 0]
    if not choices:
        return None
    pick = random.random() * sum(weight for _, weight in choices)
    for name, weight in choices:
        pick -= weight
        if pick < 0:
            return name
    return choices[-1][0]


async def _read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _error(status: int, detail: str) -> tuple[int, dict[str, str], bytes]:
    error = {401: "Unauthorized", 404: "NotFound", 503: "Unavailable"}.get(status, "Error")
    return status, {"content-type": "application/json"}, json.dumps(
        {"error": error, "detail": detail, "id": uuid.uuid4().hex[:12]}).encode()

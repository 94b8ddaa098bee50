"""The scoring route: ``POST /api/v1/service/<endpoint>/score`` (and ``/endpoints/<endpoint>/score``).

A thin ASGI layer in front of the app: it checks the key or token in constant time, picks a
deployment by traffic weight (or the ``azureml-model-deployment`` header), forwards the body to
one of its ready scoring processes over a kept-alive connection, and records the request.
"""

from __future__ import annotations

import asyncio
import bisect
import hmac
import itertools
import json
import logging
import random
import re
import time
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Any

from modelyard.api._lanes import ScoringLanes
from modelyard.api._upstream import ConnectionPool
from modelyard.serving._collector import REQUEST_ID_PARAM

log = logging.getLogger("modelyard.api")
PREFIXES = ("/api/v1/service/", "/endpoints/")
ROUTE = re.compile(r"^/(?:api/v1/service|endpoints)/(?P<name>[A-Za-z0-9][A-Za-z0-9_.-]*)/(?P<action>score|swagger\.json)$")
TABLE_SECONDS = 5.0  # the API's writes invalidate the table at once; this bounds other writers (embedded clients)
LOG_SIZE = 2000
LOGGED_SHARE = 0.05  # of the successful requests, logged with their input and output
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
REQUEST_ID = re.compile(rb"^[A-Za-z0-9._~-]{1,128}$")  # a caller's x-request-id that is kept (URL-safe)
COLLECT = REQUEST_ID_PARAM.encode() + b"="
WARNED = b'{"warnings":'  # how a scoring process's answer starts when the input held values never seen in training


@dataclass(slots=True)
class Admitted:
    """A scoring request let through: its endpoint and the deployment chosen for it."""

    name: str
    endpoint: dict[str, Any]
    deployments: dict[str, Any]
    chosen: str
    route: Any  # the supervisor's route to the deployment: sockets, max_body_bytes, collect_rate
    length: bytes  # the Content-Length header, b"" without one
    chunked: bool
    request_id: bytes
    started: float

    def declared_length(self) -> int | None:
        return int(self.length) if self.length else None


class DeploymentStats:
    def __init__(self) -> None:
        self.requests = 0
        self.errors = 0
        self.unseen = 0  # requests answered with unseen-category warnings
        self.latencies: deque[float] = deque(maxlen=5000)
        self.buckets = [0] * (len(LATENCY_BUCKETS) + 1)

    def record(self, status: int, seconds: float) -> None:
        self.requests += 1
        self.errors += status >= 500
        self.latencies.append(seconds)
        self.buckets[bisect.bisect_left(LATENCY_BUCKETS, seconds)] += 1

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def pick(q: float) -> float | None:
            return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 3) if ordered else None

        return {"requests": self.requests, "errors": self.errors, "unseen_requests": self.unseen,
                "p50_ms": pick(0.5), "p99_ms": pick(0.99)}


class ScoringRouter:
    instance: "ScoringRouter | None" = None  # the app's router, for the metrics routes

    def __init__(self, app, context_of, supervisor_of) -> None:
        ScoringRouter.instance = self
        self.app = app
        self.context_of = context_of
        self.supervisor_of = supervisor_of
        self.table: dict[str, dict[str, Any]] = {}
        self.table_at = -TABLE_SECONDS
        self._reload: asyncio.Future | None = None
        self.version = 0  # of the endpoints, counted by invalidate()
        self.pool = ConnectionPool()
        self.lanes = ScoringLanes(self.pool)
        self.stats: dict[tuple[str, str], DeploymentStats] = {}
        self.log: deque[tuple] = deque(maxlen=LOG_SIZE)  # see request_log
        self.turn = 0

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "")
        match = ROUTE.match(path) if scope["type"] == "http" and path.startswith(PREFIXES) else None
        if match is None:
            await self.app(scope, receive, send)
            return
        status, content_type, body = await settled(self.handle(scope, receive, match["name"], match["action"]))
        headers = answer_headers(status, content_type, len(body), scope.get("modelyard.deployment"),
                                 scope.get("modelyard.request_id"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def handle(self, scope, receive, name: str, action: str) -> tuple[int, bytes, bytes]:
        started = time.perf_counter()
        if self.supervisor_of() is None:
            return _error(503, "endpoints are served by the workspace server: run 'modelyard up'")
        if not self.table_fresh():
            await self._load_table()
        admitted = self.admit(name, scope["headers"], started)
        if not isinstance(admitted, Admitted):
            return admitted
        scope["modelyard.deployment"] = admitted.chosen.encode("latin-1")  # the answer names it, as Azure's does
        if action != "score":
            return await self._forward(admitted.route.sockets,
                                       lambda path: self.pool.request(path, b"GET", b"/swagger.json", b""))
        limit = admitted.route.max_body_bytes
        try:
            declared = admitted.declared_length()
        except ValueError:
            return _error(400, "bad Content-Length")
        if declared is not None and declared > limit and not admitted.chunked:
            return _too_large(f"the body is {declared} bytes", admitted.chosen, limit)
        body = await _read_body(receive, limit)
        if body is None:
            return _too_large("the body is larger", admitted.chosen, limit)
        scope["modelyard.request_id"] = admitted.request_id
        return await self.score(admitted, scope.get("query_string") or b"", body)

    def table_fresh(self) -> bool:
        return time.monotonic() - self.table_at <= TABLE_SECONDS

    def admit(self, name: str, headers, started: float) -> "Admitted | tuple[int, bytes, bytes]":
        """Who may score where (from the endpoint table as it is): the request's deployment, or the
        error answer (unknown endpoint, wrong key, no ready deployment)."""
        endpoint = self.table.get(name)
        if endpoint is None:
            return _error(404, f"no online endpoint named '{name}'")
        authorization = wanted = length = request_id = b""
        chunked = False
        for key, value in headers:
            if key == b"authorization":
                authorization = value
            elif key == b"azureml-model-deployment":
                wanted = value
            elif key == b"content-length":
                length = value
            elif key == b"x-request-id":
                request_id = value
            elif key == b"transfer-encoding":
                chunked = True
        if not self._authorized(name, endpoint, authorization):
            return _error(401, "missing or wrong key")
        supervisor = self.supervisor_of()
        deployments = supervisor.routes.get(name, {}) if supervisor is not None else {}
        chosen = wanted.decode("latin-1") or _weighted(endpoint["draw"])
        route = deployments.get(chosen) if chosen else None
        if route is None or not route.sockets:
            return _error(503, f"endpoint '{name}' has no ready deployment"
                          + (f" named '{chosen}'" if chosen else "") + "; see 'modelyard online-endpoint show'")
        # the correlation id of the request, as Azure answers it; a collected request carries it on
        if not REQUEST_ID.match(request_id):
            request_id = new_request_id()
        return Admitted(name, endpoint, deployments, chosen, route, length, chunked, request_id, started)

    async def score(self, admitted: "Admitted", query: bytes, body: bytes) -> tuple[int, bytes, bytes]:
        """Forward an admitted request's body to its deployment (and its mirrors); record the answer."""
        chosen, route = admitted.chosen, admitted.route
        forwarded = query
        if route.collect_rate and (route.collect_rate >= 1.0 or random.random() < route.collect_rate):
            forwarded = COLLECT + admitted.request_id + (b"&" + query if query else b"")
        status, content_type, content = await self._forward(
            route.sockets, lambda path: self.lanes.score(path, forwarded, body))
        mirror = admitted.endpoint["mirror_traffic"]
        if mirror:
            deployments = admitted.deployments
            for other, share in mirror.items():
                if other != chosen and deployments.get(other) and random.random() * 100 < share:
                    asyncio.ensure_future(self._forward(
                        deployments[other].sockets, lambda path: self.lanes.score(path, query, body)))
        seconds = time.perf_counter() - admitted.started
        key = (admitted.name, chosen)
        stats = self.stats.get(key)
        if stats is None:
            stats = self.stats[key] = DeploymentStats()
        stats.record(status, seconds)
        stats.unseen += content.startswith(WARNED)
        sample = (body[:2000], content[:2000]) if status >= 400 or random.random() < LOGGED_SHARE else None
        self.log.append((time.time(), admitted.name, chosen, status, seconds, sample))  # a dict when read
        return status, content_type, content

    def request_log(self, endpoint: str, limit: int) -> list[dict[str, Any]]:
        """The last ``limit`` requests to ``endpoint``, oldest first (with their bodies for errors and a sample)."""
        entries = []
        for when, name, deployment, status, seconds, sample in self.log:
            if name != endpoint:
                continue
            entry = {"time": when, "endpoint": name, "deployment": deployment, "status": status,
                     "latency_ms": round(seconds * 1000, 3)}
            if sample is not None:
                entry["input"], entry["output"] = (text.decode(errors="replace") for text in sample)
            entries.append(entry)
        return entries[-limit:]

    async def _load_table(self) -> None:
        """Read the endpoints again; concurrent callers share one read."""
        if self._reload is None:
            self._reload = asyncio.ensure_future(self._read_table())
        await asyncio.shield(self._reload)

    async def _read_table(self) -> None:
        from modelyard.services.endpoints import endpoint_table

        try:
            began, version = time.monotonic(), self.version
            table = await asyncio.to_thread(endpoint_table, self.context_of())
            for endpoint in table.values():
                endpoint["draw"] = _draw_of(endpoint["traffic"])
            self.table = table
            if version == self.version:  # else a change came in meanwhile: read again on the next request
                self.table_at = began
        finally:
            self._reload = None

    def invalidate(self) -> None:
        """The endpoints changed (keys, traffic): the next request reads them again."""
        self.version += 1
        self.table_at = -TABLE_SECONDS

    def _authorized(self, name: str, endpoint: dict[str, Any], header: bytes) -> bool:
        if endpoint["auth_mode"] == "none":
            return True
        sent = header[7:].strip() if header.startswith(b"Bearer ") else b""
        if not sent:
            return False
        if endpoint["auth_mode"] == "key":
            matches = [hmac.compare_digest(sent, key) for key in endpoint["keys"]]
            return any(matches)
        from modelyard.services._secrets import check_token

        return check_token(self.context_of().location.folder, sent.decode("latin-1"), f"endpoint:{name}")

    async def _forward(self, sockets: list[str], ask) -> tuple[int, bytes, bytes]:
        """``ask(socket path)`` of the deployment's scoring processes in turn, the next one when one is down."""
        self.turn += 1
        count = len(sockets)
        for attempt in range(count):
            path = sockets[(self.turn + attempt) % count]
            try:
                return await ask(path)
            except (OSError, ValueError):
                continue  # that instance is restarting: try the next one
        return _error(503, "no scoring process answered; the deployment is restarting")

    def metrics(self, endpoint: str | None = None) -> dict[str, dict[str, Any]]:
        return {f"{e}/{d}": s.summary() for (e, d), s in self.stats.items() if endpoint in (None, e)}

    def prometheus(self) -> str:
        lines = ["# TYPE modelyard_endpoint_requests_total counter",
                 "# TYPE modelyard_endpoint_errors_total counter",
                 "# TYPE modelyard_endpoint_unseen_requests_total counter",
                 "# TYPE modelyard_endpoint_latency_seconds histogram",
                 f"modelyard_scoring_coalesced_requests_total {self.lanes.coalesced}",
                 f"modelyard_scoring_coalesced_messages_total {self.lanes.batches}"]
        for (endpoint, deployment), stats in sorted(self.stats.items()):
            labels = f'endpoint="{endpoint}",deployment="{deployment}"'
            lines.append(f"modelyard_endpoint_requests_total{{{labels}}} {stats.requests}")
            lines.append(f"modelyard_endpoint_errors_total{{{labels}}} {stats.errors}")
            lines.append(f"modelyard_endpoint_unseen_requests_total{{{labels}}} {stats.unseen}")
            cumulative = 0
            for bound, count in zip((*LATENCY_BUCKETS, "+Inf"), stats.buckets):
                cumulative += count
                lines.append(f'modelyard_endpoint_latency_seconds_bucket{{{labels},le="{bound}"}} {cumulative}')
            lines.append(f"modelyard_endpoint_latency_seconds_count{{{labels}}} {stats.requests}")
            lines.append(f"modelyard_endpoint_latency_seconds_sum{{{labels}}} {sum(stats.latencies):.6f}")
        return "\n".join(lines) + "\n"

    async def close(self) -> None:
        await self.pool.close()


async def settled(answer) -> tuple[int, bytes, bytes]:
    """What the awaitable ``answer`` gives, or a 500 with an id (the server log has the traceback)."""
    try:
        return await answer
    except Exception:  # noqa: BLE001 - the caller gets an id, the log the traceback
        status, content_type, body = _error(500, "the scoring route failed; the server log has the traceback")
        log.exception("scoring route: %s", body.decode())
        return status, content_type, body


def answer_headers(status: int, content_type: bytes, length: int, deployment: bytes | None,
                   request_id: bytes | None) -> list[tuple[bytes, bytes]]:
    """The headers of a scoring answer: the deployment that answered and the request's id, as Azure's."""
    headers = [(b"content-type", content_type), (b"content-length", b"%d" % length)]
    if deployment is not None:
        headers.append((b"azureml-model-deployment", deployment))
    if request_id is not None:
        headers.append((b"x-request-id", request_id))
    if status == 413:
        headers.append((b"connection", b"close"))  # the unread rest of the body is not worth reading
    return headers


def _draw_of(traffic: dict[str, int]) -> tuple[list[str], list[int]]:
    """The deployments taking traffic and their cumulative weights, for ``_weighted``."""
    names = [name for name, weight in traffic.items() if weight > 0]
    return names, list(itertools.accumulate(traffic[name] for name in names))


def _weighted(draw: tuple[list[str], list[int]]) -> str | None:
    names, bounds = draw
    if not names:
        return None
    return names[min(bisect.bisect_right(bounds, random.random() * bounds[-1]), len(names) - 1)]


async def _read_body(receive, limit: int) -> bytes | None:
    """The request body, or None as soon as it passes ``limit`` bytes (the rest is not read)."""
    message = await receive()
    body = message.get("body", b"")
    if not message.get("more_body"):
        return body if len(body) <= limit else None
    chunks = [body]
    size = len(body)
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def new_request_id() -> bytes:
    """A random UUID (version 4) as Azure answers it in x-request-id, without a system call for each."""
    value = (random.getrandbits(128) & ~(0xF000 << 64 | 0xC000 << 48)) | (0x4000 << 64 | 0x8000 << 48)
    hexed = b"%032x" % value
    return b"%s-%s-%s-%s-%s" % (hexed[:8], hexed[8:12], hexed[12:16], hexed[16:20], hexed[20:])


def _too_large(what: str, deployment: str, limit: int) -> tuple[int, bytes, bytes]:
    return _error(413, f"{what}; deployment '{deployment}' takes at most {limit} bytes "
                       "(its request_settings.max_body_bytes)")


def _error(status: int, detail: str) -> tuple[int, bytes, bytes]:
    error = {400: "InvalidInput", 401: "Unauthorized", 404: "NotFound", 413: "TooLarge",
             503: "Unavailable"}.get(status, "Error")
    return status, b"application/json", json.dumps(
        {"error": error, "detail": detail, "id": uuid.uuid4().hex[:12]}).encode()

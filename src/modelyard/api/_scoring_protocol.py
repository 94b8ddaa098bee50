"""The workspace server's HTTP protocol: uvicorn's httptools protocol, with the scoring route's
ordinary requests answered without an ASGI cycle.

A ``POST /api/v1/service/<name>/score`` (or ``/endpoints/<name>/score``) with a Content-Length
within its deployment's limit, that the request guard lets through and the router admits (a known
endpoint, the right key or token, a ready deployment), is read, forwarded and answered here: no
scope, no task running an ASGI app, no receive/send messages, nothing re-validated in headers we
wrote ourselves. That path was most of the workspace server's CPU time per scored request.

Everything else takes uvicorn's own path to the app, which runs the same checks and so gives the
same answers: any refusal (the guard's 400/403/415, 401, 404, 503), a chunked or over-limit body,
``Expect: 100-continue``, an encoded path, an endpoint table due for a reload, a request pipelined
behind one still in flight on its connection.
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import httptools
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from modelyard.api._scoring import PREFIXES, ROUTE, Admitted, answer_headers, settled

_PREFIXES = tuple(prefix.encode() for prefix in PREFIXES)
_NO_EVENT = SimpleNamespace(set=lambda: None)


class _Scoring:
    """A scoring request on the fast path, in the shape uvicorn's protocol expects of its current
    request (``cycle``): it reads ``response_complete``, ``disconnected``, ``keep_alive`` and
    ``message_event`` when the connection is lost, the server shuts down or a request is pipelined."""

    __slots__ = ("admitted", "query", "chunks", "keep_alive", "response_complete", "disconnected")
    message_event = _NO_EVENT

    def __init__(self, admitted: Admitted, query: bytes, keep_alive: bool) -> None:
        self.admitted = admitted
        self.query = query
        self.chunks: list[bytes] = []
        self.keep_alive = keep_alive
        self.response_complete = False
        self.disconnected = False


class ScoringHttpProtocol(HttpToolsProtocol):
    """``uvicorn.Config(http=ScoringHttpProtocol)`` for an app with ``scoring_router`` (and
    ``scoring_guard`` when it has a request guard): see the module's docstring."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        app = self.config.app
        plain = not self.root_path and self.limit_concurrency is None
        self.router = getattr(app, "scoring_router", None) if plain else None
        self.guard = getattr(app, "scoring_guard", None)
        self.reading: _Scoring | None = None  # the request being read, when it is on the fast path

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.reading = None

    def on_headers_complete(self) -> None:
        scoring = self._admit() if self.router is not None and self.url.startswith(_PREFIXES) else None
        if scoring is None:
            super().on_headers_complete()
        else:
            self.reading = self.cycle = scoring

    def on_body(self, body: bytes) -> None:
        if self.reading is None:
            super().on_body(body)
        else:
            self.reading.chunks.append(body)

    def on_message_complete(self) -> None:
        scoring = self.reading
        if scoring is None:
            super().on_message_complete()
            return
        self.reading = None
        body = scoring.chunks[0] if len(scoring.chunks) == 1 else b"".join(scoring.chunks)
        task = self.loop.create_task(self._answer(scoring, body))
        task.add_done_callback(self.tasks.discard)
        self.tasks.add(task)  # the server's graceful shutdown waits for it

    def _admit(self) -> _Scoring | None:
        """The request, admitted to the fast path; None sends it the ASGI way."""
        parser, router = self.parser, self.router
        if (parser.get_method() != b"POST" or self.expect_100_continue or parser.should_upgrade()
                or (self.cycle is not None and not self.cycle.response_complete)
                or router.supervisor_of() is None or not router.table_fresh()):
            return None
        url = httptools.parse_url(self.url)
        raw_path = url.path
        match = ROUTE.match(raw_path.decode("ascii", "replace")) if b"%" not in raw_path else None
        if match is None or match["action"] != "score":
            return None
        path = match.string
        if self.guard is not None and self.guard.refusal(
                {"type": "http", "method": "POST", "path": path, "headers": self.headers}) is not None:
            return None
        admitted = router.admit(match["name"], self.headers, time.perf_counter())
        if not isinstance(admitted, Admitted) or admitted.chunked:
            return None
        try:
            length = admitted.declared_length()
        except ValueError:
            return None
        if length is None or length > admitted.route.max_body_bytes:
            return None
        keep_alive = parser.get_http_version() == "1.1" and parser.should_keep_alive()
        return _Scoring(admitted, url.query or b"", keep_alive)

    async def _answer(self, scoring: _Scoring, body: bytes) -> None:
        admitted = scoring.admitted
        status, content_type, content = await settled(self.router.score(admitted, scoring.query, body))
        if scoring.disconnected or self.transport.is_closing():
            return
        head = [STATUS_LINE[status]]
        for name, value in (*self.server_state.default_headers,
                            *answer_headers(status, content_type, len(content), admitted.chosen.encode("latin-1"),
                                            admitted.request_id)):
            head += (name, b": ", value, b"\r\n")
        head += (b"\r\n", content)
        scoring.response_complete = True
        self.transport.write(b"".join(head))
        if not scoring.keep_alive or status == 413:
            self.transport.close()
        self.on_response_complete()

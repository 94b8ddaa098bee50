"""The scoring process's ASGI app: a raw ASGI callable (no framework on the request path).

Routes: ``POST /score`` (also ``/``-less aliases ``/score/`` and Azure's ``/score?...``),
``POST /score-many`` (requests that queued up in the workspace server, in one body: see ``_frames``),
``GET /health`` (liveness), ``GET /ready`` (model loaded), ``GET /swagger.json``, ``GET /metrics``.
A scoring answer is ``{"result": [...]}``, with ``"warnings"`` first when a categorical column held
values the model never saw in training (the model still answers), and ``"explanation"`` after it when
the request asked for one (``_explain``).
The model is loaded in a thread at startup: ``/health`` answers at once, ``/ready`` and
``/score`` answer 503 until the model is there. A load failure ends the process: exit code 4 when the
model is unusable (not a model, or it cannot predict on its input example), else 3 so its
supervisor restarts it.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
import threading
import time
import traceback
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import orjson

from modelyard.serving._batcher import MicroBatcher
from modelyard.serving._collector import REQUEST_ID_PARAM, Collector
from modelyard.serving._errors import RequestError
from modelyard.serving._frames import CONTENT_TYPE, frame_answers, read_requests
from modelyard.serving._lifeline import EXIT_LOAD_FAILED, EXIT_UNUSABLE_MODEL, LOAD_ERROR_PREFIX
from modelyard.serving._metrics import Metrics
from modelyard.serving._openapi import openapi
from modelyard.serving._explain import NOT_ENABLED, EndpointExplainer
from modelyard.serving._explain import prepare as prepare_explainer
from modelyard.serving._parse import ParsedRequest, load_body, parse_request

log = logging.getLogger("modelyard.serving")

_JSON = [(b"content-type", b"application/json")]
_TEXT = [(b"content-type", b"text/plain; version=0.0.4; charset=utf-8")]
_RETRY = [*_JSON, (b"retry-after", b"1")]
_FRAMES = [(b"content-type", CONTENT_TYPE)]
MODEL_REFUSALS = (ValueError, TypeError, KeyError)  # what a model raises on an input it cannot score


@dataclass
class Settings:
    """How one scoring process serves (the CLI's options)."""

    model_dir: str
    scoring_script: str | None = None
    code_dir: str | None = None
    max_concurrent: int = 512
    request_timeout_ms: int = 60_000
    max_body_bytes: int = 16 * 1024 * 1024
    name: str | None = None
    compile: bool = True
    trusted_types: tuple[str, ...] = ()
    max_batch_rows: int = 1024
    collect_to: str | None = None  # the folder (fsspec URL) collected data goes to; None: no collection
    collections: tuple[str, ...] = ()
    collect_buffer_rows: int = 100_000
    collect_flush_seconds: float = 1.0
    explain: bool = False  # prepare the model's explainer: requests may ask for their rows' contributions
    extra: dict = field(default_factory=dict)


def _default(obj: Any) -> Any:
    if hasattr(obj, "tolist"):
        return obj.tolist()
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)


def dumps(obj: Any) -> bytes:
    return orjson.dumps(obj, default=_default, option=orjson.OPT_SERIALIZE_NUMPY)


class ScoringApp:
    """ASGI app serving one model (or one scoring script)."""

    def __init__(self, settings: Settings, scorer: Any = None) -> None:
        self.settings = settings
        self.metrics = Metrics(settings.name)
        self.scorer = scorer
        self.load_error: str | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scoring")
        self._batcher: MicroBatcher | None = None
        self._swagger: bytes | None = None
        self._timeout = settings.request_timeout_ms / 1000.0
        self.collector: Collector | None = None
        self.explainer: EndpointExplainer | None = None
        self.explain_refusal = NOT_ENABLED
        if settings.collect_to and settings.collections:
            self.collector = Collector(settings.collect_to, settings.collections, settings.collect_buffer_rows,
                                       settings.collect_flush_seconds)
        if scorer is not None:
            self._ready(scorer)

    # -- loading ----------------------------------------------------------------------------
    def _load(self) -> Any:
        s = self.settings
        if s.scoring_script:
            from modelyard.serving._script import ScriptScorer

            return ScriptScorer(s.scoring_script, s.model_dir, s.code_dir)
        from modelyard.serving._model import load_model

        return load_model(s.model_dir, compile=s.compile, trusted_types=s.trusted_types)

    def _ready(self, scorer: Any) -> None:
        self.explainer, self.explain_refusal = prepare_explainer(scorer, self.settings.explain)
        if not self.settings.scoring_script:
            compiled = getattr(scorer, "compiled", None)
            self._batcher = MicroBatcher(
                scorer.score, executor=self._executor,
                inline=compiled is not None and getattr(compiled, "fast", False),
                max_batch_rows=self.settings.max_batch_rows, on_batch=self.metrics.batch_rows.observe)
        self.scorer = scorer
        # the model and its libraries live as long as the process: kept out of the garbage collector's full
        # passes, which the requests' short-lived objects (and rows buffered for collection) would make costly
        gc.collect()
        gc.freeze()

    def _load_in_background(self) -> None:
        def work() -> None:
            started = time.perf_counter()
            try:
                scorer = self._load()
            except BaseException as exc:  # noqa: BLE001
                from modelyard.serving._model import ModelLoadError

                unusable = isinstance(exc, ModelLoadError)
                self.load_error = str(exc) if unusable else f"{type(exc).__name__}: {exc}"
                if not unusable:
                    traceback.print_exc(file=sys.stderr)
                print(f"{LOAD_ERROR_PREFIX}{self.load_error}", file=sys.stderr, flush=True)
                os._exit(EXIT_UNUSABLE_MODEL if unusable else EXIT_LOAD_FAILED)
            self._loop.call_soon_threadsafe(self._ready, scorer)
            print(f"modelyard.serving: ready in {time.perf_counter() - started:.2f}s "
                  f"({scorer.source}; {scorer.compile_note})", file=sys.stderr, flush=True)

        threading.Thread(target=work, name="model-load", daemon=True).start()

    # -- ASGI -------------------------------------------------------------------------------
    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self._loop = asyncio.get_running_loop()
                if self.collector is not None:
                    self.collector.start()
                if self.scorer is None:
                    self._load_in_background()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self._executor.shutdown(wait=False, cancel_futures=True)
                if self.collector is not None:
                    await asyncio.to_thread(self.collector.close)  # what was answered gets written
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope["path"].rstrip("/") or "/"
        method = scope["method"]
        started = time.perf_counter()
        if path in ("/score", "/score-many"):
            if method != "POST":
                await _respond(send, 405, {"error": "use POST"})
            elif path == "/score":
                await self._score(scope, receive, send)
            else:
                await self._score_many(scope, receive, send)
            return
        if method not in ("GET", "HEAD"):
            status = await _respond(send, 405, {"error": f"{method} is not allowed on {path}"})
        elif path == "/health":
            status = await _respond(send, 200, {"status": "alive"})
        elif path == "/ready":
            if self.scorer is None:
                status = await _respond(send, 503, {"status": "loading"})
            else:
                status = await _respond(send, 200, {"status": "ready", "model": self.scorer.describe(),
                                                    "explain": {"enabled": self.explainer is not None,
                                                                "refusal": self.explain_refusal or None}})
        elif path in ("/swagger.json", "/openapi.json"):
            status = await self._swagger_json(send)
        elif path == "/metrics":
            info = {"source": getattr(self.scorer, "source", "loading"),
                    "compiled": str(getattr(self.scorer, "compiled", None) is not None).lower()}
            text = self.metrics.render(info)
            if self.collector is not None:
                text += "\n".join(self.collector.render(self.metrics.labels)) + "\n"
            await _send(send, 200, text.encode(), _TEXT)
            status = 200
        else:
            status = await _respond(send, 404, {"error": f"no route {path}"})
        self.metrics.observe(path if status != 404 else "other", status, time.perf_counter() - started)

    async def _swagger_json(self, send: Any) -> int:
        if self.scorer is None:
            return await _respond(send, 503, {"error": "the model is loading"})
        if self._swagger is None:
            s = self.scorer
            self._swagger = dumps(openapi(s.schema, s.input_example, title=self.settings.name or "modelyard scoring",
                                          classes=s.classes, has_proba=s.has_proba))
        await _send(send, 200, self._swagger, _JSON)
        return 200

    async def _score(self, scope: dict, receive: Any, send: Any) -> int:
        try:
            body = await _read_body(scope, receive, self.settings.max_body_bytes)
        except RequestError as exc:
            status = await _respond(send, exc.status, {"error": exc.message})
            self.metrics.observe("/score", status, 0.0)
            return status
        status, answer = await self._score_body(body, scope.get("query_string") or b"")
        await _send(send, status, answer, _JSON if status != 429 else _RETRY)
        return status

    async def _score_many(self, scope: dict, receive: Any, send: Any) -> int:
        """The requests that queued up in the workspace server, scored together (see ``_frames``)."""
        try:
            body = await _read_body(scope, receive, 2 * self.settings.max_body_bytes)
            requests = read_requests(body)
        except RequestError as exc:
            return await _respond(send, exc.status, {"error": exc.message})
        except ValueError as exc:
            return await _respond(send, 400, {"error": str(exc)})
        await _send(send, 200, frame_answers(await self._score_together(requests)), _FRAMES)
        return 200

    async def _score_body(self, body: bytes, query_string: bytes) -> tuple[int, bytes]:
        """One scoring request's status and answer; counted in the metrics."""
        started = time.perf_counter()
        refused = self._enter()
        if refused is not None:
            return refused
        rows = 0
        try:
            if self.scorer is None:
                raise RequestError(503, "the model is loading")
            query, collect_as = _query_of(query_string)
            answer, rows = await asyncio.wait_for(self._answer(body, query, collect_as), self._timeout)
            status = 200
        except Exception as exc:  # noqa: BLE001 - _failure says what the caller gets
            status, answer = self._failure(exc)
        finally:
            self.metrics.in_flight -= 1
        self.metrics.observe("/score", status, time.perf_counter() - started, rows)
        return status, answer

    async def _score_together(self, requests: list[tuple[bytes, bytes]]) -> list[tuple[int, bytes]]:
        """The answers to the requests of one /score-many: each parsed and handed to the micro-batcher at
        once, all awaited under one deadline (no task and no timer for each, as ``_score_body`` needs)."""
        if self._batcher is None or self.scorer is None:  # a scoring script, or still loading
            return list(await asyncio.gather(*(self._score_body(body, query) for query, body in requests)))
        started = time.perf_counter()
        pending: list = []  # per request: its (status, answer) when known, else (parsed, future, collect_as)
        for query_string, body in requests:
            refused = self._enter()
            if refused is not None:
                pending.append(refused)
                continue
            try:
                query, collect_as = _query_of(query_string)
                parsed = self._parse(body, query)
                pending.append((parsed, self._batcher.submit(parsed), collect_as))
            except Exception as exc:  # noqa: BLE001 - _failure says what the caller gets
                pending.append(self._leave(self._failure(exc), started))
        futures = [entry[1] for entry in pending if len(entry) == 3]
        try:
            if futures:
                await asyncio.wait(futures, timeout=self._timeout)
        except BaseException:  # cancelled (the server is stopping): these are no longer in flight
            for future in futures:
                future.cancel()
                self.metrics.in_flight -= 1
            raise
        answers = []
        for entry in pending:
            if len(entry) == 3:
                parsed, future, collect_as = entry
                try:
                    if not future.done():
                        future.cancel()  # the batcher skips it
                        raise TimeoutError
                    try:
                        result = future.result()
                    except MODEL_REFUSALS as exc:
                        raise _refusal(exc) from None
                    answer = self._finish(parsed, result, collect_as)
                    entry = self._leave((200, answer), started, parsed.n_rows)
                except Exception as exc:  # noqa: BLE001 - _failure says what the caller gets
                    entry = self._leave(self._failure(exc), started)
            answers.append(entry)
        return answers

    def _enter(self) -> tuple[int, bytes] | None:
        """A request starts (counted in flight), or its 429 when too many are in flight."""
        metrics = self.metrics
        if metrics.in_flight >= self.settings.max_concurrent:
            metrics.observe("/score", 429, 0.0)
            return 429, dumps({"error": f"more than {self.settings.max_concurrent} concurrent requests"})
        metrics.in_flight += 1
        return None

    def _leave(self, answer: tuple[int, bytes], started: float, rows: int = 0) -> tuple[int, bytes]:
        self.metrics.in_flight -= 1
        self.metrics.observe("/score", answer[0], time.perf_counter() - started, rows)
        return answer

    def _failure(self, exc: Exception) -> tuple[int, bytes]:
        """The status and answer of a request that failed with ``exc`` (500s logged with an id)."""
        if isinstance(exc, RequestError):
            return exc.status, dumps({"error": exc.message})
        if isinstance(exc, (TimeoutError, asyncio.TimeoutError)):
            return 504, dumps({"error": f"the request took longer than {self.settings.request_timeout_ms} ms"})
        error_id = uuid.uuid4().hex[:16]
        print(f"modelyard.serving: error {error_id} scoring a request: {type(exc).__name__}: {exc}", file=sys.stderr)
        traceback.print_exception(exc, file=sys.stderr)
        sys.stderr.flush()
        return 500, dumps({"error": "scoring failed; quote the error id to find the log entry", "error_id": error_id})

    async def _answer(self, body: bytes, query: dict | None, collect_as: str | None = None) -> tuple[bytes, int]:
        """The answer and its row count; collected under the correlation id ``collect_as`` when given."""
        scorer = self.scorer
        if self._batcher is None:  # scoring script: the body goes to run() as it came
            load_body(body)  # malformed JSON is refused before the script sees it
            loop = asyncio.get_running_loop()
            text = body.decode("utf-8", errors="replace")
            answer = dumps(await loop.run_in_executor(self._executor, scorer.run, text))
            if collect_as is not None and self.collector is not None:  # a script's input and output, as text
                self.collector.add(collect_as, {"data": [text]}, 1, {"result": [answer.decode()]})
            return answer, 0
        parsed = self._parse(body, query)
        try:
            result = await self._batcher.submit(parsed)
        except MODEL_REFUSALS as exc:
            raise _refusal(exc) from None
        return self._finish(parsed, result, collect_as), parsed.n_rows

    def _parse(self, body: bytes, query: dict | None) -> ParsedRequest:
        """The validated request; 400 before scoring when it asks for an explanation this process cannot give."""
        parsed = parse_request(body, self.scorer.schema, query)
        if parsed.explain_top is not None and self.explainer is None:
            raise RequestError(400, self.explain_refusal)
        return parsed

    def _finish(self, parsed, result: Any, collect_as: str | None) -> bytes:
        """The answer to a scored request (warnings first); collected under ``collect_as`` when given."""
        scorer = self.scorer
        answer = self._warnings(parsed.columns)
        answer["result"] = result
        if parsed.method == "predict_proba":
            answer["classes"] = scorer.classes
        if parsed.explain_top is not None:
            answer["explanation"] = self.explainer.answer(parsed.columns, parsed.records, parsed.explain_top)
        if collect_as is not None and self.collector is not None:
            outputs = "probabilities" if parsed.method == "predict_proba" else "prediction"
            self.collector.add(collect_as, parsed.columns, parsed.n_rows, {outputs: result})
        return dumps(answer)

    def _warnings(self, columns: dict[str, list]) -> dict[str, Any]:
        """``{"warnings": [...]}`` for values the model never saw (first, so the router spots it), else ``{}``."""
        unseen = self.scorer.unseen
        counts = unseen.find(columns) if unseen is not None else None
        if counts is None:
            return {}
        self.metrics.unseen.update(counts)
        return {"warnings": unseen.warnings(columns, counts)}


def _query_of(query_string: bytes) -> tuple[dict | None, str | None]:
    """A request's query parameters (None without any) and the correlation id to collect it under."""
    query = dict(parse_qsl(query_string.decode("latin-1"))) if query_string else None
    collect_as = query.pop(REQUEST_ID_PARAM, None) if query else None
    return query or None, collect_as


def _refusal(exc: Exception) -> RequestError:
    """The 400 of an input the model refused (e.g. an unknown category where its encoder errors)."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return RequestError(400, f"the model refused the input: {message[:300]}")


async def _read_body(scope: dict, receive: Any, limit: int) -> bytes:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                declared = int(value)
            except ValueError:
                raise RequestError(400, "bad Content-Length") from None
            if declared > limit:
                raise RequestError(413, f"the body is {declared} bytes; the limit is {limit}")
            break
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise RequestError(400, "the client went away")
        chunk = message.get("body", b"")
        if chunk:
            size += len(chunk)
            if size > limit:
                raise RequestError(413, f"the body is over the limit of {limit} bytes")
            chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def _send(send: Any, status: int, body: bytes, headers: list) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _respond(send: Any, status: int, payload: dict, headers: list | None = None) -> int:
    await _send(send, status, dumps(payload), [*_JSON, *(headers or [])])
    return status


def create_app(settings: Settings, scorer: Any = None) -> ScoringApp:
    """The ASGI app for ``settings`` (pass a loaded ``scorer`` to skip background loading)."""
    return ScoringApp(settings, scorer)

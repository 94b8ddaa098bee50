"""Adaptive micro-batching: concurrent requests scored in one model call.

There is no fixed wait. When the scorer is idle a request is scored at once; while a batch is
being scored, requests that arrive queue up and are scored together as the next batch (up to
``max_batch_rows`` rows). Under light load latency is one call; under heavy load the batch grows
and the per-call overhead is shared. A batch whose call fails is re-scored request by request, so
one bad request never fails its neighbours.
"""

from __future__ import annotations

import asyncio
from collections import deque
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, Callable

from modelyard.serving._parse import ParsedRequest

ScoreFn = Callable[[dict, int, str, "list | None"], Any]


@dataclass
class _Item:
    request: ParsedRequest
    future: asyncio.Future


def _merge(requests: list[ParsedRequest]) -> tuple[dict, int, list | None]:
    if len(requests) == 1:
        r = requests[0]
        return r.columns, r.n_rows, r.records
    first = requests[0]
    if first.records is not None:
        records: list = []
        for r in requests:
            records.extend(r.records)
        return {}, len(records), records
    columns = {}
    for name in first.columns:
        merged: list = []
        for r in requests:
            merged.extend(r.columns[name])
        columns[name] = merged
    return columns, sum(r.n_rows for r in requests), None


def _slice(result: Any, start: int, stop: int) -> Any:
    if hasattr(result, "iloc"):
        return result.iloc[start:stop]
    return result[start:stop]


class MicroBatcher:
    """Queue requests and score them in batches with ``score(columns, n_rows, method, records)``.

    ``inline`` scores on the event loop (for a compiled path that takes microseconds); otherwise
    each batch runs on ``executor`` (one thread: the model is called by one thread at a time) and
    the loop keeps reading requests meanwhile.
    """

    def __init__(self, score: ScoreFn, *, executor: Executor, inline: bool = False,
                 max_batch_rows: int = 1024, on_batch: Callable[[int], None] | None = None) -> None:
        self._score = score
        self._executor = executor
        self._inline = inline
        self._max_rows = max_batch_rows
        self._on_batch = on_batch
        self._queue: deque[_Item] = deque()
        self._running = False

    def submit(self, request: ParsedRequest) -> asyncio.Future:
        """A future for the request's result (the slice of its batch's result)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._queue.append(_Item(request, future))
        if not self._running:
            self._running = True
            loop.create_task(self._drain())
        return future

    def _take(self) -> list[_Item]:
        batch: list[_Item] = []
        rows = 0
        method = None
        while self._queue:
            item = self._queue[0]
            if item.future.done():  # timed out or cancelled while queued
                self._queue.popleft()
                continue
            if method is not None and (item.request.method != method or rows + item.request.n_rows > self._max_rows):
                break
            method = item.request.method
            rows += item.request.n_rows
            batch.append(self._queue.popleft())
        return batch

    def _run(self, requests: list[ParsedRequest]) -> list[tuple[bool, Any]]:
        """Score a batch; per request (ok, result-or-exception)."""
        method = requests[0].method
        try:
            columns, n, records = _merge(requests)
            result = self._score(columns, n, method, records)
        except Exception as exc:  # noqa: BLE001
            if len(requests) == 1:
                return [(False, exc)]
            out = []
            for r in requests:  # isolate the request at fault
                try:
                    out.append((True, self._score(r.columns, r.n_rows, r.method, r.records)))
                except Exception as one:  # noqa: BLE001
                    out.append((False, one))
            return out
        out = []
        start = 0
        for r in requests:
            out.append((True, _slice(result, start, start + r.n_rows)))
            start += r.n_rows
        return out

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._queue:
                if self._inline:
                    await asyncio.sleep(0)  # let requests already read join this batch
                batch = self._take()
                if not batch:
                    continue
                requests = [i.request for i in batch]
                if self._on_batch:
                    self._on_batch(sum(r.n_rows for r in requests))
                if self._inline:
                    results = self._run(requests)
                else:
                    results = await loop.run_in_executor(self._executor, self._run, requests)
                for item, (ok, value) in zip(batch, results):
                    if item.future.done():
                        continue
                    if ok:
                        item.future.set_result(value)
                    else:
                        item.future.set_exception(value)
        finally:
            self._running = False
            if self._queue:  # raced with a submit after the loop ended
                self._running = True
                loop.create_task(self._drain())

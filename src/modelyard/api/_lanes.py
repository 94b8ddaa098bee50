"""Scoring requests to one scoring process, coalesced when they arrive together.

Requests that reach the server in the same turn of its event loop (on a busy core, the requests
that came in while the scoring process had the CPU) go to their scoring process in one
``POST /score-many`` (up to ``max_bytes`` of bodies); a request that comes alone goes as a plain
``POST /score``. Nothing waits for anything else: there is no timer and no limit on messages in
flight, so a slow request never holds up the next one. Under load the server and the scoring
process trade one message per turn instead of one per request, which is what the hop costs on a
busy core (a socket write, a wakeup and an HTTP parse per message).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from modelyard.api._upstream import ConnectionPool
from modelyard.serving._frames import CONTENT_TYPE, frame_requests, read_answers

JSON = b"application/json"


@dataclass
class _Lane:
    waiting: list[tuple[bytes, bytes, asyncio.Future]] = field(default_factory=list)
    flush_due: bool = False


class ScoringLanes:
    def __init__(self, pool: ConnectionPool, max_bytes: int = 4 * 1024 * 1024) -> None:
        self.pool = pool
        self.max_bytes = max_bytes
        self.lanes: dict[str, _Lane] = {}
        self.coalesced = 0  # requests that went in a /score-many
        self.batches = 0  # /score-many messages

    async def score(self, path: str, query: bytes, body: bytes) -> tuple[int, bytes, bytes]:
        """``(status, content type, answer)`` of ``POST /score?<query>`` on the process at ``path``."""
        lane = self.lanes.get(path)
        if lane is None:
            lane = self.lanes[path] = _Lane()
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        lane.waiting.append((query, body, answer))
        if not lane.flush_due:
            lane.flush_due = True
            loop.call_soon(self._flush, path, lane)  # after the other requests of this turn joined
        return await answer

    def _flush(self, path: str, lane: _Lane) -> None:
        lane.flush_due = False
        waiting, lane.waiting = lane.waiting, []
        while waiting:
            taken, size = 0, 0
            for _, body, _ in waiting:
                size += len(body)
                if taken and size > self.max_bytes:
                    break
                taken += 1
            batch, waiting = waiting[:taken], waiting[taken:]
            if taken > 1:
                self.batches += 1
                self.coalesced += taken
            asyncio.ensure_future(self._send(path, batch))

    async def _send(self, path: str, batch: list[tuple[bytes, bytes, asyncio.Future]]) -> None:
        try:
            if len(batch) == 1:
                query, body, _ = batch[0]
                answers = [await self.pool.request(path, b"POST", b"/score?" + query if query else b"/score", body)]
            else:
                answers = await self._send_many(path, batch)
            for (_, _, future), answer in zip(batch, answers):
                if not future.done():
                    future.set_result(answer)
        except Exception as error:  # noqa: BLE001 - every waiting request learns what went wrong
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(error)

    async def _send_many(self, path: str, batch: list[tuple[bytes, bytes, asyncio.Future]]) -> list[tuple]:
        status, content_type, content = await self.pool.request(
            path, b"POST", b"/score-many", frame_requests([(query, body) for query, body, _ in batch]))
        if status != 200 or content_type != CONTENT_TYPE:  # refused whole (e.g. loading): each gets that answer
            return [(status, content_type, content)] * len(batch)
        answers = [(status, JSON, content) for status, content in read_answers(content)]
        if len(answers) != len(batch):
            raise ValueError(f"{len(answers)} answers to {len(batch)} requests")
        return answers

from __future__ import annotations

import asyncio
import time

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from modelyard.api._deps import context
from modelyard.services._context import ServiceContext
from modelyard.services.events import EventService, written
from modelyard.spec.event import EVENT_TYPES, EventPage

router = APIRouter(prefix="/api/events", tags=["events"])
CHECK_SECONDS = 0.2  # how often a stream looks for a write in this process
POLL_SECONDS = 2.0  # ... and in the store, for events other processes wrote
KEEPALIVE_SECONDS = 15.0


def service(ctx: ServiceContext = Depends(context)) -> EventService:
    return EventService(ctx)


def _types(type: list[str] | None) -> list[str] | None:
    """``?type=a&type=b`` or ``?type=a,b``."""
    return [t for value in type or [] for t in value.split(",") if t.strip()] or None


@router.get("", operation_id="listEvents", response_model=EventPage)
def list_(since: str | None = Query(None, description="a sequence number (next_since) or an ISO time"),
          type: list[str] | None = Query(None, description="short (job.completed) or full types"),
          limit: int = Query(100, ge=1, le=1000), events: EventService = Depends(service)) -> EventPage:
    return events.list(since, _types(type), limit)


@router.get("/types", operation_id="listEventTypes", response_model=dict[str, str])
def types() -> dict[str, str]:
    """Each event type a webhook can subscribe to (its short name) and what emits it."""
    return EVENT_TYPES


@router.get("/stream", operation_id="streamEvents")
async def stream(request: Request, since: str | None = Query(None, description="default: only new events"),
                 type: list[str] | None = Query(None), events: EventService = Depends(service)) -> StreamingResponse:
    """Server-sent events: one ``event: <type>`` / ``id: <sequence>`` / ``data: <CloudEvent JSON>`` each.
    A reconnecting client's ``Last-Event-ID`` resumes after the last event it saw."""
    types = _types(type)
    cursor = request.headers.get("last-event-id") or since
    if cursor in (None, ""):
        cursor = str(await run_in_threadpool(events.last_sequence))
    first = await run_in_threadpool(events.list, cursor, types, 1)  # a bad since or type fails before streaming

    async def frames():
        nonlocal cursor
        seen, looked, quiet = -1, 0.0, time.monotonic()
        page = first
        while not await request.is_disconnected():
            if page is None and (written.count != seen or time.monotonic() - looked > POLL_SECONDS):
                seen, looked = written.count, time.monotonic()
                page = await run_in_threadpool(events.list, cursor, types, 500)
            if page is not None and page.events:
                for event in page.events:
                    yield f"id: {event.sequence}\nevent: {event.type}\ndata: {event.model_dump_json()}\n\n"
                cursor, quiet = str(page.next_since), time.monotonic()
                page = None
                continue
            if page is not None:
                cursor = str(page.next_since)
            page = None
            if time.monotonic() - quiet > KEEPALIVE_SECONDS:
                yield ": keep-alive\n\n"
                quiet = time.monotonic()
            await asyncio.sleep(CHECK_SECONDS)

    return StreamingResponse(frames(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

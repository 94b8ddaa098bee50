"""The event outbox: services emit CloudEvents in the transaction of the change they report.

``emit`` takes the session that writes the change, or a row that one will write (a job row built
before its session exists): the event is added when that row is flushed, so the change and its
event are committed together or not at all, and a server killed at any time loses neither.
Readers in this process (the webhook dispatcher, event streams) wait on ``written`` instead of
polling the store; events other processes write (job workers) are seen at their next poll.
"""

from __future__ import annotations

import threading
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import delete, event as orm_event, exists, func, select
from sqlalchemy.orm import Session

from modelyard.errors import InvalidInput
from modelyard.services._context import ServiceContext
from modelyard.services.compute import as_utc
from modelyard.spec.event import PREFIX, CloudEvent, EventPage, full_type
from modelyard.store import DeliveryRow, EventRow, WebhookRow

PENDING = "_modelyard_events"  # events waiting on a row for its flush
PAGE_LIMIT = 1000
PRUNE_BATCH = 1000  # rows deleted per transaction: writers never wait long on the pruner


class Signal:
    """A counter bumped on every commit that wrote events; waiters sleep until it moves."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self.count = 0

    def notify(self) -> None:
        with self._condition:
            self.count += 1
            self._condition.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """The count once it differs from ``seen`` or after ``timeout`` seconds."""
        with self._condition:
            self._condition.wait_for(lambda: self.count != seen, timeout)
            return self.count


written = Signal()


def emit(where: Session | Any, type: str, subject: str, data: dict[str, Any] | None = None) -> EventRow:
    """Record event ``type`` (a short name, ``job.completed``) about ``subject`` with ``data``, in the
    transaction of ``where`` (a session, or a row whose next flush carries the event)."""
    record = EventRow(id=str(uuid.uuid4()), source=f"/modelyard/{type.split('.')[0]}", type=PREFIX + type,
                      subject=subject, data=data or {})
    if isinstance(where, Session):
        where.add(record)
        wake_after_commit(where)
    else:
        where.__dict__.setdefault(PENDING, []).append(record)
    return record


def wake_after_commit(session: Session) -> None:
    """Wake the event readers of this process once ``session`` commits."""
    session.info["events"] = True


@orm_event.listens_for(Session, "before_flush")
def _add_pending(session: Session, _context, _instances) -> None:
    for row in [*session.new, *session.dirty]:
        pending = row.__dict__.pop(PENDING, None)
        if pending:
            session.add_all(pending)
            wake_after_commit(session)


@orm_event.listens_for(Session, "after_commit")
def _wake(session: Session) -> None:
    if session.info.pop("events", False):
        written.notify()


@orm_event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("events", None)


def record(row: EventRow) -> CloudEvent:
    return CloudEvent(id=row.id, source=row.source, type=row.type, subject=row.subject, time=as_utc(row.time),
                      sequence=row.seq, data=row.data or {})


class EventService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def list(self, since: str | int | None = None, types: list[str] | None = None,
             limit: int = 100) -> EventPage:
        """Events after ``since`` (a sequence number, or an ISO time), oldest first, at most ``limit``."""
        if not 1 <= limit <= PAGE_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {PAGE_LIMIT}, got {limit}")
        query = select(EventRow).order_by(EventRow.seq).limit(limit)
        after, when = _since(since) if since not in (None, "") else (0, None)
        query = query.where(EventRow.seq > after) if when is None else query.where(EventRow.time > when)
        if types:
            query = query.where(EventRow.type.in_([full_type(t) for t in types]))
        with self.context.session() as session:
            rows = list(session.scalars(query))
        if rows:
            next_since = rows[-1].seq
        else:  # nothing newer: a time moves the cursor to the newest event, a sequence number stays
            next_since = after if when is None else self.last_sequence()
        return EventPage(events=[record(r) for r in rows], next_since=next_since)

    def prune(self, before: datetime) -> tuple[int, int]:
        """Delete the webhook deliveries that finished before ``before``, then the events written before it
        that no delivery left refers to and every webhook has fanned out; (events, deliveries) deleted."""
        finished = select(DeliveryRow.id).where(DeliveryRow.finished_at < before)
        deliveries = self._delete_in_batches(DeliveryRow.id, finished)
        fanned_out = select(func.coalesce(func.min(WebhookRow.cursor), EventRow.seq)).scalar_subquery()
        unreferenced = ~exists().where(DeliveryRow.event_seq == EventRow.seq)
        old = select(EventRow.seq).where(EventRow.time < before, EventRow.seq <= fanned_out, unreferenced)
        return self._delete_in_batches(EventRow.seq, old), deliveries

    def _delete_in_batches(self, key, query) -> int:
        deleted = 0
        while True:
            with self.context.session() as session:  # one statement: what it reads is what it deletes
                count = session.execute(delete(key.class_).where(key.in_(query.limit(PRUNE_BATCH)))).rowcount
            deleted += count
            if count < PRUNE_BATCH:
                return deleted

    def last_sequence(self) -> int:
        with self.context.session() as session:
            return session.scalar(select(EventRow.seq).order_by(EventRow.seq.desc()).limit(1)) or 0


def _since(since: str | int) -> tuple[int, datetime | None]:
    text = str(since).strip()
    if text.isdigit():
        return int(text), None
    try:
        return 0, datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"since: {since!r} is neither an event sequence number (as in next_since) nor an ISO "
                           "time such as 2026-12-03T10:00:00Z") from None

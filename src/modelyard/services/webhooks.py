"""Webhooks: where events are POSTed, and the record of each delivery.

A webhook receives the events emitted after it was created whose type it names. ``fan_out``
turns new outbox events into Pending deliveries (each webhook keeps its place in the outbox, so
events written while no server ran are delivered once one starts); the server's dispatcher
(``runtime/_webhooks.py``) ``claim``s due deliveries and ``finish_attempts`` records the tries,
scheduling the next one with exponential backoff until ``max_attempts``.
"""

from __future__ import annotations

import secrets as random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select, update

from modelyard.errors import Conflict, InvalidInput
from modelyard.services import _secrets
from modelyard.services._context import ServiceContext
from modelyard.services._destinations import WEBHOOKS, check_destination
from modelyard.services._rows import one_or_not_found
from modelyard.services._versions import lock_name
from modelyard.services.compute import as_utc
from modelyard.services.events import emit, record, wake_after_commit
from modelyard.spec.event import PING, full_type, short_type
from modelyard.spec.webhook import Webhook, WebhookCreate, WebhookDelivery
from modelyard.store import DeliveryRow, EventRow, WebhookRow, unsynced_session, utcnow

PENDING, SUCCEEDED, FAILED = "Pending", "Succeeded", "Failed"
FAN_OUT_BATCH = 1000


@dataclass(frozen=True)
class Attempt:
    """One claimed try of a delivery: what to send where."""

    delivery_id: int
    webhook_id: int
    webhook: str
    url: str
    secret: str
    event_type: str
    body: bytes


class WebhookService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.settings = context.location.config.webhooks
        self._secrets: dict[str, str] = {}  # encrypted -> plain, for the dispatcher's many attempts

    # -- create / read / delete -------------------------------------------------------------
    def create(self, spec: WebhookCreate) -> Webhook:
        types = [full_type(t) for t in dict.fromkeys(spec.events)]
        check_destination(spec.url, self.settings.allowed_networks, WEBHOOKS)
        name = spec.name or f"webhook-{random.token_hex(4)}"
        secret = spec.secret or f"whsec_{random.token_urlsafe(32)}"
        with self.context.session() as session:
            if session.scalar(select(WebhookRow.id).where(WebhookRow.name == name)) is not None:
                raise Conflict(f"webhook '{name}' exists already; delete it first or pick another name")
            cursor = session.scalar(select(func.max(EventRow.seq))) or 0
            row = WebhookRow(name=name, url=spec.url, events=types, description=spec.description, cursor=cursor,
                             secret=_secrets.encrypt(self.context.location.folder, secret))
            session.add(row)
            wake_after_commit(session)  # the dispatcher opens the new webhook's lane before its first event
        return self._record(row).model_copy(update={"secret": secret})

    def get(self, name: str) -> Webhook:
        with self.context.session() as session:
            return self._record(self._row(session, name))

    def list(self) -> list[Webhook]:
        with self.context.session() as session:
            return [self._record(row) for row in session.scalars(select(WebhookRow).order_by(WebhookRow.name))]

    def delete(self, name: str) -> None:
        """The webhook and its deliveries; one in flight finishes unrecorded."""
        with self.context.session() as session:
            row = self._row(session, name)
            session.execute(delete(DeliveryRow).where(DeliveryRow.webhook_id == row.id))
            session.delete(row)

    def deliveries(self, name: str, status: str | None = None, limit: int = 100) -> list[WebhookDelivery]:
        """The newest first."""
        if status is not None and status not in (PENDING, SUCCEEDED, FAILED):
            raise InvalidInput(f"status must be {PENDING}, {SUCCEEDED} or {FAILED}, got {status!r}")
        with self.context.session() as session:
            webhook = self._row(session, name)
            query = select(DeliveryRow, EventRow).join(EventRow, EventRow.seq == DeliveryRow.event_seq) \
                .where(DeliveryRow.webhook_id == webhook.id).order_by(DeliveryRow.id.desc()).limit(limit)
            if status:
                query = query.where(DeliveryRow.status == status)
            return [self._delivery(webhook, delivery, event) for delivery, event in session.execute(query)]

    # -- test / redeliver ---------------------------------------------------------------------
    def test(self, name: str) -> WebhookDelivery:
        """Send a ``modelyard.webhook.ping`` event to this webhook only."""
        with self.context.session() as session:
            webhook = self._row(session, name)
            event = emit(session, PING, name, {"webhook": name, "url": webhook.url})
            session.flush()
            return self._delivery(webhook, self._add_delivery(session, webhook, event.seq), event)

    def redeliver(self, name: str, delivery_id: int) -> WebhookDelivery:
        """Send a delivery's event again, as a new delivery (the old one's record stays)."""
        with self.context.session() as session:
            webhook = self._row(session, name)
            old = one_or_not_found(session, select(DeliveryRow).where(DeliveryRow.id == delivery_id,
                                                                      DeliveryRow.webhook_id == webhook.id),
                                   f"webhook '{name}' has no delivery {delivery_id}; "
                                   f"'modelyard webhook deliveries {name}' lists them")
            row = self._add_delivery(session, webhook, old.event_seq, redelivery_of=old.id)
            return self._delivery(webhook, row, session.get(EventRow, old.event_seq))

    # -- used by the dispatcher ---------------------------------------------------------------
    def advance(self, ended: list[tuple[Attempt, int | None, str | None, float, bool]],
                places: dict[int, int]) -> list[Attempt]:
        """One round of the dispatcher in one transaction, opened only when there is something to write:
        record the ``ended`` attempts (``finish_attempts``), fan new events out (``fan_out``) and claim due
        deliveries (``claim``). Committed without waiting for the disk: a killed server loses none of it,
        and a power cut only what a later round or lease redoes (at-least-once either way)."""
        with self.context.session() as session:  # reads first: no write lock while nothing is new or due
            new = self._has_new_events(session)
            due = self._due(session, places, utcnow())
        if not (ended or new or due):
            return []
        with unsynced_session(self.context.engine) as session:
            lock_name(session, "webhooks", "deliveries")
            self._finish(session, ended)
            if new:
                self._fan_out(session)
            now = utcnow()
            return self._lease(session, self._due(session, places, now), now)

    def fan_out(self) -> int:
        """Pending deliveries for the events each webhook has not seen yet; how many."""
        with self.context.session() as session:
            if not self._has_new_events(session):
                return 0
        with self.context.session() as session:
            lock_name(session, "webhooks", "deliveries")
            return self._fan_out(session)

    def targets(self) -> dict[int, str]:
        with self.context.session() as session:
            return dict(session.execute(select(WebhookRow.id, WebhookRow.name)).all())

    def claim(self, places: dict[int, int]) -> list[Attempt]:
        """Due deliveries, up to ``places[webhook id]`` of each webhook, leased for one attempt each: a
        server that dies mid-attempt leaves them to be tried again when the lease runs out."""
        now = utcnow()
        with self.context.session() as session:
            due = self._due(session, places, now)
        if not due:
            return []
        with self.context.session() as session:
            lock_name(session, "webhooks", "deliveries")
            return self._lease(session, due, now)

    def finish_attempts(self, ended: list[tuple[Attempt, int | None, str | None, float, bool]]) -> None:
        """Record tries, each (attempt, response code, error, milliseconds, final): Succeeded (no error),
        Failed (``final``, or the last attempt) or Pending again after a backoff that doubles each time."""
        with self.context.session() as session:
            lock_name(session, "webhooks", "deliveries")
            self._finish(session, ended)

    @staticmethod
    def _has_new_events(session) -> bool:
        newest = session.scalar(select(func.max(EventRow.seq))) or 0
        seen = session.scalar(select(func.min(WebhookRow.cursor)))
        return seen is not None and newest > seen  # False with no webhook

    def _fan_out(self, session) -> int:
        """One read of the events after the webhook furthest behind, one insert of every delivery."""
        webhooks = list(session.scalars(select(WebhookRow).order_by(WebhookRow.id)))
        if not webhooks:
            return 0
        events = session.execute(select(EventRow.seq, EventRow.type)
                                 .where(EventRow.seq > min(w.cursor for w in webhooks))
                                 .order_by(EventRow.seq).limit(FAN_OUT_BATCH)).all()
        if not events:
            return 0
        made = []
        for webhook in webhooks:
            wanted = set(webhook.events)
            made += [self._new_delivery(webhook, seq) for seq, type_ in events if seq > webhook.cursor and type_ in wanted]
            webhook.cursor = max(webhook.cursor, events[-1][0])
        session.add_all(made)
        if made:
            wake_after_commit(session)
        return len(made)

    @staticmethod
    def _due(session, places: dict[int, int], now) -> list[int]:
        """Ids of the due deliveries, the oldest first, up to ``places[webhook id]`` of each webhook."""
        if not places:
            return []
        rank = func.row_number().over(partition_by=DeliveryRow.webhook_id, order_by=DeliveryRow.id).label("rank")
        ranked = select(DeliveryRow.id, DeliveryRow.webhook_id, rank).where(
            DeliveryRow.webhook_id.in_(places), DeliveryRow.status == PENDING,
            DeliveryRow.next_attempt_at <= now).subquery()
        return [delivery_id for delivery_id, webhook_id, place in session.execute(select(ranked))
                if place <= places[webhook_id]]

    def _lease(self, session, due: list[int], now) -> list[Attempt]:
        if not due:
            return []
        lease = now + timedelta(seconds=self.settings.timeout_seconds + 5)
        session.execute(update(DeliveryRow).where(DeliveryRow.id.in_(due), DeliveryRow.status == PENDING,
                                                  DeliveryRow.next_attempt_at <= now)
                        .values(next_attempt_at=lease, attempts=DeliveryRow.attempts + 1))
        rows = session.execute(select(DeliveryRow.id, WebhookRow, EventRow)
                               .join(EventRow, EventRow.seq == DeliveryRow.event_seq)
                               .join(WebhookRow, WebhookRow.id == DeliveryRow.webhook_id)
                               .where(DeliveryRow.id.in_(due), DeliveryRow.next_attempt_at == lease)
                               .order_by(DeliveryRow.id)).all()
        secrets = {webhook.id: self._secret(webhook) for _, webhook, _ in rows}
        return [Attempt(delivery_id, webhook.id, webhook.name, webhook.url, secrets[webhook.id], event.type,
                        record(event).model_dump_json().encode()) for delivery_id, webhook, event in rows]

    def _finish(self, session, ended: list[tuple[Attempt, int | None, str | None, float, bool]]) -> None:
        if not ended:
            return
        now = utcnow()
        rows = {row.id: row for row in session.scalars(
            select(DeliveryRow).where(DeliveryRow.id.in_([attempt.delivery_id for attempt, *_ in ended])))}
        for attempt, response_code, error, duration_ms, final in ended:
            row = rows.get(attempt.delivery_id)
            if row is None:  # its webhook was deleted meanwhile
                continue
            row.response_code, row.error, row.duration_ms = response_code, error, duration_ms
            if error is None or final or row.attempts >= self.settings.max_attempts:
                row.status, row.finished_at, row.next_attempt_at = (SUCCEEDED if error is None else FAILED), now, None
            else:
                wait = self.settings.backoff_seconds * 2 ** (row.attempts - 1)
                row.next_attempt_at = now + timedelta(seconds=wait)

    def next_due(self) -> float | None:
        """Seconds until the next Pending delivery is due (0 if one is), None when none is Pending."""
        with self.context.session() as session:
            first = session.scalar(select(func.min(DeliveryRow.next_attempt_at)).where(DeliveryRow.status == PENDING))
        return None if first is None else max(0.0, (as_utc(first) - utcnow()).total_seconds())

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _new_delivery(webhook: WebhookRow, seq: int, redelivery_of: int | None = None) -> DeliveryRow:
        return DeliveryRow(webhook_id=webhook.id, event_seq=seq, status=PENDING, attempts=0, next_attempt_at=utcnow(),
                           redelivery_of=redelivery_of, created_at=utcnow())

    def _add_delivery(self, session, webhook: WebhookRow, seq: int, redelivery_of: int | None = None) -> DeliveryRow:
        row = self._new_delivery(webhook, seq, redelivery_of)
        session.add(row)
        session.flush()
        wake_after_commit(session)
        return row

    def _secret(self, row: WebhookRow) -> str:
        if row.secret not in self._secrets:  # decrypting reads the workspace secret's file
            self._secrets[row.secret] = _secrets.decrypt(
                self.context.location.folder, row.secret, f"webhook '{row.name}''s secret",
                "delete the webhook and create it again with a new secret")
        return self._secrets[row.secret]

    @staticmethod
    def _row(session, name: str) -> WebhookRow:
        return one_or_not_found(session, select(WebhookRow).where(WebhookRow.name == name),
                                f"webhook '{name}' not found; 'modelyard webhook list' shows them")

    @staticmethod
    def _record(row: WebhookRow) -> Webhook:
        return Webhook(name=row.name, url=row.url, events=[short_type(t) for t in row.events],
                       description=row.description, created_at=as_utc(row.created_at))

    @staticmethod
    def _delivery(webhook: WebhookRow, row: DeliveryRow, event: EventRow) -> WebhookDelivery:
        when = (lambda moment: as_utc(moment) if moment else None)
        return WebhookDelivery(id=row.id, webhook=webhook.name, event_id=event.id, event_type=event.type,
                               status=row.status, attempts=row.attempts, response_code=row.response_code,
                               error=row.error, duration_ms=row.duration_ms, redelivery_of=row.redelivery_of,
                               created_at=when(row.created_at), next_attempt_at=when(row.next_attempt_at),
                               finished_at=when(row.finished_at))

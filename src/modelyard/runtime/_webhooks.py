"""The server's webhook dispatcher: fans outbox events out to webhooks and POSTs each delivery.

One thread finds the work and records the outcomes (in one transaction per round, committed without
an fsync: writers that wait on each other's locks and on the disk are what makes SQLite slow); each
webhook has its own lane (a few threads and a connection pool) that only sends, so a webhook that is
slow or failing holds up only its own deliveries. The thread sleeps until an event, a delivery or a
webhook is written in this process, an attempt ends, a retry falls due, or ``POLL_SECONDS`` pass (for
events written by other processes, such as job workers).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from modelyard.errors import InvalidInput
from modelyard.services import ServiceContext
from modelyard.services._destinations import WEBHOOKS, check_destination
from modelyard.services.events import written
from modelyard.services.webhooks import Attempt, WebhookService
from modelyard.spec import webhook as signing

log = logging.getLogger("modelyard.webhooks")
POLL_SECONDS = 1.0
LANE_THREADS = 4  # attempts in flight per webhook


class Lane:
    """One webhook's attempts, at most ``LANE_THREADS`` at a time."""

    def __init__(self, service: WebhookService, name: str, outcomes: deque) -> None:
        import httpx

        self.settings = service.settings
        self.outcomes = outcomes
        self.http = httpx.Client(timeout=self.settings.timeout_seconds, follow_redirects=False, verify=tls_context())
        self.pool = ThreadPoolExecutor(LANE_THREADS, thread_name_prefix=f"modelyard-webhook-{name}")
        self.in_flight = 0
        self._lock = threading.Lock()

    @property
    def free(self) -> int:
        return LANE_THREADS - self.in_flight

    def submit(self, attempt: Attempt) -> None:
        with self._lock:
            self.in_flight += 1
        self.pool.submit(self._run, attempt)

    def _run(self, attempt: Attempt) -> None:
        outcome = (attempt, None, "not sent", 0.0, False)
        try:
            outcome = (attempt, *self._send(attempt))
            self.outcomes.append(outcome)
        finally:
            with self._lock:
                was_full = self.free == 0
                self.in_flight -= 1
        # Waking the dispatcher for every success costs more than it brings: the next round (the next
        # event, or POLL_SECONDS) records it. A failure is scheduled for a retry, a freed place may let
        # a waiting delivery go: those wake it now.
        if was_full or outcome[2] is not None:
            written.notify()

    def _send(self, attempt: Attempt) -> tuple[int | None, str | None, float, bool]:
        """(response code, error or None, milliseconds, whether the failure is final)."""
        import httpx

        started = time.perf_counter()
        try:
            # its name may resolve elsewhere now
            check_destination(attempt.url, self.settings.allowed_networks, WEBHOOKS)
            now = int(time.time())
            response = self.http.post(attempt.url, content=attempt.body, headers={
                "Content-Type": signing.CONTENT_TYPE,
                signing.TIMESTAMP_HEADER: str(now),
                signing.SIGNATURE_HEADER: signing.signature(attempt.secret, now, attempt.body),
                signing.WEBHOOK_HEADER: attempt.webhook,
                signing.DELIVERY_HEADER: str(attempt.delivery_id),
                signing.EVENT_HEADER: attempt.event_type,
            })
        except InvalidInput as error:
            return None, error.message, _since(started), True
        except httpx.TimeoutException:
            return None, f"timed out after {self.settings.timeout_seconds:g}s", _since(started), False
        except httpx.HTTPError as error:
            return None, f"{type(error).__name__}: {error}", _since(started), False
        if 200 <= response.status_code < 300:
            return response.status_code, None, _since(started), False
        return response.status_code, f"HTTP {response.status_code}: {response.text[:200]}", _since(started), False

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.http.close()


@functools.cache
def tls_context():
    """One context for every lane: building one (reading the CA bundle) takes 0.1 to 0.3 s on a busy machine,
    which each new lane made every delivery wait for."""
    import ssl

    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)


class WebhookDispatcher:
    def __init__(self, context: ServiceContext) -> None:
        self.service = WebhookService(context)
        self.lanes: dict[int, Lane] = {}
        self.outcomes: deque = deque()  # (attempt, response code, error, ms, final) from the lanes
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="modelyard-webhooks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        written.notify()
        if self._thread.ident is not None:
            self._thread.join(timeout=10)
        for lane in self.lanes.values():
            lane.close()

    def _loop(self) -> None:
        seen = written.count
        while not self._stop.is_set():
            try:
                wait = self.step()
            except Exception:  # e.g. a locked database: try again shortly
                log.exception("webhook dispatch failed")
                wait = POLL_SECONDS
            seen = written.wait(seen, wait)

    def step(self) -> float:
        """Record the attempts that ended, fan new events out and start every due attempt that has a free
        place; seconds to sleep."""
        targets = self.service.targets()
        for gone in set(self.lanes) - set(targets):
            self.lanes.pop(gone).close()
        for webhook_id, name in targets.items():
            if webhook_id not in self.lanes:
                self.lanes[webhook_id] = Lane(self.service, name, self.outcomes)
        places = {webhook_id: lane.free for webhook_id, lane in self.lanes.items() if lane.free > 0}
        ended = [self.outcomes.popleft() for _ in range(len(self.outcomes))]
        # if this fails the ended attempts' leases run out and their deliveries are tried again
        for attempt in self.service.advance(ended, places):
            self.lanes[attempt.webhook_id].submit(attempt)
        due = self.service.next_due()
        # one due now waits for a place in its full lane, whose next finished attempt wakes this thread
        return POLL_SECONDS if due is None or due < 0.005 else min(POLL_SECONDS, due)

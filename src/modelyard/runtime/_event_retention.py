"""The server's event retention: deletes old events and finished webhook deliveries when it starts and
then every ``PRUNE_EVERY_SECONDS`` (``events.retention_days`` in workspace.yaml; audit records are kept)."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone

from modelyard.services import ServiceContext
from modelyard.services.events import EventService

log = logging.getLogger("modelyard.events")
PRUNE_EVERY_SECONDS = 3600.0


class EventPruner:
    def __init__(self, context: ServiceContext) -> None:
        self.service = EventService(context)
        self.retention = timedelta(days=context.location.config.events.retention_days)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="modelyard-event-retention", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.ident is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                events, deliveries = self.service.prune(datetime.now(timezone.utc) - self.retention)
                if events or deliveries:
                    log.info("deleted %d events and %d webhook deliveries older than %s", events, deliveries,
                             self.retention)
            except Exception:  # e.g. a locked database: the next round tries again
                log.exception("pruning old events failed")
            self._stop.wait(PRUNE_EVERY_SECONDS)

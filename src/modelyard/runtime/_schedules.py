"""The server's schedule runner: one thread that sleeps until the soonest tick of any schedule.

It wakes at that tick, when a schedule is made or changed in this process, or after ``MAX_SLEEP_SECONDS``
(to see schedules that other server processes sharing the store made); it never polls each schedule.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Callable

from modelyard.services import ServiceContext
from modelyard.services.schedules import ScheduleService

log = logging.getLogger("modelyard.schedules")
MAX_SLEEP_SECONDS = 60.0
RETRY_SECONDS = 5.0  # after a failed step (e.g. a locked database)


class ScheduleRunner:
    def __init__(self, context: ServiceContext, now: Callable[[], datetime] | None = None) -> None:
        self.context = context
        self.service = ScheduleService(context, now)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="modelyard-schedules", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.context.schedules_changed.set()
        if self._thread.ident is not None:
            self._thread.join(timeout=10)

    def _loop(self) -> None:
        wake = self.context.schedules_changed
        while not self._stop.is_set():
            wake.clear()  # before the step: a change during it wakes the next one
            try:
                soonest = self.service.fire_due()
                delay = MAX_SLEEP_SECONDS if soonest is None else \
                    (soonest - self.service.now()).total_seconds()
            except Exception:
                log.exception("schedule step failed")
                delay = RETRY_SECONDS
            wake.wait(min(MAX_SLEEP_SECONDS, max(0.0, delay)))

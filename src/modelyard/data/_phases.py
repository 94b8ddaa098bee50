"""Per-phase wall times of the engine's work, recorded only when a caller asks (the benchmark)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_recorded: ContextVar[dict[str, float] | None] = ContextVar("modelyard_data_phases", default=None)


@contextmanager
def recording() -> Iterator[dict[str, float]]:
    """Seconds spent in each ``phase`` inside the block, summed by name, in first-seen order."""
    times: dict[str, float] = {}
    token = _recorded.set(times)
    try:
        yield times
    finally:
        _recorded.reset(token)


@contextmanager
def phase(name: str) -> Iterator[None]:
    times = _recorded.get()
    if times is None:
        yield
        return
    started = time.perf_counter()
    try:
        yield
    finally:
        times[name] = times.get(name, 0.0) + time.perf_counter() - started

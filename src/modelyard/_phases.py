"""Per-phase wall and CPU times of an engine's work, recorded only when a caller asks (a benchmark, a job).

CPU is the process's (every thread: DuckDB's, LightGBM's): on a shared machine wall time also counts
waiting for a core, so CPU seconds say where the work goes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_recorded: ContextVar[dict[str, dict[str, float]] | None] = ContextVar("modelyard_phases", default=None)


@contextmanager
def recording() -> Iterator[dict[str, dict[str, float]]]:
    """Seconds spent in each ``phase`` inside the block, ``{"wall": s, "cpu": s}``, summed by name, in
    first-seen order."""
    times: dict[str, dict[str, float]] = {}
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
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        spent = times.setdefault(name, {"wall": 0.0, "cpu": 0.0})
        spent["wall"] += time.perf_counter() - started
        spent["cpu"] += time.process_time() - cpu_started

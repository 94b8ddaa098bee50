"""The trial executor interface: slots that run one trial (or refit) each and can be stopped mid-trial.

Two executors implement it: ``WorkerPool`` (local worker processes, ``executor="processes"``) and
``RayPool`` (Ray tasks across a cluster, ``executor="ray"``). The search and the final refits use
only this interface, so there is one scheduling code path whatever runs the trials:

- ``share(arrays, setup)`` makes the run's arrays reachable by every trial; returns the setup to send;
- ``idle()`` / ``busy()`` list the slots; ``submit(slot, key, kind, task, deadline)`` starts work in one;
- ``wait(timeout)`` returns ``(key, result, seconds)`` for the work that ended within ``timeout``
  (waiting for the first to end, then taking every other already done);
- ``overdue(now)`` lists busy slots past their deadline; ``stop(slot)`` cancels what a slot runs;
- ``close()`` stops everything and frees the shared data.

A result is the dict ``_work.execute`` returns, plus ``placement`` (where it ran) when the executor
knows more than its own name.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from typing import Any

EXECUTORS = ("processes", "ray")


@dataclass
class Slot:
    key: Any = None          # what it runs (None when idle)
    started: float = 0.0
    deadline: float = math.inf


class TrialExecutor:
    name = ""
    size = 1                 # trials in flight at most
    threads = 1              # threads each trial may use
    slots: list

    def share(self, arrays: dict[str, Any], setup: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def idle(self) -> list:
        return [s for s in self.slots if s.key is None]

    def busy(self) -> list:
        return [s for s in self.slots if s.key is not None]

    def overdue(self, now: float) -> list:
        return [s for s in self.busy() if now > s.deadline]

    def submit(self, slot, key: Any, kind: str, task: dict[str, Any], deadline: float) -> None:
        slot.key, slot.started, slot.deadline = key, time.monotonic(), deadline
        self._send(slot, kind, task)

    def _send(self, slot, kind: str, task: dict[str, Any]) -> None:
        raise NotImplementedError

    def wait(self, timeout: float) -> list[tuple[Any, dict[str, Any], float]]:
        raise NotImplementedError

    def _ended(self, slot, result: dict[str, Any]) -> tuple[Any, dict[str, Any], float]:
        key, seconds = slot.key, time.monotonic() - slot.started
        slot.key = None
        return key, result, seconds

    def stop(self, slot) -> tuple[Any, float]:
        """End what ``slot`` runs at once; returns its key and run time."""
        key, seconds = slot.key, time.monotonic() - slot.started
        self._cancel(slot)
        slot.key = None
        return key, seconds

    def _cancel(self, slot) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def local_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def start_executor(executor: str, max_concurrent: int) -> TrialExecutor:
    """An executor of the named kind running up to ``max_concurrent`` trials at once (fewer when CPUs are fewer)."""
    if executor == "processes":
        from modelyard.automl._pool import WorkerPool

        size = max(1, min(max_concurrent, local_cpus()))
        return WorkerPool(size, max(1, local_cpus() // size))
    if executor == "ray":
        from modelyard.automl._ray_pool import RayPool

        return RayPool(max_concurrent)
    raise ValueError(f"unknown executor {executor!r}")

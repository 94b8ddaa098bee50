"""Trials as Ray tasks across a cluster (``executor="ray"``).

The run's arrays are put in Ray's object store once (``ray.put``) and every task reads them from
there (zero-copy on each node). Tasks are spread over the nodes, one trial per slot, each asking
for as many CPUs as it may use threads; a trial past its deadline is cancelled with
``ray.cancel(force=True)``, which ends the worker running it. The driver connects to the cluster
named by ``RAY_ADDRESS`` (set inside a Ray job) or, when none is, starts Ray on this machine; it
disconnects on ``close`` only when it connected itself.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from modelyard.automl._executor import Slot, TrialExecutor
from modelyard.spec.job_status import TrialStatus


def run_on_node(arrays: dict[str, Any], kind: str, task: dict[str, Any]) -> dict[str, Any]:
    """The body of one Ray task: the trial or refit, and the node it ran on."""
    import ray
    from threadpoolctl import threadpool_limits

    from modelyard.automl._work import execute

    with threadpool_limits(limits=task["setup"]["threads"]):
        result = execute(kind, task, lambda: arrays)
    result["placement"] = {"ray_node_id": ray.get_runtime_context().get_node_id(),
                           "ray_node_ip": ray.util.get_node_ip_address()}
    return result


@dataclass
class RaySlot(Slot):
    ref: Any = None


class RayPool(TrialExecutor):
    name = "ray"

    def __init__(self, max_concurrent: int):
        import ray

        self.owns_connection = not ray.is_initialized()
        if self.owns_connection:
            ray.init(logging_level="WARNING", log_to_driver=False)
        node_cpus = [int(node["Resources"].get("CPU", 0)) for node in ray.nodes() if node.get("Alive")]
        node_cpus = [c for c in node_cpus if c >= 1] or [1]
        self.size = max(1, min(max_concurrent, sum(node_cpus)))
        self.threads = max(1, min(min(node_cpus), sum(node_cpus) // self.size))
        self.task = ray.remote(run_on_node).options(num_cpus=self.threads, max_retries=0,
                                                   scheduling_strategy="SPREAD")
        self.data = None
        self.slots = [RaySlot() for _ in range(self.size)]

    def share(self, arrays: dict[str, Any], setup: dict[str, Any]) -> dict[str, Any]:
        import ray

        self.data = ray.put(arrays)
        return {**setup, "data_id": f"ray-{uuid.uuid4().hex}"}

    def _send(self, slot: RaySlot, kind: str, task: dict[str, Any]) -> None:
        slot.ref = self.task.remote(self.data, kind, task)

    def wait(self, timeout: float) -> list[tuple[Any, dict[str, Any], float]]:
        import ray

        busy = self.busy()
        if not busy:
            time.sleep(max(timeout, 0))
            return []
        refs = [s.ref for s in busy]
        first, _ = ray.wait(refs, num_returns=1, timeout=max(timeout, 0))
        if not first:
            return []
        ready, _ = ray.wait(refs, num_returns=len(refs), timeout=0)
        out = []
        for slot in busy:
            if slot.ref not in ready:
                continue
            try:
                result = ray.get(slot.ref)
            except ray.exceptions.RayError as error:  # the worker or its node died
                result = {"status": TrialStatus.FAILED, "error": f"the Ray task failed: {str(error).splitlines()[0]}"}
            slot.ref = None
            out.append(self._ended(slot, result))
        return out

    def _cancel(self, slot: RaySlot) -> None:
        import ray

        ray.cancel(slot.ref, force=True)
        slot.ref = None

    def close(self) -> None:
        import ray

        for slot in self.busy():
            self._cancel(slot)
        self.data = None
        if self.owns_connection:
            ray.shutdown()

"""A compute instance: one worker process that runs one job at a time from its compute's queue.

Started by the server's scheduler (``python -m modelyard.runtime.worker``). It outlives a crashed
server long enough to finish its current job, then leaves when idle and no server is alive.
"""

from __future__ import annotations

import argparse
import os
import signal
import time
from pathlib import Path

from modelyard._processes import pid_alive
from modelyard.services import ServiceContext, compute_pools as pools, workspace as workspaces
from modelyard.services._tracking import tracking_client
from modelyard.services.job_lifecycle import claim_next

IDLE_POLL_SECONDS = 0.1  # a worker idle only briefly takes the next queued job this soon
SETTLED_POLL_SECONDS = 0.5  # after SETTLE_SECONDS idle: a store query 2 times a second, not 10
SETTLE_SECONDS = 10.0
BEAT_SECONDS = 1.0


class Worker:
    def __init__(self, context: ServiceContext, compute: str, instance_id: int, server_pid: int) -> None:
        self.context = context
        self.compute = compute
        self.instance_id = instance_id
        self.server_pid = server_pid
        self.stopping = False

    def serve(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        from modelyard.runtime._execute import JobExecution  # noqa: F401  (warm: imported before taking jobs)

        tracking_client(self.context.location)
        self._set_state("idle", pid=os.getpid())
        last_beat = 0.0
        idle_since = time.monotonic()
        while not self.stopping:
            now = time.monotonic()
            if now - last_beat >= BEAT_SECONDS:
                last_beat = now
                if not self._beat() or not pid_alive(self.server_pid):
                    break
            if not self._compute_running():
                time.sleep(IDLE_POLL_SECONDS * 5)
                continue
            name = claim_next(self.context, self.compute, self.instance_id)
            if name is None:
                time.sleep(IDLE_POLL_SECONDS if now - idle_since < SETTLE_SECONDS else SETTLED_POLL_SECONDS)
                continue
            self._set_state("busy", job=name)
            execution = JobExecution(self.context, name, self.instance_id)
            execution.run()
            if execution.retire_worker:  # a stopped in-process step may still compute here: leave
                break
            pools.mark_idle(self.context, self.instance_id)
            idle_since = time.monotonic()
        self._leave()

    def _stop(self, *_: object) -> None:
        self.stopping = True

    def _beat(self) -> bool:
        """Refresh the heartbeat; False when the scheduler asked this instance to stop or forgot it."""
        return pools.update_instance(self.context, self.instance_id)

    def _compute_running(self) -> bool:
        return not pools.is_stopped(self.context, self.compute)

    def _set_state(self, state: str, **fields: object) -> None:
        pools.update_instance(self.context, self.instance_id, state, **fields)

    def _leave(self) -> None:
        pools.forget_instance(self.context, self.instance_id)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m modelyard.runtime.worker")
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--compute", required=True)
    parser.add_argument("--instance", type=int, required=True)
    parser.add_argument("--server-pid", type=int, required=True)
    args = parser.parse_args()
    context = ServiceContext.open(workspaces.load(Path(args.workspace)))
    try:
        Worker(context, args.compute, args.instance, args.server_pid).serve()
    finally:
        context.close()

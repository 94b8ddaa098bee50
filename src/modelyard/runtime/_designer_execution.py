"""Designer steps run in the worker's own process: the worker has pandas and scikit-learn imported after
its first step, so a step pays for its computation, not for an interpreter and its imports.

The step computes in a thread while the worker keeps the job's heartbeat and watches for a cancel request
and the time limit. A thread cannot be stopped: a step canceled or timed out mid-computation ends the job
at once and retires the worker when the job is done (the pool starts a fresh one), so no stray computation
outlives its job for long or holds the next job's place.
"""

from __future__ import annotations

import os
import shlex
import threading
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout

from modelyard.runtime._designer_step import run_arguments
from modelyard.runtime._execute import HEARTBEAT_SECONDS, POLL_SECONDS, JobExecution

RUNNER_WORDS = 3  # python -m modelyard.runtime.designer_runner


class _Log:
    """The job's log as a text stream for print()."""

    def __init__(self, execution: JobExecution) -> None:
        self.execution = execution

    def write(self, text: str) -> int:
        self.execution._write(text)
        return len(text)

    def flush(self) -> None:
        pass


def execute_in_worker(execution: JobExecution, command: str, run_id: str) -> tuple[int | None, str | None]:
    """Run a Designer step's command in this process, its metrics logged into MLflow run ``run_id``:
    ``(exit code, None)``, or ``(None, reason)`` when it was canceled or ran past its time limit."""
    argv = shlex.split(command)[RUNNER_WORDS:]
    outcome: dict[str, int] = {}
    execution._write(f"[modelyard] running the module in worker process {os.getpid()}\n")

    def work() -> None:
        log = _Log(execution)
        with redirect_stdout(log), redirect_stderr(log):
            try:
                outcome["code"] = run_arguments(argv, execution.context, run_id)
            except SystemExit as refused:  # the runner's arguments did not parse
                outcome["code"] = refused.code if isinstance(refused.code, int) else 2
            except BaseException:
                traceback.print_exc()
                outcome["code"] = 1

    thread = threading.Thread(target=work, name=f"designer-step-{execution.name}", daemon=True)
    thread.start()
    timeout = execution.spec.limits.timeout
    started = last_beat = time.monotonic()
    while thread.is_alive():
        thread.join(POLL_SECONDS)
        now = time.monotonic()
        if timeout and now - started > timeout and thread.is_alive():
            execution.retire_worker = True
            execution._write(f"\n[modelyard] stopped: the step ran past its time limit of {timeout} s\n")
            return None, f"timeout: ran past limits.timeout of {timeout} s"
        if now - last_beat >= HEARTBEAT_SECONDS and thread.is_alive():
            last_beat = now
            if execution._heartbeat():
                execution.retire_worker = True
                execution._write("\n[modelyard] canceled by the user\n")
                return None, "canceled"
    return outcome.get("code", 1), None

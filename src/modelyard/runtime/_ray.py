"""The ``ray`` compute target: jobs go through Ray's job submission API; status and logs come back.

Each job is prepared here as on any target (MLflow run, code snapshot, inputs), then submitted
with its code as the runtime environment's working directory. A thread per job mirrors Ray's
status and logs into the workspace. Inputs and outputs are paths on the server's disk, so Ray
nodes must share that filesystem (one machine, or shared storage). After a server restart the
jobs Ray still runs are watched again; jobs lost before they reached Ray are retried or failed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from modelyard.runtime._execute import HEARTBEAT_SECONDS, JobExecution
from modelyard.runtime._scheduler import worker_lost
from modelyard.services import ServiceContext, compute_pools as pools, job_lifecycle as lifecycle, job_runs as runs
from modelyard.spec.job import PythonEnvironment

log = logging.getLogger("modelyard.ray")
POLL_SECONDS = 0.5
TERMINAL_RAY = {"SUCCEEDED", "FAILED", "STOPPED"}


def submission_client(address: str):
    from ray.job_submission import JobSubmissionClient

    return JobSubmissionClient(address)


FANS_OUT = ("automl", "batch_scoring")


class RayExecution(JobExecution):
    running_at_start = False  # Running when Ray starts the command, not when it is queued there

    def __init__(self, context: ServiceContext, name: str, address: str) -> None:
        super().__init__(context, name, instance_id=None)
        self.address = address

    def _execute(self, command: str, workdir: Path, env: dict[str, str]) -> tuple[int | None, str | None]:
        client = submission_client(self.address)
        row = self._row()
        added = {k: v for k, v in env.items() if os.environ.get(k) != v and k != "PATH"}
        runtime_env: dict = {"env_vars": added}
        if any(workdir.iterdir()):
            runtime_env["working_dir"] = str(workdir)
        environment = self.spec.environment
        if isinstance(environment, PythonEnvironment) and environment.pip:
            runtime_env["pip"] = list(environment.pip)
        submission = f"{self.name}-{row.attempt}"
        # AutoML and batch scoring drivers mostly wait for their Ray tasks, which claim the cluster's CPUs themselves
        client.submit_job(entrypoint=command, submission_id=submission, runtime_env=runtime_env,
                          entrypoint_num_cpus=0 if row.type in FANS_OUT else 1, metadata={"modelyard_job": self.name})
        runs.record(self.context, self.name, external_id=submission)
        self._write(f"[modelyard] submitted to Ray at {self.address} as {submission}\n")
        return self._watch(client, submission)

    def resume(self) -> str:
        """Watch a job Ray already runs (after a server restart) to its end."""
        self.folder.joinpath("logs").mkdir(parents=True, exist_ok=True)
        self.log = self.log_path.open("ab", buffering=0)
        row = self._row()
        self._take(row)
        attempt = self.folder / f"attempt-{row.attempt}"
        self.output_dirs = self._output_dirs(attempt)
        try:
            self._write(f"[modelyard] watching Ray job {row.external_id} again\n")
            exit_code, reason = self._watch(submission_client(self.address), row.external_id, skip_logs=True)
            return self._conclude(exit_code, reason, attempt / "code", row.mlflow_run_id)
        finally:
            self.log.close()

    def _watch(self, client, submission: str, skip_logs: bool = False) -> tuple[int | None, str | None]:
        # after a restart, go on from what was mirrored before it: lines Ray logged while the server was down follow
        shown = self._mirrored() if skip_logs else 0
        timeout = self.spec.limits.timeout
        started, last_beat, stopping = time.monotonic(), 0.0, None
        while True:
            status = str(client.get_job_status(submission).value)
            shown = self._copy_logs(client, submission, shown)
            if status == "RUNNING" or status in TERMINAL_RAY:  # a short job may end between two looks
                runs.start_if_preparing(self.context, self.name)
            if status in TERMINAL_RAY:
                return self._outcome(client, submission, status, stopping)
            now = time.monotonic()
            if stopping is None and timeout and now - started > timeout:
                stopping = f"timeout: ran past limits.timeout of {timeout} s and was stopped"
                client.stop_job(submission)
            if now - last_beat >= HEARTBEAT_SECONDS:
                last_beat = now
                if self._heartbeat() and stopping is None:
                    stopping = "canceled"
                    client.stop_job(submission)
            time.sleep(POLL_SECONDS)

    def _copy_logs(self, client, submission: str, shown: int) -> int:
        """Append what Ray logged since ``shown``; a node that cannot serve logs yet is asked again later."""
        try:
            logs = client.get_job_logs(submission)
        except RuntimeError as error:
            if not getattr(self, "_log_error_said", False):
                self._log_error_said = True
                self._write(f"[modelyard] Ray cannot serve this job's logs yet: {str(error).splitlines()[0]}\n")
            return shown
        if len(logs) > shown:
            self._write(logs[shown:])
            self._offset_path.write_text(str(len(logs)))
        return max(shown, len(logs))

    @property
    def _offset_path(self) -> Path:
        return self.folder / "logs" / "ray-log-offset"

    def _mirrored(self) -> int:
        """How much of Ray's log of this job the log file already holds."""
        try:
            return int(self._offset_path.read_text())
        except (OSError, ValueError):
            return 0

    def _outcome(self, client, submission: str, status: str, stopping: str | None) -> tuple[int | None, str | None]:
        if status == "SUCCEEDED":
            return 0, None
        if stopping:
            return None, stopping
        message = client.get_job_info(submission).message or f"Ray job {status.lower()}"
        if status == "STOPPED":
            return None, f"stopped in Ray: {message}"
        return None, f"{message}; last log lines:\n{self._tail()}"


class RayDriver:
    """Scheduler hook: submit queued jobs of ray computes, keep a watcher thread per active one."""

    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.watchers: dict[str, threading.Thread] = {}

    def step(self) -> bool:
        targets = pools.ray_targets(self.context)
        if not targets:
            return False
        self.watchers = {name: thread for name, thread in self.watchers.items() if thread.is_alive()}
        for compute, config in targets.items():
            while (name := lifecycle.claim_next(self.context, compute, None)) is not None:
                self._watch(name, RayExecution(self.context, name, config["address"]).run)
        for job in runs.active_on(self.context, list(targets)):
            if job.name in self.watchers:
                continue
            if job.external_id:
                self._watch(job.name, RayExecution(self.context, job.name, targets[job.compute]["address"]).resume)
            else:
                worker_lost(self.context, job.name, what="submission")
        return bool(self.watchers)

    def _watch(self, name: str, target) -> None:
        def guarded() -> None:
            try:
                target()
            except Exception:
                log.exception("Ray job %s could not be followed", name)

        thread = threading.Thread(target=guarded, name=f"ray-{name}", daemon=True)
        self.watchers[name] = thread
        thread.start()

"""The notebook supervisor: one JupyterLab server per compute instance that is wanted running.

Each server listens on loopback (or, when the workspace server requires its token and listens on
another address, on that address: see ``lab_address``) with a token of its own, is rooted at the workspace's notebooks
folder, and runs its kernels with the workspace's address in their environment, so that
``Workspace.from_config()``, ``modelyard.azureml`` and ``mlflow`` need no setup. A server that
crashes is restarted with backoff (three times, then the instance is Failed with the log's tail);
one without activity (no request, no busy kernel) for its idle time is stopped. The runs a kernel
logs with plain MLflow become interactive jobs, and the runs an instance's kernels left open end with
it (see ``services.interactive_runs``): Canceled when it is stopped, by its user, for idleness or with the
workspace server; Failed when it crashes or the workspace server dies. Servers are recorded in the store
(pid and identity), so a server starting after its predecessor died ends them, fails the runs their
kernels left open and starts them afresh.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from modelyard._processes import pid_alive, process_identity
from modelyard.runtime._r_kernel import r_kernel_environment
from modelyard.services import ServiceContext
from modelyard.services._tracking import tracking_client
from modelyard.services.interactive_runs import InteractiveRunService, kernel_run_context
from modelyard.services.compute_instances import InstanceState, InstanceStates, check_port_free, free_port, \
    kernel_environment, notebooks_folder
from modelyard.errors import ModelyardError
from modelyard.spec.job_status import JobStatus

log = logging.getLogger("modelyard.notebooks")
LOOPBACK = "127.0.0.1"
WILDCARDS = ("0.0.0.0", "::", "")
STOP_SECONDS = 10.0
MAX_RESTARTS = 3
STARTUP_SECONDS = 120
WATCH_SECONDS = 2.0  # how often running servers are looked at: idle? new MLflow runs in their kernels?


@dataclass
class LabServer:
    process: subprocess.Popen
    port: int
    token: str
    host: str  # where it listens
    log_path: Path
    idle_minutes: int | None
    started: float
    restarts: int = 0
    restart_at: float = 0.0


class NotebookSupervisor:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.states = InstanceStates(context)
        self.runs = InteractiveRunService(context)
        self.servers: dict[str, LabServer] = {}
        self._watched_at = 0.0
        self._leftovers_ended = False
        for state in self.states.all():  # shown Starting at once, not Running at the old server's address
            if state.wanted_running:
                self.states.restart_wanted(state.name)

    def step(self) -> bool:
        """Follow the store's instances; whether one is starting (then the next step comes soon)."""
        if not self._leftovers_ended:
            self._end_leftovers()
            self._leftovers_ended = True
        wanted = {state.name: state for state in self.states.all()}
        for name in list(self.servers):
            if name not in wanted or not wanted[name].wanted_running:
                self._stop_ending_runs(name, "stopped")
        for name, state in wanted.items():
            if state.wanted_running:
                self._follow(state)
        self._watch_running(wanted)
        return any(state.state == "Starting" for state in wanted.values() if state.name in self.servers)

    def stop_all(self) -> None:
        """The workspace server stops: its JupyterLab servers too (they start again with it), canceling the
        runs their kernels left open."""
        for name in list(self.servers):
            try:
                self._stop_ending_runs(name, "stopped with the workspace server")
            except Exception:  # the tracking store or the database failing: the other instances still stop
                log.exception("could not end the runs of instance %s", name)

    def _watch_running(self, wanted: dict[str, InstanceState]) -> None:
        """Stop the servers idle for their idle time; adopt and follow their kernels' MLflow runs."""
        if time.monotonic() - self._watched_at < WATCH_SECONDS:
            return
        self._watched_at = time.monotonic()
        for name, server in list(self.servers.items()):
            if wanted[name].state != "Running" or server.process.poll() is not None:
                continue
            if server.idle_minutes and self._idle(server):
                self._stop_ending_runs(name, f"stopped after {server.idle_minutes} idle minute(s)")
                self.states.stopped(name, f"stopped after {server.idle_minutes} idle minute(s)")
            else:
                self._follow_runs(name)

    def _follow_runs(self, name: str) -> None:
        try:
            self.runs.follow_kernel_runs(name)
        except Exception:  # the tracking store busy: the next pass catches up
            log.exception("could not follow the MLflow runs of instance %s", name)

    def _stop_ending_runs(self, name: str, how: str) -> None:
        """Stop the server, then cancel the runs its kernels left open: after the kernels ended, since MLflow
        ends a process's active run at its exit (FINISHED), which the kernel's code did not ask for."""
        self._follow_runs(name)  # the runs ended before the stop end as they did
        self._stop(name)
        self._end_runs(name, JobStatus.CANCELED, how)

    def _end_runs(self, name: str, status: JobStatus, how: str) -> None:
        self.runs.end_runs_on(name, status, f"compute instance '{name}' {how}, ending the kernel that logged "
                                            "this run")

    # -- one instance ----------------------------------------------------------------------------
    def _follow(self, state: InstanceState) -> None:
        server = self.servers.get(state.name)
        if server is None:
            self._start(state)
            return
        code = server.process.poll()
        if code is None:
            if state.state == "Starting":
                if self._answers(server):
                    self.states.running(state.name)
                elif time.monotonic() - server.started > STARTUP_SECONDS:
                    self._give_up(state.name, f"JupyterLab did not answer within {STARTUP_SECONDS} s")
            return
        now = time.monotonic()
        if server.restart_at == 0.0:  # first seen ended
            self._end_runs(state.name, JobStatus.FAILED, f"crashed (JupyterLab exited with code {code})")
        if server.restarts >= MAX_RESTARTS:
            self._give_up(state.name, f"JupyterLab exited with code {code}")
        elif server.restart_at == 0.0:
            server.restart_at = now + 0.5 * 2 ** server.restarts
            log.warning("JupyterLab of instance %s exited (%s); restarting", state.name, code)
        elif now >= server.restart_at:
            self.servers.pop(state.name)
            self._start(state, server.restarts + 1)

    def _start(self, state: InstanceState, restarts: int = 0) -> None:
        port = state.config.get("port") or free_port()
        try:
            host, shown_host = lab_address(self._workspace_server())
            if state.config.get("port"):
                check_port_free(port, state.name, host)
            server = self._spawn(state, host, port, restarts)
        except ModelyardError as error:
            self.states.failed(state.name, error.message)
            return
        except OSError as error:
            self.states.failed(state.name, f"JupyterLab could not start: {error}")
            return
        self.servers[state.name] = server
        self.states.started(state.name, {"port": port, "host": shown_host, "token": server.token,
                                         "pid": server.process.pid,
                                         "identity": process_identity(server.process.pid)})

    def _workspace_server(self):
        from modelyard.server import running

        return running(self.context.location)

    def _spawn(self, state: InstanceState, host: str, port: int, restarts: int) -> LabServer:
        location = self.context.location
        # the kernels' MLflow opens the store without our file lock: it exists before any kernel starts
        tracking_client(location)
        folder = location.folder / "instances" / state.name
        (folder / "runtime").mkdir(parents=True, exist_ok=True, mode=0o700)
        token = secrets.token_urlsafe(24)
        idle = int(state.config.get("idle_shutdown_minutes") or 0)
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--ip={host}", f"--port={port}",
                   "--ServerApp.port_retries=0", f"--ServerApp.root_dir={notebooks_folder(location)}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers: Jupyter refuses root unless told
            command.append("--allow-root")
        env = {**kernel_environment(location, dict(os.environ)), **r_kernel_environment(folder),
               **kernel_run_context(state.name), "JUPYTER_TOKEN": token,
               "JUPYTER_RUNTIME_DIR": str(folder / "runtime"), "MODELYARD_COMPUTE_INSTANCE": state.name}
        log_path = folder / "jupyterlab.log"
        with log_path.open("ab") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       env=env, cwd=notebooks_folder(location), start_new_session=True)
        return LabServer(process, port, token, host, log_path, idle, time.monotonic(), restarts)

    @staticmethod
    def _lab_api(server: LabServer, path: str):
        """JupyterLab's answer to ``GET path`` (parsed), or None when it does not answer."""
        import httpx

        try:
            host = LOOPBACK if server.host in WILDCARDS else f"[{server.host}]" if ":" in server.host else server.host
            response = httpx.get(f"http://{host}:{server.port}{path}", timeout=2,
                                 headers={"Authorization": f"token {server.token}"})
        except httpx.HTTPError:
            return None
        return response.json() if response.status_code == 200 else None

    def _answers(self, server: LabServer) -> bool:
        return self._lab_api(server, "/api/status") is not None

    def _idle(self, server: LabServer) -> bool:
        """No activity (a request, a kernel's message) for the idle time, and no kernel busy (a long cell that
        prints nothing), as Jupyter's own culling leaves busy kernels alone. Asking for the kernels is a request
        itself, so it is asked only once the rest says idle."""
        from datetime import datetime, timezone

        status = self._lab_api(server, "/api/status")
        if status is None:
            return False
        last = datetime.fromisoformat(status["last_activity"].replace("Z", "+00:00"))
        if (datetime.now(timezone.utc) - last).total_seconds() < 60 * server.idle_minutes:
            return False
        kernels = self._lab_api(server, "/api/kernels")
        return kernels is not None and all(kernel["execution_state"] != "busy" for kernel in kernels)

    def _give_up(self, name: str, why: str) -> None:
        server = self.servers[name]
        tail = "\n".join(server.log_path.read_text(errors="replace").splitlines()[-15:])
        self._stop(name)
        self.states.failed(name, f"{why}:\n{tail}" if tail else why)

    def _stop(self, name: str) -> None:
        """SIGTERM: JupyterLab shuts its kernels down (ending a cell mid-execution) and exits."""
        server = self.servers.pop(name)
        _end(server.process.pid, lambda: server.process.poll() is None)
        server.process.wait()

    def _end_leftovers(self) -> None:
        """Servers a previous workspace server left running: ended (when still the same process, once the runs
        of their kernels are followed a last time), and the runs their kernels left open failed; the instances
        that were running start again at this step. At the first step, not at construction: following runs
        needs the tracking store, which the engines open in the background."""
        for state in self.states.all():
            recorded = state.config.get("server") or {}
            pid, identity = recorded.get("pid"), recorded.get("identity")
            if pid and identity and process_identity(pid) == identity:
                log.warning("ending JupyterLab of instance %s left by a previous server (pid %s)", state.name, pid)
                self._follow_runs(state.name)  # the runs its kernels ended meanwhile end as they did
                _end(pid, lambda: pid_alive(pid))
            if recorded:  # after a clean stop none is open any more
                self._end_runs(state.name, JobStatus.FAILED, "stopped after the workspace server died")


def lab_address(workspace_server) -> tuple[str, str]:
    """Where an instance's JupyterLab listens and the host its URL names. Loopback, unless the workspace server
    requires its access token and listens on another address: then JupyterLab listens there too, so that whoever
    reaches the studio reaches JupyterLab (its own token guards it), and its URL names this machine."""
    from modelyard.server import is_loopback

    if workspace_server is None or not workspace_server.token_required or is_loopback(workspace_server.host):
        return LOOPBACK, LOOPBACK
    host = workspace_server.host
    if host in WILDCARDS:
        import socket

        return host, socket.gethostname()
    return host, host


def _end(pid: int, alive) -> None:
    _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    while alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive():
        _signal(pid, signal.SIGKILL)
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass

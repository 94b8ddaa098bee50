"""The notebook supervisor: one JupyterLab server per compute instance that is wanted running.

Each server listens on loopback with a token of its own, is rooted at the workspace's notebooks
folder, and runs its kernels with the workspace's address in their environment, so that
``Workspace.from_config()``, ``modelyard.azureml`` and ``mlflow`` need no setup. A server that
crashes is restarted with backoff (three times, then the instance is Failed with the log's tail);
one that ends itself after the idle time is Stopped. Servers are recorded in the store (pid and
identity), so a server starting after its predecessor died ends them and starts them afresh.
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
from modelyard.services import ServiceContext
from modelyard.services.compute_instances import InstanceState, InstanceStates, check_port_free, free_port, \
    kernel_environment, notebooks_folder
from modelyard.errors import ModelyardError

log = logging.getLogger("modelyard.notebooks")
STOP_SECONDS = 10.0
MAX_RESTARTS = 3
STARTUP_SECONDS = 120


@dataclass
class LabServer:
    process: subprocess.Popen
    port: int
    token: str
    log_path: Path
    idle_minutes: int | None
    started: float
    restarts: int = 0
    restart_at: float = 0.0


class NotebookSupervisor:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.states = InstanceStates(context)
        self.servers: dict[str, LabServer] = {}
        self._end_leftovers()

    def step(self) -> bool:
        """Follow the store's instances; whether one is starting (then the next step comes soon)."""
        wanted = {state.name: state for state in self.states.all()}
        for name in list(self.servers):
            if name not in wanted or not wanted[name].wanted_running:
                self._stop(name)
        for name, state in wanted.items():
            if state.wanted_running:
                self._follow(state)
        return any(state.state == "Starting" for state in wanted.values() if state.name in self.servers)

    def stop_all(self) -> None:
        """The workspace server stops: its JupyterLab servers too (they start again with it)."""
        for name in list(self.servers):
            self._stop(name)

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
        if code == 0 and server.idle_minutes:
            self.servers.pop(state.name)
            self.states.stopped(state.name, f"stopped after {server.idle_minutes} idle minute(s)")
            return
        now = time.monotonic()
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
            if state.config.get("port"):
                check_port_free(port, state.name)
            server = self._spawn(state, port, restarts)
        except ModelyardError as error:
            self.states.failed(state.name, error.message)
            return
        except OSError as error:
            self.states.failed(state.name, f"JupyterLab could not start: {error}")
            return
        self.servers[state.name] = server
        self.states.started(state.name, {"port": port, "token": server.token, "pid": server.process.pid,
                                         "identity": process_identity(server.process.pid)})

    def _spawn(self, state: InstanceState, port: int, restarts: int) -> LabServer:
        location = self.context.location
        folder = location.folder / "instances" / state.name
        (folder / "runtime").mkdir(parents=True, exist_ok=True, mode=0o700)
        token = secrets.token_urlsafe(24)
        idle = state.config.get("idle_shutdown_minutes")
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                   "--ServerApp.port_retries=0", f"--ServerApp.root_dir={notebooks_folder(location)}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers: Jupyter refuses root unless told
            command.append("--allow-root")
        if idle:  # kernels idle this long are culled; then a server without kernels or activity ends itself
            seconds = int(idle) * 60
            command += [f"--MappingKernelManager.cull_idle_timeout={seconds}",
                        f"--MappingKernelManager.cull_interval={min(seconds, 60)}",
                        f"--ServerApp.shutdown_no_activity_timeout={seconds}"]
        env = {**kernel_environment(location, dict(os.environ)), "JUPYTER_TOKEN": token,
               "JUPYTER_RUNTIME_DIR": str(folder / "runtime"), "MODELYARD_COMPUTE_INSTANCE": state.name}
        log_path = folder / "jupyterlab.log"
        with log_path.open("ab") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       env=env, cwd=notebooks_folder(location), start_new_session=True)
        return LabServer(process, port, token, log_path, idle, time.monotonic(), restarts)

    @staticmethod
    def _answers(server: LabServer) -> bool:
        import httpx

        try:
            response = httpx.get(f"http://127.0.0.1:{server.port}/api/status", timeout=2,
                                 headers={"Authorization": f"token {server.token}"})
        except httpx.HTTPError:
            return False
        return response.status_code == 200

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
        """Servers a previous workspace server left running: ended (when still the same process), and the
        instances that were running start again."""
        for state in self.states.all():
            recorded = state.config.get("server") or {}
            pid, identity = recorded.get("pid"), recorded.get("identity")
            if pid and identity and process_identity(pid) == identity:
                log.warning("ending JupyterLab of instance %s left by a previous server (pid %s)", state.name, pid)
                _end(pid, lambda: pid_alive(pid))
            if state.wanted_running:
                self.states.restart_wanted(state.name)


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

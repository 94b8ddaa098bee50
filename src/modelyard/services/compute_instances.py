"""Compute instances: a JupyterLab server per instance, rooted at the workspace's notebooks folder.

The store holds the desired state (``Starting``/``Running`` = wanted running, ``Stopped``, ``Failed``)
and, while a server runs, where it listens (``config.server``: port, token, pid, identity). The
runtime's notebook supervisor follows that state; this module holds the rules both sides share.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from modelyard.errors import Conflict, InvalidInput
from modelyard.services._context import ServiceContext
from modelyard.store import ComputeRow

NOTEBOOKS_FOLDER = "notebooks"
WANTED_RUNNING = ("Starting", "Running")
INSTALL_HINT = "pip install 'modelyard[notebooks]' (JupyterLab and ipykernel) into the server's environment"


def notebooks_folder(location) -> Path:
    """The workspace's notebooks folder, shared by every instance (created on first use)."""
    folder = location.root / NOTEBOOKS_FOLDER
    folder.mkdir(exist_ok=True)
    return folder


def kernel_environment(location, base: dict[str, str]) -> dict[str, str]:
    """``base`` (the server's environment) made to point a kernel at this workspace: the SDK, the v1 shim
    and ``mlflow`` find it with no setup; no job's MLflow run leaks in."""
    env = {key: value for key, value in base.items() if not key.startswith("MLFLOW_")}
    env.update({"MODELYARD_WORKSPACE": str(location.root), "MLFLOW_TRACKING_URI": location.tracking_uri,
                "PYTHONUNBUFFERED": "1"})
    return env


def check_jupyterlab(name: str) -> None:
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        raise InvalidInput(f"compute instance '{name}' needs JupyterLab on the server: {INSTALL_HINT}") from None


def check_port_free(port: int, name: str, host: str = "127.0.0.1") -> None:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            raise Conflict(f"compute instance '{name}': port {port} is taken by another process; choose another "
                           "--port, or leave it out for a free one") from None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_can_start(name: str, config: dict[str, Any]) -> None:
    check_jupyterlab(name)
    if config.get("port"):
        check_port_free(config["port"], name)


def want_running(row: ComputeRow, running: bool) -> None:
    """``start`` asks the supervisor for a server (checked first); ``stop`` ends it and its kernels."""
    if running and row.state not in WANTED_RUNNING:
        check_can_start(row.name, row.config)
        row.state, row.errors = "Starting", None
    elif not running:
        row.state = "Stopped"


def shown_config(config: dict[str, Any]) -> dict[str, Any]:
    """The instance's settings without the running server's secrets; ``port`` is the one it listens on."""
    shown = {key: value for key, value in config.items() if key != "server"}
    if "server" in config:
        shown["port"] = config["server"]["port"]
    return shown


def lab_url(row: ComputeRow) -> str | None:
    server = (row.config or {}).get("server")
    if row.state != "Running" or not server:
        return None
    host = server.get("host", "127.0.0.1")
    return f"http://{f'[{host}]' if ':' in host else host}:{server['port']}/lab?token={server['token']}"


@dataclass
class InstanceState:
    name: str
    state: str
    config: dict[str, Any]

    @property
    def wanted_running(self) -> bool:
        return self.state in WANTED_RUNNING


class InstanceStates:
    """The state changes the notebook supervisor makes."""

    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def all(self) -> list[InstanceState]:
        with self.context.session() as session:
            rows = session.scalars(select(ComputeRow).where(ComputeRow.type == "instance"))
            return [InstanceState(row.name, row.state, dict(row.config or {})) for row in rows]

    def started(self, name: str, server: dict[str, Any]) -> None:
        self._set(name, "Starting", None, server)

    def running(self, name: str) -> None:
        self._set(name, "Running", None)

    def failed(self, name: str, error: str) -> None:
        self._set(name, "Failed", error, None)

    def stopped(self, name: str, note: str | None = None) -> None:
        self._set(name, "Stopped", note, None)

    def restart_wanted(self, name: str) -> None:
        """After a server restart: the instance starts again. Its old server's record stays until the new server
        replaces it, so that the supervisor can end that server (a dead workspace server leaves it running)."""
        self._set(name, "Starting", None)

    _KEEP = object()

    def _set(self, name: str, state: str, error: str | None, server: Any = _KEEP) -> None:
        with self.context.session() as session:
            row = session.scalar(select(ComputeRow).where(ComputeRow.name == name))
            if row is None:
                return
            if state in WANTED_RUNNING and row.state not in WANTED_RUNNING:
                return  # stopped (or failed) meanwhile: the supervisor's next step ends the process
            row.state, row.errors = state, error
            if server is not InstanceStates._KEEP:
                config = {k: v for k, v in (row.config or {}).items() if k != "server"}
                row.config = {**config, "server": server} if server else config

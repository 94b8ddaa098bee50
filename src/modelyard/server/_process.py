"""The workspace server process: start in the foreground or detached, find it, stop it."""

from __future__ import annotations

import ipaddress
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

from modelyard._processes import pid_alive
from modelyard._uvicorn import fastest_stack
from modelyard.errors import Conflict, InvalidInput, ModelyardError
from modelyard.services.workspace import WorkspaceLocation

START_TIMEOUT = 60.0


@dataclass(frozen=True)
class ServerInfo:
    pid: int
    host: str
    port: int
    token_required: bool

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{'127.0.0.1' if self.host in ('0.0.0.0', '') else '::1' if self.host == '::' else host}:{self.port}"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def running(location: WorkspaceLocation) -> ServerInfo | None:
    """The workspace's live server, or None (a stale server file is removed)."""
    try:
        info = ServerInfo(**json.loads(location.server_file.read_text()))
    except (FileNotFoundError, ValueError, TypeError):
        return None
    if not pid_alive(info.pid):
        location.server_file.unlink(missing_ok=True)
        return None
    return info


def serve(location: WorkspaceLocation, host: str, port: int, require_token: bool = False) -> None:
    """Run the server in this process until it is stopped (SIGTERM/SIGINT)."""
    import uvicorn

    from modelyard.api import HostPolicy, create_app

    if running(location):
        raise Conflict(f"a server for this workspace is already running ({running(location).url}); 'modelyard down' stops it")
    token_required = require_token or not is_loopback(host)
    token = location.token(create=True) if token_required else None  # an empty or unreadable one stops here
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise InvalidInput(f"cannot listen on {host}:{port}: {error.strerror}") from None
    info = ServerInfo(pid=os.getpid(), host=host, port=sock.getsockname()[1], token_required=token_required)
    hosts = HostPolicy.of(host, location.config.server.allowed_hosts)
    stack = fastest_stack()
    if stack["http"] == "httptools":
        from modelyard.api._scoring_protocol import ScoringHttpProtocol

        stack["http"] = ScoringHttpProtocol  # scored requests answered without an ASGI cycle
    config = uvicorn.Config(create_app(location, token=token, engines=True, hosts=hosts), log_level="warning",
                            timeout_graceful_shutdown=5, access_log=False, proxy_headers=False, server_header=False,
                            **stack)
    server = uvicorn.Server(config)
    partial = location.server_file.with_suffix(".tmp")
    partial.write_text(json.dumps(info.__dict__))
    partial.rename(location.server_file)
    try:
        server.run(sockets=[sock])
    finally:
        if running(location) == info:
            location.server_file.unlink(missing_ok=True)


def start_detached(location: WorkspaceLocation, host: str, port: int, require_token: bool = False) -> ServerInfo:
    """Start the server as a background process and wait until it answers."""
    if (info := running(location)) and _answers(info):
        return info
    logs = location.folder / "logs"
    logs.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "modelyard.server", "--workspace", str(location.root),
               "--host", host, "--port", str(port)] + (["--require-token"] if require_token else [])
    with (logs / "server.log").open("ab") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = (logs / "server.log").read_text(errors="replace").strip().splitlines()[-5:]
            raise ModelyardError("the server stopped while starting:\n" + "\n".join(tail))
        info = running(location)
        if info and info.pid == process.pid and _answers(info):
            return info
        time.sleep(0.1)
    process.kill()
    raise ModelyardError(f"the server did not answer within {START_TIMEOUT:.0f} s; see {logs / 'server.log'}")


def _answers(info: ServerInfo) -> bool:
    import httpx

    try:
        return httpx.get(f"{info.url}/health", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def stop(location: WorkspaceLocation, timeout: float = 15.0) -> ServerInfo | None:
    info = running(location)
    if info is None:
        return None
    os.kill(info.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and pid_alive(info.pid):
        time.sleep(0.1)
    if pid_alive(info.pid):
        os.kill(info.pid, signal.SIGKILL)
    location.server_file.unlink(missing_ok=True)
    from modelyard.runtime._scoring_processes import ScoringProcesses

    ScoringProcesses(location.folder).end_leftovers()  # those of a server that had to be killed
    return info

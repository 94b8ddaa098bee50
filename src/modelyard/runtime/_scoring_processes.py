"""The scoring processes' runtime folder: their sockets and a record of each one started.

``.modelyard/run/scoring/`` is owner-only (0700); each scoring process listens on a socket there
(0600) and has a record ``<pid>.json`` holding its identity (start time and command line). A
server that starts after its predecessor died ends the recorded processes that still match their
identity, and never a pid that now belongs to some other process.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import signal
import tempfile
import time
from pathlib import Path

from modelyard._processes import pid_alive, process_identity

log = logging.getLogger("modelyard.serving")
SOCKET_PATH_MAX = 100  # sun_path holds 104 (macOS) to 108 (Linux) bytes
MARKER = "modelyard.serving"
STOP_SECONDS = 5.0


def owner_only_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path, 0o700)
    return path


class ScoringProcesses:
    def __init__(self, workspace_folder: Path) -> None:
        owner_only_folder(workspace_folder / "run")
        self.folder = owner_only_folder(workspace_folder / "run" / "scoring")
        self._sockets: Path | None = None

    def sockets_folder(self) -> Path:
        """The runtime folder, or a short owner-only temporary one when its path is too long for a socket."""
        if self._sockets is None:
            fits = len(str(self.folder)) + len("/0123456789ab.sock") <= SOCKET_PATH_MAX
            self._sockets = self.folder if fits else Path(tempfile.mkdtemp(prefix="modelyard-scoring-"))
        return self._sockets

    def new_socket(self) -> str:
        return str(self.sockets_folder() / f"{secrets.token_hex(6)}.sock")

    def record(self, pid: int, socket_path: str) -> None:
        entry = {"pid": pid, "identity": process_identity(pid), "socket": socket_path}
        partial = self.folder / f"{pid}.json.tmp"
        partial.write_text(json.dumps(entry))
        partial.rename(self.folder / f"{pid}.json")

    def forget(self, pid: int, socket_path: str) -> None:
        (self.folder / f"{pid}.json").unlink(missing_ok=True)
        if socket_path:
            Path(socket_path).unlink(missing_ok=True)

    def end_leftovers(self) -> list[int]:
        """End the recorded scoring processes still running (a previous server's); their pids."""
        leftovers = []
        for path in self.folder.glob("*.json"):
            try:
                entry = json.loads(path.read_text())
            except (OSError, ValueError):
                path.unlink(missing_ok=True)
                continue
            identity = entry.get("identity")
            if identity and MARKER in identity and process_identity(entry["pid"]) == identity:
                leftovers.append(entry["pid"])
                _signal(entry["pid"], signal.SIGTERM)
            self.forget(entry["pid"], entry.get("socket") or "")
        deadline = time.monotonic() + STOP_SECONDS
        while any(pid_alive(pid) for pid in leftovers) and time.monotonic() < deadline:
            time.sleep(0.05)
        for pid in leftovers:
            if pid_alive(pid):
                _signal(pid, signal.SIGKILL)
        if leftovers:
            log.warning("ended %d scoring process(es) left by a previous server: %s", len(leftovers), leftovers)
        if self._sockets is not None and self._sockets != self.folder:
            shutil.rmtree(self._sockets, ignore_errors=True)  # the short temporary folder
            self._sockets = None
        return leftovers


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def probe_ready(socket_path: str, timeout: float = 2.0) -> bool:
    """Whether the scoring process on ``socket_path`` answers ``GET /ready`` with 200."""
    import socket

    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(socket_path)
            sock.sendall(b"GET /ready HTTP/1.1\r\nhost: scoring\r\nconnection: close\r\n\r\n")
            head = sock.recv(64)
    except OSError:
        return False
    return head.startswith(b"HTTP/1.1 200 ")

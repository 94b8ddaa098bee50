"""How a scoring process started by a workspace server is reached and how it ends with it.

It listens on a Unix domain socket (mode 0600, in the server's owner-only runtime folder), so
only the server's user can reach it and no TCP port is open; and it exits when the server that
started it is gone, even after a ``kill -9`` of the server.
"""

from __future__ import annotations

import os
import socket
import threading
import time

PARENT_POLL_SECONDS = 0.5
LOAD_ERROR_PREFIX = "modelyard.serving: cannot load the model: "  # the supervisor reads the reason after it
EXIT_LOAD_FAILED = 3     # maybe passing (a full disk, a lost file): the supervisor restarts the process
EXIT_UNUSABLE_MODEL = 4  # the model itself is unusable (not a model, cannot predict): restarting cannot help


def bind_unix_socket(path: str) -> socket.socket:
    """A listening Unix socket at ``path`` that only this user can connect to."""
    if os.path.exists(path):
        os.unlink(path)  # a socket file left by a crashed process of the same name
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    previous = os.umask(0o177)
    try:
        sock.bind(path)
    finally:
        os.umask(previous)
    os.chmod(path, 0o600)
    sock.listen(2048)
    return sock


def exit_with_parent(parent_pid: int, socket_path: str | None = None) -> None:
    """End this process as soon as ``parent_pid`` is no longer its parent (the server died)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_SECONDS)
        if socket_path:
            try:
                os.unlink(socket_path)
            except OSError:
                pass
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()

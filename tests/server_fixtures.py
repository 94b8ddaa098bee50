"""Fixtures that start real servers on loopback: the workspace server, S3, HTTP, PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """``modelyard ARGS`` in a subprocess, as a user types it."""
    return subprocess.run([sys.executable, "-m", "modelyard", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {}), "COLUMNS": "200"})


@pytest.fixture
def server(workspace_root: Path):
    """A real workspace server process on a free loopback port (``modelyard up --detach --port 0``)."""
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    location = workspaces.load(workspace_root)
    info = servers.start_detached(location, "127.0.0.1", 0)
    try:
        yield info
    finally:
        servers.stop(location)

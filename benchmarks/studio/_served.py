"""A throwaway workspace with its server on a free loopback port, for the studio benchmarks."""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator


@contextmanager
def served_workspace(prepare: Callable[[Path], None] = lambda root: None) -> Iterator[tuple[Path, str]]:
    """(workspace root, server url): ``prepare(root)`` runs before the server starts; all is removed after."""
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    with tempfile.TemporaryDirectory(prefix="modelyard-bench-studio-") as folder:
        root = Path(folder) / "ws"
        location = workspaces.create(root, name="bench")
        prepare(root)
        info = servers.start_detached(location, "127.0.0.1", 0)
        try:
            yield root, info.url
        finally:
            servers.stop(location)

"""One real workspace server per test module of the audit trail and lineage (started on a free loopback port)."""

from __future__ import annotations

import pytest

from server_fixtures import workspace_server


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(server info, SDK workspace over HTTP, workspace location) of a fresh workspace's server."""
    root = tmp_path_factory.mktemp("audit") / "ws"
    with workspace_server(root, "audit") as (info, ws):
        yield info, ws, ws.location

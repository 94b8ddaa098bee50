"""One real workspace server per module for the Designer's REST, SDK and CLI tests."""

from __future__ import annotations

import pytest

from tests.server_fixtures import workspace_server


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(server info, SDK Workspace over HTTP, workspace root) of a server on a free loopback port."""
    root = tmp_path_factory.mktemp("designer") / "ws"
    with workspace_server(root, "designer") as (info, ws):
        yield info, ws, root

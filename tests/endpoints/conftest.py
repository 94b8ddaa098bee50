"""A workspace server with an attrition model registered, for endpoint tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from server_fixtures import workspace_server
from workshop_rows import register_pipeline


@pytest.fixture(scope="module")
def served(tmp_path_factory, hr_csv: Path):
    """(root, SDK Workspace) with model 'attrition' versions 1 and 2 registered and a running server."""
    root = tmp_path_factory.mktemp("endpoints") / "ws"
    with workspace_server(root, "endpoints") as (_, ws):
        for version, C in ((1, 1.0), (2, 0.01)):
            register_pipeline(ws, hr_csv, root.parent / f"model{version}", C)
        yield root, ws

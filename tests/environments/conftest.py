"""One workspace server for the module's tests, and environment YAML written into a folder."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from server_fixtures import workspace_server

BUILD_SECONDS = 300.0
# a small pure-Python wheel the machine's configured index has, pinned to an older version than the latest
PINNED = "tabulate==0.8.10"


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """(workspace root, SDK Workspace over HTTP)."""
    root = tmp_path_factory.mktemp("environments") / "ws"
    with workspace_server(root, "environments") as (_, ws):
        yield root, ws


def write_yaml(folder: Path, name: str, document: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(document))
    return path

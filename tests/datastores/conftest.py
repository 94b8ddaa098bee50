"""Helpers for the datastore tests: what a workspace holds, to check that failures leave nothing behind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class WorkspaceState:
    versions: frozenset[tuple[str, int]]
    artifact_files: frozenset[str]
    cache_entries: frozenset[str]


def workspace_state(ws, root: Path) -> WorkspaceState:
    """Every data version (archived included), every file of the artifact store, every cache entry."""
    names = {asset.name for asset in ws.data.list(include_archived=True)}
    versions = {(asset.name, asset.version) for name in names for asset in ws.data.list(name, include_archived=True)}
    artifacts = root / ".modelyard" / "artifacts"
    cache = root / ".modelyard" / "cache"
    files = {str(p.relative_to(artifacts)) for p in artifacts.rglob("*") if p.is_file()} if artifacts.exists() else set()
    entries = {str(p.relative_to(cache)) for p in cache.rglob("*")} if cache.exists() else set()
    return WorkspaceState(frozenset(versions), frozenset(files), frozenset(entries))


@pytest.fixture
def state(ws, workspace_root: Path):
    """``state()`` gives the workspace's current WorkspaceState."""
    return lambda: workspace_state(ws, workspace_root)

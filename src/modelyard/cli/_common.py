"""What every command shares: finding the workspace, the SDK handle, reading spec files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from modelyard.cli._output import Format

OUTPUT = typer.Option(Format.table, "--output", "-o", help="table, json or yaml")


class State:
    workspace: str | None = None


def workspace():
    """The SDK workspace for the command (embedded, or the running server's)."""
    from modelyard.client import Workspace

    return Workspace(State.workspace)


def read_yaml(path: Path) -> dict[str, Any]:
    from modelyard.client._jobs import load_document

    return load_document(path)[0]

"""What every command shares: finding the workspace, the SDK handle, reading spec files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from modelyard.cli._output import Format

OUTPUT = typer.Option(Format.table, "--output", "-o", help="table, json or yaml")


class State:
    workspace: str | None = None
    message: str | None = None  # the reason for the command's changes, kept in the audit trail


def workspace():
    """The SDK workspace for the command: the server at MODELYARD_URL (with MODELYARD_TOKEN) when no workspace
    folder is named, as in a CI pipeline; else the workspace's (its running server, or embedded)."""
    import os

    from modelyard.client import Workspace

    url = os.environ.get("MODELYARD_URL")
    ws = Workspace.connect(url, token=os.environ.get("MODELYARD_TOKEN") or None) if url and not State.workspace \
        else Workspace(State.workspace)
    ws.reason = State.message
    return ws


def read_yaml(path: Path) -> dict[str, Any]:
    from modelyard.client._jobs import load_document

    return load_document(path)[0]


def print_notes(notes: list[str]) -> None:
    """What the server accepted but cannot honour here (Azure-only settings), on stderr."""
    for note in notes:
        print(f"note: {note}", file=sys.stderr)


def spec_fields(file: Path | None, path_field: str | None = None, **flags: Any) -> dict[str, Any]:
    """A spec's fields from its YAML file (if any) overridden by the flags that were given.

    A relative ``path_field`` in the file is relative to the file, not to the current folder.
    """
    fields = read_yaml(file) if file else {}
    value = fields.get(path_field) if path_field else None
    if file and isinstance(value, str) and "://" not in value and not value.startswith(("azureml:", "runs:", "job:")) \
            and not Path(value).is_absolute():
        fields[path_field] = str((file.parent / value).resolve())
    fields.update({key: value for key, value in flags.items() if value is not None})
    return fields

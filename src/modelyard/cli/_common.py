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
    import yaml

    from modelyard.errors import InvalidInput

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"file {path} does not exist") from None
    except yaml.YAMLError as error:
        raise InvalidInput(f"{path} is not valid YAML: {error}") from None
    if not isinstance(document, dict):
        raise InvalidInput(f"{path} must hold a YAML mapping of fields")
    return document

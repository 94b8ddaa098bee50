from __future__ import annotations

from pathlib import Path

import typer

from modelyard.cli._common import OUTPUT, workspace
from modelyard.cli._output import Format, emit

app = typer.Typer(help="Create and inspect workspaces.", no_args_is_help=True)


@app.command("create")
def create(path: Path = typer.Argument(Path("."), help="folder to hold the workspace"),
           name: str = typer.Option(None, help="workspace name (default: the folder's name)"),
           database: str = typer.Option(None, help="SQLAlchemy URL of the metadata store (default: SQLite)"),
           artifact_root: str = typer.Option(None, help="artifact store root: a folder or an fsspec URL")) -> None:
    """Create .modelyard/workspace.yaml in PATH."""
    from modelyard.services import workspace as workspaces

    location = workspaces.create(path, name=name, database=database, artifact_root=artifact_root)
    print(f"created workspace '{location.config.name}' in {location.root}")


@app.command("show")
def show(output: Format = OUTPUT) -> None:
    """Show the current workspace (or the server's at MODELYARD_URL)."""
    with workspace() as ws:
        emit(ws.info(), output)

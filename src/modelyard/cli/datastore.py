from __future__ import annotations

from pathlib import Path

import typer

from modelyard.cli._common import OUTPUT, spec_fields, workspace
from modelyard.cli._output import Format, emit

app = typer.Typer(help="Named storage locations: local folders, S3, HTTP, SQL databases.", no_args_is_help=True)
COLUMNS = ["name", "type", "is_default", "config", "description"]


@app.command("create")
def create(file: Path = typer.Option(None, "--file", "-f", help="datastore YAML"),
           name: str = typer.Option(None), type: str = typer.Option(None, help="local, s3, http or sql"),
           path: str = typer.Option(None, help="local: the folder"),
           url: str = typer.Option(None, help="http: base URL; sql: SQLAlchemy URL"),
           bucket: str = typer.Option(None, help="s3: bucket"), prefix: str = typer.Option(None, help="s3: key prefix"),
           endpoint_url: str = typer.Option(None, help="s3: endpoint of an S3-compatible service"),
           description: str = typer.Option(None), output: Format = OUTPUT) -> None:
    """Register a datastore (from a YAML file, flags, or both; flags win)."""
    fields = spec_fields(file, name=name, type=type, path=path, url=url, bucket=bucket, prefix=prefix,
                         endpoint_url=endpoint_url, description=description)
    with workspace() as ws:
        emit(ws.datastores.create(fields), output)


@app.command("list")
def list_(output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.datastores.list(), output, COLUMNS)


@app.command("show")
def show(name: str, output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.datastores.get(name), output)


@app.command("delete")
def delete(name: str) -> None:
    with workspace() as ws:
        ws.datastores.delete(name)
    print(f"deleted datastore '{name}'")

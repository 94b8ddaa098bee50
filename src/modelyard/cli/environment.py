from __future__ import annotations

import sys
from pathlib import Path

import typer

from modelyard.cli._common import OUTPUT, workspace
from modelyard.cli._output import Format, emit, table

app = typer.Typer(help="Environments: versioned python + pip package sets, each built once into a cached virtualenv.",
                  no_args_is_help=True)
COLUMNS = ["name", "version", "state", "python", "pip", "build_job", "created_at"]
REFERENCE = typer.Argument(..., metavar="NAME[:VERSION|@latest]")


@app.command("create")
def create(file: Path = typer.Option(..., "--file", "-f", help="environment YAML (Azure ML v2 shape)"),
           name: str = typer.Option(None, help="overrides the file's name"),
           version: int = typer.Option(None, help="overrides the file's version"),
           wait: bool = typer.Option(False, "--wait", help="wait for the build; exit 1 if it fails"),
           output: Format = OUTPUT) -> None:
    """Register a new immutable version; its build (a job) starts at once."""
    with workspace() as ws:
        environment = ws.environments.create(file, name=name, version=version)
        if output is Format.table:
            print(f"created environment {environment.name}:{environment.version}; "
                  f"building in job {environment.build_job}")
        if wait:
            _settled(ws, f"{environment.name}:{environment.version}", output)
        elif output is not Format.table:
            emit(environment, output)


@app.command("build")
def build(reference: str = REFERENCE, timeout: float = typer.Option(1800, help="seconds to wait at most"),
          output: Format = OUTPUT) -> None:
    """Wait for a version's build and print its log; exit 1 if it failed (a version is built once)."""
    with workspace() as ws:
        _settled(ws, reference, output, timeout)


def _settled(ws, reference: str, output: Format, timeout: float = 1800) -> None:
    environment = ws.environments.wait(reference, timeout=timeout)
    if output is Format.table:
        print(ws.environments.build_log(reference), end="")
        print(f"environment {environment.name}:{environment.version}: {environment.state}"
              + (f": {environment.error}" if environment.error else
                 f" ({len(environment.packages)} packages installed over the server's interpreter)"))
    else:
        emit(environment, output)
    if environment.state == "Failed":
        raise typer.Exit(1)


@app.command("list")
def list_(name: str = typer.Option(None, help="every version of this environment"),
          archived: bool = typer.Option(False, "--include-archived"), output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.environments.list(name, archived), output, COLUMNS)


@app.command("show")
def show(reference: str = REFERENCE, output: Format = OUTPUT) -> None:
    """A version with its state and the packages its build installed (pip freeze)."""
    with workspace() as ws:
        environment = ws.environments.get(reference)
    if output is not Format.table:
        emit(environment, output)
        return
    emit(environment.model_dump(mode="json", exclude={"packages"}), output)
    table([{"package": p} for p in environment.packages], ["package"], title="installed (pip freeze)")


@app.command("log")
def log(reference: str = REFERENCE) -> None:
    """The build log kept with the version."""
    with workspace() as ws:
        sys.stdout.write(ws.environments.build_log(reference))


@app.command("archive")
def archive(reference: str = REFERENCE) -> None:
    """Hide a version from lists and @latest; jobs naming it still run."""
    with workspace() as ws:
        environment = ws.environments.archive(reference)
    print(f"environment {environment.name}:{environment.version} archived")

"""``modelyard pipeline-endpoint``: Designer drafts published behind a key-authenticated REST route that
starts runs with parameter values; versions with a default."""

from __future__ import annotations

import sys

import typer

from modelyard.cli._common import OUTPUT, workspace
from modelyard.cli._output import Format, emit, table

app = typer.Typer(help="Pipeline endpoints: publish a Designer draft, start runs over REST with parameters.",
                  no_args_is_help=True)
DRAFT = typer.Option(..., "--draft", help="the Designer draft to publish: NAME or NAME:VERSION")
COMPUTE = typer.Option(None, "--compute", help="the compute its runs use (default: local)")


def _summary(endpoint) -> None:
    print(f"pipeline endpoint {endpoint.name}: default version {endpoint.default_version}, runs at "
          f"POST {endpoint.runs_uri}")


@app.command("create")
def create(name: str = typer.Argument(...), draft: str = DRAFT, compute: str = COMPUTE,
           experiment_name: str = typer.Option(None, help="default: the endpoint's name"),
           description: str = typer.Option(None), output: Format = OUTPUT) -> None:
    """Publish a draft as version 1 of a new pipeline endpoint."""
    with workspace() as ws:
        endpoint = ws.pipeline_endpoints.create(name=name, draft=draft, compute=compute,
                                                experiment_name=experiment_name, description=description)
    emit(endpoint, output) if output is not Format.table else _summary(endpoint)


@app.command("add-version")
def add_version(name: str = typer.Argument(...), draft: str = DRAFT, compute: str = COMPUTE,
                default: bool = typer.Option(True, "--default/--not-default", help="make it the default version"),
                output: Format = OUTPUT) -> None:
    """Publish a draft as the endpoint's next version."""
    with workspace() as ws:
        endpoint = ws.pipeline_endpoints.add_version(name, draft=draft, compute=compute, make_default=default)
    emit(endpoint, output) if output is not Format.table else _summary(endpoint)


@app.command("update")
def update(name: str = typer.Argument(...), default_version: int = typer.Option(..., "--default-version"),
           output: Format = OUTPUT) -> None:
    """Choose the version that runs when a request names none."""
    with workspace() as ws:
        endpoint = ws.pipeline_endpoints.update(name, default_version=default_version)
    emit(endpoint, output) if output is not Format.table else _summary(endpoint)


@app.command("list")
def list_(output: Format = OUTPUT) -> None:
    with workspace() as ws:
        endpoints = ws.pipeline_endpoints.list()
    emit([{"name": e.name, "default_version": e.default_version, "versions": len(e.versions),
           "runs_uri": e.runs_uri} for e in endpoints] if output is Format.table else endpoints, output)


@app.command("show")
def show(name: str, output: Format = OUTPUT) -> None:
    """An endpoint's versions: the draft each runs and its parameters (dataset nodes and their assets)."""
    with workspace() as ws:
        endpoint = ws.pipeline_endpoints.get(name)
    if output is not Format.table:
        emit(endpoint, output)
        return
    _summary(endpoint)
    table([{"version": v.version, "default": v.version == endpoint.default_version, "draft": v.draft,
            "compute": v.compute or "local", "parameters": v.parameters} for v in endpoint.versions],
          ["version", "default", "draft", "compute", "parameters"], "versions")


@app.command("get-credentials")
def get_credentials(name: str, output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.pipeline_endpoints.get_credentials(name), output)


@app.command("invoke")
def invoke(name: str = typer.Argument(...),
           param: list[str] = typer.Option(None, "--param", metavar="NAME=VALUE",
                                           help="a dataset node's data asset (NODE=NAME:VERSION) or a pipeline "
                                                "parameter's value for this run (repeatable)"),
           version: int = typer.Option(None, "--version", help="default: the endpoint's default version"),
           wait: bool = typer.Option(False, "--wait", help="wait for the run to end; exit 1 unless it completed"),
           output: Format = OUTPUT) -> None:
    """Start a run through the endpoint's REST route, with its key; prints the run's job name."""
    from modelyard.cli.designer import named_values, report_run

    with workspace() as ws:
        job = ws.pipeline_endpoints.invoke(name, named_values(param, "--param", "NAME=VALUE"), version)
        print(f"started run {job.name} of pipeline endpoint {name} ({job.display_name})", file=sys.stderr)
        report_run(ws, job, False, wait, output)


@app.command("delete")
def delete(name: str) -> None:
    with workspace() as ws:
        ws.pipeline_endpoints.delete(name)
    print(f"deleted pipeline endpoint {name}")

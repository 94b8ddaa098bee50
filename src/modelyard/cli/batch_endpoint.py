from __future__ import annotations

import sys
from pathlib import Path

import typer

from modelyard.cli._common import OUTPUT, spec_fields, workspace
from modelyard.cli._deployments import (
    CREATE_ENDPOINT, ENDPOINT, FILE, NAME, NAME_OPTION, add_shared_commands, create_fields, one_name,
)
from modelyard.cli._output import Format, emit, table
from modelyard.spec.job_status import JobStatus

app = typer.Typer(help="Batch endpoints: score a dataset with a registered model as a job.", no_args_is_help=True)
deployment_app = typer.Typer(help="Deployments of a model behind a batch endpoint.", no_args_is_help=True)
DEPLOYMENT_COLUMNS = ["name", "model", "compute", "mini_batch_size", "error_threshold", "instance_count",
                      "max_concurrency_per_instance", "output_action"]
JOB_COLUMNS = ["name", "status", "display_name", "created_at", "duration_seconds"]


def _deployment_rows(deployments, default: str | None = None) -> list[dict]:
    return [{**d.model_dump(mode="json"), "name": d.name + (" (default)" if d.name == default else ""),
             "model": f"{d.model}:{d.model_version}"} for d in deployments]


def _assignments(pairs: list[str]) -> dict:
    """``a.b=value`` pairs as nested fields; an empty value clears the field."""
    from modelyard.errors import InvalidInput

    change: dict = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InvalidInput(f"--set takes field=value (e.g. defaults.deployment_name=blue), got {pair!r}")
        *parents, last = key.strip().split(".")
        node = change
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value.strip() or None
    return change


@app.command("create")
def create(file: Path = typer.Option(None, "--file", "-f"), name: str = typer.Option(None),
           description: str = typer.Option(None), output: Format = OUTPUT) -> None:
    """Create a batch endpoint (or update the one of that name)."""
    fields = spec_fields(file, name=name, description=description)
    with workspace() as ws:
        emit(ws.batch_endpoints.create_or_update(fields), output)


@app.command("list")
def list_(output: Format = OUTPUT) -> None:
    with workspace() as ws:
        endpoints = ws.batch_endpoints.list()
    emit([{"name": e.name, "default deployment": e.defaults.deployment_name,
           "deployments": ", ".join(d.name for d in e.deployments), "created_at": e.created_at}
          for e in endpoints] if output is Format.table else endpoints, output)


@app.command("show")
def show(name: str, output: Format = OUTPUT) -> None:
    with workspace() as ws:
        endpoint = ws.batch_endpoints.get(name)
    if output is not Format.table:
        emit(endpoint, output)
        return
    table([{"field": "scoring uri", "value": endpoint.scoring_uri},
           {"field": "default deployment", "value": endpoint.defaults.deployment_name},
           {"field": "description", "value": endpoint.description}], ["field", "value"], f"batch endpoint {name}")
    if endpoint.deployments:
        table(_deployment_rows(endpoint.deployments, endpoint.defaults.deployment_name), DEPLOYMENT_COLUMNS,
              "deployments")


@app.command("update")
def update(name: str, set_: list[str] = typer.Option(..., "--set", help="defaults.deployment_name=blue"),
           output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.batch_endpoints.update(name, **_assignments(set_)), output)


@app.command("delete")
def delete(name: str) -> None:
    with workspace() as ws:
        ws.batch_endpoints.delete(name)
    print(f"deleted batch endpoint '{name}'")


@app.command("invoke")
def invoke(name: str, input: str = typer.Option(..., "--input", help="data asset (name:3, name@latest) or local path"),
           deployment_name: str = typer.Option(None, "--deployment-name"),
           mini_batch_size: int = typer.Option(None, "--mini-batch-size"),
           output_name: str = typer.Option(None, "--output-name", help="register the scored output as this data asset"),
           input_type: str = typer.Option(None, "--input-type", help="uri_file, uri_folder or mltable"),
           stream: bool = typer.Option(False, "--stream", help="follow the job's logs to its end"),
           output: Format = OUTPUT) -> None:
    """Start a scoring job. With --stream the exit code says whether it completed."""
    with workspace() as ws:
        job = ws.batch_endpoints.invoke(name, input, deployment_name=deployment_name,
                                        mini_batch_size=mini_batch_size, output_name=output_name,
                                        input_type=input_type)
        print(f"submitted batch scoring job {job.name} ({job.status})", file=sys.stderr)
        if stream:
            job = ws.jobs.stream(job.name)
        emit(job, output) if output is not Format.table else print(job.name)
    if stream and job.status != JobStatus.COMPLETED:
        print(f"{job.name}: {job.status}: {job.error}", file=sys.stderr)
        raise typer.Exit(1)


@app.command("list-jobs")
def list_jobs(name: str, output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.batch_endpoints.list_jobs(name), output, JOB_COLUMNS)


@deployment_app.command("create")
def deployment_create(file: Path = FILE, name: str = NAME_OPTION, endpoint_name: str = CREATE_ENDPOINT,
                      model: str = typer.Option(None), compute: str = typer.Option(None),
                      mini_batch_size: int = typer.Option(None), error_threshold: int = typer.Option(None),
                      set_default: bool = typer.Option(
                          False, "--set-default", help="make it the endpoint's default deployment"),
                      output: Format = OUTPUT) -> None:
    """Create a batch deployment (or replace the one of that name, as this command always has)."""
    fields = create_fields(file, name=name, endpoint_name=endpoint_name, model=model, compute=compute,
                           mini_batch_size=mini_batch_size, error_threshold=error_threshold)
    with workspace() as ws:
        deployment = ws.batch_deployments.create_or_update(fields)
        if set_default:
            ws.batch_endpoints.update(deployment.endpoint_name, defaults={"deployment_name": deployment.name})
        emit(deployment, output)


@deployment_app.command("update")
def deployment_update(name: str = NAME, name_option: str = NAME_OPTION, endpoint_name: str = ENDPOINT,
                      model: str = typer.Option(None), compute: str = typer.Option(None),
                      mini_batch_size: int = typer.Option(None), error_threshold: int = typer.Option(None),
                      output: Format = OUTPUT) -> None:
    """Change the fields given, keep the others."""
    change = {k: v for k, v in dict(model=model, compute=compute, mini_batch_size=mini_batch_size,
                                    error_threshold=error_threshold).items() if v is not None}
    with workspace() as ws:
        emit(ws.batch_deployments.update(one_name(name, name_option), endpoint_name, **change), output)


add_shared_commands(deployment_app, lambda ws: ws.batch_deployments, "batch endpoint", DEPLOYMENT_COLUMNS,
                    _deployment_rows)

from __future__ import annotations

from pathlib import Path

import typer

from modelyard.cli._common import OUTPUT, print_notes, spec_fields, workspace
from modelyard.cli._output import Format, emit

app = typer.Typer(help="Compute targets: the local machine, clusters of worker processes, Ray clusters, notebook "
                       "instances (JupyterLab).",
                  no_args_is_help=True)


def _row(compute) -> dict:
    return {"name": compute.name, "type": compute.type, "state": compute.provisioning_state,
            "min": compute.config.get("min_instances"), "max": compute.config.get("max_instances"),
            "idle s": compute.config.get("idle_time_before_scale_down"), "current": compute.instances.current,
            "busy": compute.instances.busy, "idle": compute.instances.idle, "queued": compute.queued_jobs,
            "address": compute.config.get("address") or compute.url}


@app.command("create")
def create(file: Path = typer.Option(None, "--file", "-f", help="compute YAML"), name: str = typer.Option(None),
           type: str = typer.Option(None, help="cluster (alias amlcompute), ray, or instance (a JupyterLab server)"),
           min_instances: int = typer.Option(None), max_instances: int = typer.Option(None),
           idle_time_before_scale_down: int = typer.Option(None, help="seconds"),
           address: str = typer.Option(None, help="ray: dashboard address, e.g. http://127.0.0.1:8265"),
           idle_shutdown_minutes: int = typer.Option(None, help="instance: stop after this many idle minutes"),
           port: int = typer.Option(None, help="instance: JupyterLab's loopback port (a free one when unset)"),
           output: Format = OUTPUT) -> None:
    """Create a compute target (from YAML, flags, or both; flags win). An instance starts its JupyterLab:
    'modelyard compute show NAME' gives its address once Running."""
    fields = spec_fields(file, name=name, type=type, min_instances=min_instances, max_instances=max_instances,
                         idle_time_before_scale_down=idle_time_before_scale_down, address=address,
                         idle_shutdown_minutes=idle_shutdown_minutes, port=port)
    fields.setdefault("type", "cluster")
    with workspace() as ws:
        compute = ws.compute.create(fields)
    emit(compute, output)
    print_notes(compute.notes)


@app.command("list")
def list_(output: Format = OUTPUT) -> None:
    with workspace() as ws:
        computes = ws.compute.list()
    emit([_row(c) for c in computes] if output is Format.table else computes, output)


@app.command("show")
def show(name: str, wait: bool = typer.Option(False, help="instance: wait until it is Running (or Failed)"),
         timeout: float = typer.Option(180, help="seconds --wait waits at most"), output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.compute.wait_running(name, timeout) if wait else ws.compute.get(name), output)


@app.command("update")
def update(name: str, min_instances: int = typer.Option(None), max_instances: int = typer.Option(None),
           idle_time_before_scale_down: int = typer.Option(None), output: Format = OUTPUT) -> None:
    change = dict(min_instances=min_instances, max_instances=max_instances,
                  idle_time_before_scale_down=idle_time_before_scale_down)
    with workspace() as ws:
        emit(ws.compute.update(name, **{k: v for k, v in change.items() if v is not None}), output)


@app.command("delete")
def delete(name: str) -> None:
    with workspace() as ws:
        ws.compute.delete(name)
    print(f"deleted compute '{name}'")


@app.command("start")
def start(name: str) -> None:
    with workspace() as ws:
        print(f"compute '{name}': {ws.compute.start(name).provisioning_state}")


@app.command("stop")
def stop(name: str) -> None:
    with workspace() as ws:
        print(f"compute '{name}': {ws.compute.stop(name).provisioning_state}")

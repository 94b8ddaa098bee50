from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import typer

from modelyard.cli._common import OUTPUT, workspace
from modelyard.cli._output import Format, emit, table
from modelyard.spec.job_status import JobStatus

app = typer.Typer(help="Monitors: data drift and data quality of production data against a reference.",
                  no_args_is_help=True)
WAIT_SECONDS = 3600.0
HISTORY_COLUMNS = ["job", "job status", "window start", "window end", "status", "failed features"]


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S}" if moment else ""


def _history_rows(entries) -> list[dict]:
    return [{"job": e.job, "job status": e.job_status, "window start": _when(e.window_start),
             "window end": _when(e.window_end), "status": e.status or "",
             "failed features": "; ".join(f"{signal}: {', '.join(features)}"
                                          for signal, features in e.failed_features.items())
             or (e.message if e.status is None and e.message else "")} for e in entries]


def _row(monitor) -> dict:
    signals = monitor.definition.get("monitoring_signals", {})
    latest = monitor.latest
    return {"name": monitor.name, "signals": ", ".join(f"{name} ({s['type']})" for name, s in signals.items()),
            "frequency": monitor.definition.get("frequency"),
            "latest": f"{latest.status or latest.job_status} ({_when(latest.window_end) or latest.job})"
            if latest else ""}


@app.command("create")
def create(file: Path = typer.Option(..., "--file", "-f", help="monitor YAML (Azure ML v2's monitor shape)"),
           name: str = typer.Option(None, help="overrides the file's name"), output: Format = OUTPUT) -> None:
    """Create a monitor; its signals are checked against the data assets' schemas before anything is stored."""
    with workspace() as ws:
        monitor = ws.monitors.create(file, name=name)
    if output is Format.table:
        print(f"created monitor {monitor.name}")
    else:
        emit(monitor, output)


@app.command("list")
def list_(output: Format = OUTPUT) -> None:
    with workspace() as ws:
        monitors = ws.monitors.list()
    emit([_row(m) for m in monitors] if output is Format.table else monitors, output)


@app.command("show")
def show(name: str, output: Format = OUTPUT) -> None:
    with workspace() as ws:
        monitor = ws.monitors.get(name)
    emit(_row(monitor) if output is Format.table else monitor, output)


@app.command("delete")
def delete(name: str) -> None:
    """Delete the monitor; its runs stay as jobs."""
    with workspace() as ws:
        ws.monitors.delete(name)
    print(f"deleted monitor '{name}'")


@app.command("run")
def run(name: str, start: str = typer.Option(None, help="production window start (ISO 8601)"),
        end: str = typer.Option(None, help="production window end, not included"),
        backfill: tuple[str, str] | None = typer.Option(None, help="START END: one result per period "
                                                                             "of the monitor's frequency"),
        compute: str = typer.Option(None, help="compute target; default the monitor's, else 'local'"),
        wait: bool = typer.Option(False, "--wait", help="wait for the run and print its results"),
        output: Format = OUTPUT) -> None:
    """Queue a run of the monitor (a job of type monitor); with --wait, print each period's outcome."""
    if backfill:
        if start or end:
            print("error: give --backfill START END or --start/--end, not both", file=sys.stderr)
            raise typer.Exit(2)
        start, end = backfill
    with workspace() as ws:
        job = ws.monitors.run(name, start=start, end=end, backfill=bool(backfill), compute=compute)
        if not wait:
            if output is Format.table:
                print(job.name)
            else:
                emit(job, output)
            return
        job = ws.jobs.wait(job.name, timeout=WAIT_SECONDS)
        entries = [e for e in ws.monitors.history(name) if e.job == job.name]
    emit(_history_rows(entries) if output is Format.table else entries, output, HISTORY_COLUMNS)
    if job.status != JobStatus.COMPLETED:
        print(f"error: monitor run {job.name} {job.status.lower()}: {job.error}", file=sys.stderr)
        raise typer.Exit(2)


@app.command("history")
def history(name: str, output: Format = OUTPUT) -> None:
    """Each period of each run (newest run first): pass, fail or no production data, and what failed."""
    with workspace() as ws:
        entries = ws.monitors.history(name)
    emit(_history_rows(entries) if output is Format.table else entries, output, HISTORY_COLUMNS)

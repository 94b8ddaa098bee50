from __future__ import annotations

import sys
from pathlib import Path

import typer

from modelyard.cli._common import OUTPUT, workspace
from modelyard.cli._output import Format, emit, table

app = typer.Typer(help="Schedules: submit a job at cron or recurrence ticks (run by the workspace server).",
                  no_args_is_help=True)


def _when(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC" if moment else ""


def _row(schedule) -> dict:
    trigger = schedule.trigger
    every = trigger.get("expression") if trigger["type"] == "cron" else \
        f"every {trigger['interval']} {trigger['frequency']}"
    last = schedule.last_fires[0] if schedule.last_fires else None
    return {"name": schedule.name, "enabled": schedule.enabled, "trigger": f"{trigger['type']}: {every}",
            "time zone": trigger.get("time_zone"),
            "next fire": _when(schedule.next_fire_times[0]) if schedule.next_fire_times else
            ("disabled" if not schedule.enabled else "ended"),
            "last job": (last.job or f"error: {last.error}") if last else ""}


@app.command("create")
def create(file: Path = typer.Option(..., "--file", "-f", help="schedule YAML (Azure ML v2 shape)"),
           name: str = typer.Option(None, help="overrides the file's name"), output: Format = OUTPUT) -> None:
    """Create a schedule; its job (inline, a job YAML path or azureml:<job>) is checked before anything is stored."""
    with workspace() as ws:
        _done(ws.schedules.create(file, name=name), "created", output)


@app.command("update")
def update(file: Path = typer.Option(..., "--file", "-f", help="schedule YAML (Azure ML v2 shape)"),
           name: str = typer.Option(None, help="overrides the file's name"), output: Format = OUTPUT) -> None:
    """Replace a schedule's trigger, job and settings from its YAML; its fires and enabled state stay."""
    with workspace() as ws:
        _done(ws.schedules.update(file, name=name), "updated", output)


def _done(schedule, verb: str, output: Format) -> None:
    if output is Format.table:
        print(f"{verb} schedule {schedule.name}; next fire: "
              f"{_when(schedule.next_fire_times[0]) if schedule.next_fire_times else 'none (disabled or ended)'}")
    else:
        emit(schedule, output)


@app.command("list")
def list_(output: Format = OUTPUT) -> None:
    with workspace() as ws:
        schedules = ws.schedules.list()
    emit([_row(s) for s in schedules] if output is Format.table else schedules, output)


@app.command("show")
def show(name: str, output: Format = OUTPUT) -> None:
    """A schedule with its next fire times and its last fires."""
    with workspace() as ws:
        schedule = ws.schedules.get(name)
    if output is not Format.table:
        emit(schedule, output)
        return
    emit(schedule.model_dump(mode="json", exclude={"next_fire_times", "last_fires"}), output)
    table([{"next fire": _when(t)} for t in schedule.next_fire_times], ["next fire"])
    table([{"fired at": _when(f.fired_at), "tick": _when(f.scheduled_for) or "manual", "missed": f.missed,
            "job": f.job, "error": f.error} for f in schedule.last_fires],
          ["fired at", "tick", "missed", "job", "error"], title="last fires")


@app.command("enable")
def enable(name: str) -> None:
    with workspace() as ws:
        schedule = ws.schedules.enable(name)
    print(f"schedule '{name}' enabled; next fire: {_when(schedule.next_fire_times[0]) if schedule.next_fire_times else 'none (ended)'}")


@app.command("disable")
def disable(name: str) -> None:
    with workspace() as ws:
        ws.schedules.disable(name)
    print(f"schedule '{name}' disabled")


@app.command("delete")
def delete(name: str) -> None:
    """Delete the schedule; the jobs it started stay."""
    with workspace() as ws:
        ws.schedules.delete(name)
    print(f"deleted schedule '{name}'")


@app.command("trigger")
def trigger(name: str, output: Format = OUTPUT) -> None:
    """Fire once now. Exits non-zero when the job could not be submitted (the schedule records why)."""
    with workspace() as ws:
        fire = ws.schedules.trigger(name)
    if output is not Format.table:
        emit(fire, output)
    elif fire.job:
        print(fire.job)
    if fire.error:
        print(f"error: schedule '{name}' could not submit its job: {fire.error}", file=sys.stderr)
        raise typer.Exit(1)

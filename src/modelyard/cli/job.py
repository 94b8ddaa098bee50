from __future__ import annotations

import sys
import time
from pathlib import Path

import typer

from modelyard.cli._common import OUTPUT, print_notes, read_yaml, workspace
from modelyard.cli._output import Format, emit, table
from modelyard.cli.model_analysis import NO_WAIT, TOP, print_explanation, wait_for_analysis
from modelyard.errors import NotFound
from modelyard.spec.job_status import REUSED_LABEL, TERMINAL, JobStatus

app = typer.Typer(help="Jobs: command and pipeline runs, tracked with MLflow.", no_args_is_help=True)
component_app = typer.Typer(help="Reusable pipeline steps.", no_args_is_help=True)
COLUMNS = ["name", "type", "status", "experiment_name", "compute", "display_name", "created_at", "duration_seconds"]


def _status(job) -> str:
    """The status a user reads: a reused step says Reused, a stopped AutoML trial EarlyTerminated."""
    return REUSED_LABEL if job.reused_from else (job.properties or {}).get("trial_status") or job.status


def _print_environment_notes(file: Path) -> None:
    """The notes on the job file's Azure environment (imports the environment specs: only when needed)."""
    from modelyard.spec._azure import environment_notes

    print_notes(environment_notes(read_yaml(file)))


@app.command("create")
def create(file: Path = typer.Option(..., "--file", "-f", help="job YAML (type: command or pipeline)"),
           name: str = typer.Option(None), experiment_name: str = typer.Option(None),
           compute: str = typer.Option(None), stream: bool = typer.Option(False, "--stream", help="follow the logs"),
           wait: bool = typer.Option(False, "--wait", help="wait for the end without printing logs"),
           output: Format = OUTPUT) -> None:
    """Submit a job. With --stream or --wait the exit code says whether it completed."""
    with workspace() as ws:
        job = ws.jobs.create(file, name=name, experiment_name=experiment_name, compute=compute)
        print(f"submitted {job.type} job {job.name} ({job.status}) to experiment {job.experiment_name}",
              file=sys.stderr)
        _print_environment_notes(file)
        if stream or wait:
            job = follow(ws, job.name, stream)
        emit(job, output) if output is not Format.table else print(job.name)
    if (stream or wait) and job.status != JobStatus.COMPLETED:
        raise typer.Exit(1)


def follow(ws, name: str, stream: bool):
    """Wait for job ``name`` to end (printing its logs, and each pipeline step's, with ``stream``); the final job."""
    if not stream:
        return ws.jobs.wait(name)
    job = ws.jobs.get(name)
    if job.type == "automl":
        job = follow_automl(ws, name)
        print_automl(job, ws.jobs.children(name))
        return job
    if job.type != "pipeline":
        return ws.jobs.stream(name)
    seen: dict[str, str] = {}
    offsets: dict[str, int] = {}
    while True:
        job = ws.jobs.get(name)   # read before the steps, so the last pass sees every step's last lines
        for child in ws.jobs.children(name):
            if seen.get(child.step) != _status(child):
                seen[child.step] = _status(child)
                print(f"[{child.step}] {child.name}: {_status(child)}", file=sys.stderr)
            if not child.reused_from and child.status != JobStatus.NOT_STARTED:
                _print_new_lines(ws, child, offsets)
        if job.status in TERMINAL:
            return job
        time.sleep(0.5)


def _print_new_lines(ws, step, offsets: dict[str, int]) -> None:
    """A pipeline step's log lines written since the last call, each prefixed with the step's name."""
    chunk = ws.jobs.logs(step.name, offsets.get(step.name, 0))
    offsets[step.name] = chunk["offset"]
    for line in chunk["text"].splitlines():
        print(f"[{step.step}] {line}", file=sys.stderr)


@app.command("list")
def list_(status: str = typer.Option(None), experiment_name: str = typer.Option(None),
          parent: str = typer.Option(None, help="list the child jobs of this pipeline"),
          search: str = typer.Option(None), limit: int = typer.Option(50), output: Format = OUTPUT) -> None:
    with workspace() as ws:
        jobs = ws.jobs.list(status=status, experiment_name=experiment_name, parent=parent, search=search, limit=limit)
    if output is Format.table:   # the status a user reads (Reused, EarlyTerminated); json/yaml keep the stored one
        jobs = [{**job.model_dump(mode="json"), "status": _status(job)} for job in jobs]
    emit(jobs, output, COLUMNS)


@app.command("show")
def show(name: str, output: Format = OUTPUT) -> None:
    """Show a job: status, metrics, outputs, and its steps for a pipeline."""
    with workspace() as ws:
        job = ws.jobs.get(name)
        children = ws.jobs.children(name) if job.type in ("pipeline", "automl") else []
    if output is not Format.table:
        emit(job, output)
        return
    fields = {"name": job.name, "type": job.type, "status": _status(job), "experiment": job.experiment_name,
              "compute": job.compute, "environment": job.properties.get("environment"),
              "mlflow run": job.mlflow_run_id, "attempt": job.attempt, "created": job.created_at,
              "duration s": job.duration_seconds, "error": job.error}
    table([{"field": k, "value": v} for k, v in fields.items() if v is not None], ["field", "value"], f"job {job.name}")
    if job.metrics:
        table([{"metric": k, "value": v} for k, v in sorted(job.metrics.items())], ["metric", "value"], "metrics")
    if job.outputs:
        table([{"output": k, **v} for k, v in job.outputs.items()], ["output", "type", "files", "uri", "data_asset"],
              "outputs")
    if job.type == "automl":
        print_automl(job, children)
        return
    if children:
        table([{"step": c.step, "name": c.name, "status": _status(c), "duration s": c.duration_seconds,
                "reused from": c.reused_from} for c in children], ["step", "name", "status", "duration s", "reused from"],
              "steps")


def lower_is_better(metric: str) -> bool:
    return "error" in metric or metric == "log_loss"


def leaderboard(job, children) -> list[dict]:
    """Trials best first (running ones last), as the studio and ``job show`` list them."""
    metric = job.properties.get("primary_metric", "")
    sign = 1 if lower_is_better(metric) else -1
    scored = [c for c in children if c.properties.get("score") is not None]
    rows = sorted(scored, key=lambda c: sign * c.properties["score"]) + [c for c in children if c not in scored]
    return [{"rank": i + 1, "trial": c.step, "algorithm": c.display_name, metric: c.properties.get("score"),
             "status": _status(c), "duration s": c.duration_seconds,
             "job": c.name} for i, c in enumerate(rows)]


def print_automl(job, children) -> None:
    metric = job.properties.get("primary_metric", "")
    rows = leaderboard(job, children)
    if rows:
        table(rows, ["rank", "trial", "algorithm", metric, "status", "duration s", "job"], f"leaderboard ({metric})")
    rails = job.properties.get("guardrails") or []
    if rails:
        table([{"guardrail": r.get("name"), "status": r.get("status"), "details": r.get("details")} for r in rails],
              ["guardrail", "status", "details"], "data guardrails")
    if job.properties.get("best_model_uri"):
        print(f"best model: {job.properties['best_model_uri']} ({metric} {job.properties.get('best_score'):.4f})")


def follow_automl(ws, name: str):
    """A live progress bar: trials done, best score so far, time left."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    job = ws.jobs.get(name)
    budget = job.spec.limits.timeout_minutes * 60
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.fields[detail]}"),
                  TimeRemainingColumn(), transient=False) as progress:
        bar = progress.add_task(f"AutoML {name}", total=budget, detail="queued")
        while job.status not in TERMINAL:
            time.sleep(1)
            job = ws.jobs.get(name)
            left = job.properties.get("seconds_left")
            best = job.properties.get("best_score")
            detail = f"{job.status}; trials {job.properties.get('trials_done', 0)}" + (
                f"; best {job.properties.get('primary_metric')} {best:.4f}" if best is not None else "")
            progress.update(bar, completed=budget - left if left is not None else 0, detail=detail)
        progress.update(bar, completed=budget, detail=job.status)
    return job


@app.command("stream")
def stream(name: str) -> None:
    """Follow a job's logs until it ends."""
    with workspace() as ws:
        job = ws.jobs.stream(name)
    print(f"\n{job.name}: {job.status}", file=sys.stderr)
    if job.status != JobStatus.COMPLETED:
        raise typer.Exit(1)


@app.command("cancel")
def cancel(name: str) -> None:
    with workspace() as ws:
        job = ws.jobs.cancel(name)
    print(f"{job.name}: {job.status}{' (stopping)' if job.status != JobStatus.CANCELED else ''}")


@app.command("refit")
def refit(name: str = typer.Argument(..., help="an AutoML trial job (modelyard job list --parent <automl job>)"),
          stream: bool = typer.Option(False, "--stream", help="follow the refit job's logs"),
          wait: bool = typer.Option(False, "--wait", help="wait for the model without printing logs"),
          output: Format = OUTPUT) -> None:
    """Refit a trial's model on all training rows, to register and deploy it like the best model."""
    with workspace() as ws:
        job = ws.jobs.refit(name)
        if job.name != name:
            print(f"refitting trial {name} as job {job.name} ({job.status})", file=sys.stderr)
            if stream or wait:
                job = ws.jobs.stream(job.name, out=sys.stderr) if stream else ws.jobs.wait(job.name)
    if output is not Format.table:
        emit(job, output)
    elif job.properties.get("model_uri"):
        print(job.properties["model_uri"])
    if (stream or wait) and job.status != JobStatus.COMPLETED:
        raise typer.Exit(1)


@app.command("explain")
def explain(name: str = typer.Argument(..., help="a Completed AutoML trial job (modelyard job list --parent <automl job>)"),
            view: str = typer.Option("raw", "--view", help="raw or engineered features in the table"),
            top: int = typer.Option(TOP, "--top", help="features shown"),
            no_wait: bool = NO_WAIT, output: Format = OUTPUT) -> None:
    """Explain an AutoML trial's model (refit first when the trial kept none); a trial explained already shows
    its explanation."""
    with workspace() as ws:
        try:
            found = ws.jobs.explanation_status(name)
        except NotFound:  # never explained
            found = None
        if found is None or found.status != JobStatus.COMPLETED:
            running = found is not None and found.status not in TERMINAL
            job = ws.jobs.get(found.job) if running else ws.jobs.explain(name)  # wait for one being made
            if not wait_for_analysis(ws, job, no_wait):
                return
        print_explanation(ws.jobs.explanation(name), view, output, top)


@app.command("deploy-best")
def deploy_best(name: str = typer.Argument(..., help="a Completed AutoML job"),
                endpoint: str = typer.Option(..., "--endpoint", help="online endpoint (created when missing)"),
                deployment: str = typer.Option("default", "--deployment"),
                model_name: str = typer.Option(None, "--model-name", help="default: <experiment>-best"),
                instance_count: int = typer.Option(1, "--instance-count"),
                auth_mode: str = typer.Option(None, help="for a new endpoint: key (default), token or none"),
                output: Format = OUTPUT) -> None:
    """Register the AutoML job's best model and deploy it with all of the traffic (the studio's Deploy button)."""
    with workspace() as ws:
        model, served = ws.deploy_best(name, endpoint, deployment, model_name, instance_count, auth_mode)
    if output is not Format.table:
        emit({"model": model.model_dump(mode="json"), "endpoint": served.model_dump(mode="json")}, output)
        return
    print(f"model {model.name}:{model.version} serves on endpoint {served.name} (deployment {deployment}, "
          f"100% of the traffic): {served.scoring_uri}")


@app.command("archive")
def archive(name: str) -> None:
    with workspace() as ws:
        ws.jobs.archive(name)
    print(f"archived {name}")


@app.command("download")
def download(name: str, output_name: str = typer.Option(..., "--output-name"),
             path: Path = typer.Option(Path("."), "--download-path", "-p")) -> None:
    """Download one output of a job."""
    with workspace() as ws:
        where = ws.jobs.download(name, output_name, path)
    print(f"downloaded to {where}")


@component_app.command("create")
def component_create(file: Path = typer.Option(..., "--file", "-f"), output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.components.create(file), output)
        _print_environment_notes(file)


@component_app.command("list")
def component_list(name: str = typer.Option(None),
                   builtin: bool = typer.Option(False, "--builtin", help="the Designer's built-in modules"),
                   output: Format = OUTPUT) -> None:
    with workspace() as ws:
        if builtin:
            emit(ws.components.builtin(), output, ["name", "display_name", "category", "version"])
        else:
            emit(ws.components.list(name), output, ["name", "version", "display_name", "created_at"])


@component_app.command("show")
def component_show(reference: str, output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.components.get(reference), output)

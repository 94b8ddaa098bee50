from __future__ import annotations

import sys
from pathlib import Path

import typer

from modelyard.cli import model_analysis, v1
from modelyard.cli._common import OUTPUT, spec_fields, workspace
from modelyard.cli._output import Format, emit

app = typer.Typer(help="The model registry: versions, aliases, lineage.", no_args_is_help=True)
COLUMNS = ["name", "version", "type", "aliases", "flavors", "created_at", "source"]


@app.command("create")
def create(file: Path = typer.Option(None, "--file", "-f", help="model YAML"), name: str = typer.Option(None),
           path: str = typer.Option(None, help="runs:/<run>/model, job:<automl job> (its best model), "
                                             "job:<job>/outputs/<x>, or a local folder/file"),
           type: str = typer.Option(None, help="mlflow_model or custom_model (default: detected)"),
           version: int = typer.Option(None), description: str = typer.Option(None),
           force: bool = typer.Option(False, "--force", help="a new version even when the content is registered already"),
           output: Format = OUTPUT) -> None:
    """Register a model version (the same content again answers the version registered before)."""
    fields = spec_fields(file, "path", name=name, path=path, type=type, version=version, description=description)
    if force:
        fields["force_new_version"] = True
    with workspace() as ws:
        emit(ws.models.create(fields), output)


@app.command("list")
def list_(name: str = typer.Option(None, help="every version of this model"),
          archived: bool = typer.Option(False, "--include-archived"), output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.models.list(name, archived), output, COLUMNS)


@app.command("show")
def show(reference: str = typer.Argument(..., metavar="NAME[:VERSION|@ALIAS]"), output: Format = OUTPUT) -> None:
    with workspace() as ws:
        emit(ws.models.get(reference), output)


@app.command("download")
def download(reference: str = typer.Argument(..., metavar="NAME[:VERSION|@ALIAS]"),
             path: Path = typer.Option(Path("."), "--download-path", "-p")) -> None:
    with workspace() as ws:
        print(f"downloaded to {ws.models.download(reference, path)}")


@app.command("package")
def package(reference: str = typer.Argument(..., metavar="NAME[:VERSION|@ALIAS]"),
            output: Path = typer.Option(..., "--output", help="new folder for the package")) -> None:
    """A self-contained folder that serves the model (pinned requirements, entry point, Dockerfile)."""
    with workspace() as ws:
        where = ws.models.package(reference, output)
    print(f"packaged into {where}: pip install -r requirements.txt && python serve.py")


@app.command("update")
def update(reference: str = typer.Argument(..., metavar="NAME:VERSION"), description: str = typer.Option(None),
           tag: list[str] = typer.Option(None, "--tag", help="key=value, repeatable; replaces the tags"),
           set_alias: list[str] = typer.Option(None, "--set-alias", help="point an alias at this version"),
           remove_alias: list[str] = typer.Option(None, "--remove-alias"), output: Format = OUTPUT) -> None:
    """Change a version's description, tags or aliases (its files never change)."""
    from modelyard.errors import InvalidInput

    change: dict = {"set_aliases": set_alias or [], "remove_aliases": remove_alias or []}
    if description is not None:
        change["description"] = description
    if tag:
        if any("=" not in t for t in tag):
            raise InvalidInput("tags are written key=value")
        change["tags"] = dict(t.split("=", 1) for t in tag)
    with workspace() as ws:
        emit(ws.models.update(reference, **change), output)


@app.command("archive")
def archive(reference: str = typer.Argument(..., metavar="NAME:VERSION")) -> None:
    with workspace() as ws:
        model = ws.models.archive(reference)
    print(f"archived {model.name}:{model.version}")


@app.command("compare")
def compare(challenger: str = typer.Argument(..., metavar="CHALLENGER", help="name:version or name@alias"),
            champion: str = typer.Argument(..., metavar="CHAMPION", help="name:version or name@alias"),
            data: str = typer.Option(..., "--data", help="held-out labelled data: NAME[:VERSION]"),
            metric: str = typer.Option("AUC_weighted", "--metric", help="AUC_weighted, accuracy, r2_score, ..."),
            min_gain: float = typer.Option(0.0, "--min-gain", help="how much better the challenger must be"),
            target: str = typer.Option(None, "--target", help="the label column (default: the challenger's AutoML "
                                                               "target)"),
            output: Format = OUTPUT) -> None:
    """Score both versions on held-out data; exits 1 when the challenger is worse than the champion + min-gain."""
    with workspace() as ws:
        result = ws.models.compare(challenger, champion, data=data, metric=metric, min_gain=min_gain, target=target)
    if output is not Format.table:
        emit(result, output)
    else:
        print(f"{result.metric} on {result.data} ({result.rows} rows, target {result.target!r}):")
        print(f"  challenger {result.challenger.model}: {result.challenger.value:.6f}")
        print(f"  champion   {result.champion.model}: {result.champion.value:.6f}")
        print(f"  gain {result.gain:+.6f} (needed >= {result.min_gain:+.6f})")
    if not result.passed:
        print(f"challenger {result.challenger.model} is worse than champion {result.champion.model} + "
              f"{result.min_gain:g} on {result.metric}: keep the champion", file=sys.stderr)
        raise typer.Exit(1)
    print(f"challenger {result.challenger.model} passes: it may replace {result.champion.model}")


model_analysis.register(app)  # explain, fairness, error-analysis and their show-* commands
v1.register(app)  # az ml v1's model register and model deploy

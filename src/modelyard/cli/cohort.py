"""``modelyard model cohort create|list|delete|compare``: saved filters on a model version and their metrics."""

from __future__ import annotations

import typer

from modelyard.cli._common import OUTPUT, workspace
from modelyard.cli._output import Format, emit, table

app = typer.Typer(help="Cohorts: saved filters on a model version, their metrics beside the whole data's.",
                  no_args_is_help=True)
REFERENCE = typer.Argument(..., metavar="NAME:VERSION", help="a registered model version")
OPERATORS = ("not in", " in ", "<=", ">=", "!=", "==", "<", ">", "=")   # longest first: '<=' before '<'


def _value(text: str):
    text = text.strip()
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text.strip("'\""))


def parse_filter(text: str) -> dict:
    """``Age<30``, ``OverTime==Yes``, ``JobRole in Manager,Sales Executive`` as a filter."""
    for operator in OPERATORS:
        column, found, value = text.partition(operator)
        if found and column.strip():
            name = operator.strip() if operator != "=" else "=="
            if name in ("in", "not in"):
                return {"column": column.strip(), "operator": name, "value": [_value(v) for v in value.split(",")]}
            return {"column": column.strip(), "operator": name, "value": _value(value)}
    raise typer.BadParameter(f"{text!r}: write COLUMN OPERATOR VALUE, e.g. Age<30, OverTime==Yes or "
                             "'JobRole in Manager,Sales Executive' (operators: == != < <= > >= in, not in)",
                             param_hint="--filter")


@app.command("create")
def create(reference: str = REFERENCE, name: str = typer.Option(..., "--name"),
           filters: list[str] = typer.Option(..., "--filter", help="COLUMN OPERATOR VALUE; repeatable"),
           any_: bool = typer.Option(False, "--any", help="a row is in the cohort when any filter holds (default: "
                                                          "all of them)"),
           description: str = typer.Option(None, "--description"), output: Format = OUTPUT) -> None:
    """Save a cohort of the model version."""
    parsed = [parse_filter(f) for f in filters]
    with workspace() as ws:
        emit(ws.models.create_cohort(reference, name, parsed, "or" if any_ else "and", description), output)


@app.command("list")
def list_(reference: str = REFERENCE, output: Format = OUTPUT) -> None:
    with workspace() as ws:
        cohorts = ws.models.cohorts(reference)
        if output is not Format.table:
            emit(cohorts, output)
            return
        joined = {"and": " and ", "or": " or "}
        table([{"name": c.name, "filters": joined[c.combine].join(f"{f.column} {f.operator} {f.value!r}"
                                                                  for f in c.filters)} for c in cohorts],
              ["name", "filters"], f"cohorts of {reference}")


@app.command("delete")
def delete(reference: str = REFERENCE, name: str = typer.Option(..., "--name")) -> None:
    with workspace() as ws:
        ws.models.delete_cohort(reference, name)


@app.command("compare")
def compare(reference: str = REFERENCE, data: str = typer.Option(..., "--data", help="a labelled data asset"),
            target: str = typer.Option(None, "--target", help="the label column (default: the AutoML job's)"),
            names: list[str] = typer.Option(None, "--cohort", help="a cohort to compare (default: all); repeatable"),
            output: Format = OUTPUT) -> None:
    """The model's metrics on each cohort of the data beside its metrics on the whole."""
    with workspace() as ws:
        found = ws.models.compare_cohorts(reference, data, target=target, cohorts=names or None)
        if output is not Format.table:
            emit(found, output)
            return
        shown = ("accuracy", "AUC_weighted", "precision_score_weighted", "recall_score_weighted", "r2_score",
                 "normalized_root_mean_squared_error")
        rows = [{"cohort": c.name, "rows": c.rows, "share": c.share,
                 **{m: c.metrics.get(m) for m in shown if m in found.whole.metrics}}
                for c in (found.whole, *found.cohorts)]
        table(rows, list(rows[0]), f"{found.model} on {found.data} (target {found.target})")

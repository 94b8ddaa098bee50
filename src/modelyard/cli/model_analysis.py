"""``modelyard model explain|fairness|error-analysis|mitigate`` and their ``show-*``: Responsible AI on a model version.

Each analysis runs as a job; the command waits for it (``--no-wait`` only queues it) and prints
the result, exiting non-zero when the job did not complete.
"""

from __future__ import annotations

import sys

import typer

from modelyard.cli._common import OUTPUT, workspace
from modelyard.cli._output import Format, emit, table
from modelyard.spec.job_status import JobStatus

REFERENCE = typer.Argument(..., metavar="NAME:VERSION", help="a registered model version (NAME@ALIAS works too)")
DATA = typer.Option(..., "--data", help="a data asset: NAME, NAME:VERSION or NAME@latest")
COMPUTE = typer.Option(None, "--compute", help="compute target (default: local)")
TARGET = typer.Option(None, "--target", help="the column with the true labels (default: the AutoML job's target)")
JOB = typer.Option("latest", "--job", help="an analysis job of this version (default: the newest completed)")
NO_WAIT = typer.Option(False, "--no-wait", help="queue the job and print its name")
TOP = 15


def register(app: typer.Typer) -> None:
    for name, command in (("explain", explain), ("show-explanation", show_explanation), ("fairness", fairness),
                          ("show-fairness", show_fairness), ("error-analysis", error_analysis),
                          ("show-error-analysis", show_error_analysis), ("mitigate", mitigate),
                          ("show-mitigation", show_mitigation)):
        app.command(name)(command)
    from modelyard.cli.cohort import app as cohorts

    app.add_typer(cohorts, name="cohort")


def wait_for_analysis(ws, job, no_wait: bool) -> bool:
    """Wait for the analysis job; whether there is a result to show."""
    print(f"{job.type.replace('_', ' ')} job {job.name} queued on {job.compute}", file=sys.stderr)
    if no_wait:
        return False
    job = ws.jobs.wait(job.name)
    if job.status != JobStatus.COMPLETED:
        print(f"error: job {job.name} {job.status.lower()}: {job.error or ''}".rstrip(), file=sys.stderr)
        raise typer.Exit(1)
    return True


# -- explanations ---------------------------------------------------------------------------------
def explain(reference: str = REFERENCE, data: str = DATA, compute: str = COMPUTE,
            sample: int = typer.Option(None, "--sample", help="rows explained locally (a sample beyond that)"),
            method: str = typer.Option("auto", "--method", help="auto, tree, linear, permutation or kernel"),
            target: str = typer.Option(None, "--target", help="a column of the data to leave out (the labels)"),
            view: str = typer.Option("raw", "--view", help="raw or engineered features in the table"),
            no_wait: bool = NO_WAIT, output: Format = OUTPUT) -> None:
    """Explain a model version on a data asset: global importance (table) and local contributions (stored)."""
    with workspace() as ws:
        job = ws.models.explain(reference, data, compute=compute, sample=sample, method=method, target=target)
        if wait_for_analysis(ws, job, no_wait):
            print_explanation(ws.models.explanation(reference, job.name), view, output)


def show_explanation(reference: str = REFERENCE, job: str = JOB,
                     view: str = typer.Option("raw", "--view", help="raw or engineered features"),
                     top: int = typer.Option(TOP, "--top", help="features shown"), output: Format = OUTPUT) -> None:
    """The global importance of a stored explanation (-o json: the whole record, local rows included)."""
    with workspace() as ws:
        print_explanation(ws.models.explanation(reference, job), view, output, top)


def print_explanation(explanation, view: str, output: Format, top: int = TOP) -> None:
    if output is not Format.table:
        emit(explanation, output)
        return
    if view not in ("raw", "engineered"):
        raise typer.BadParameter(f"view {view!r}: use raw or engineered", param_hint="--view")
    shown = explanation.raw if view == "raw" and explanation.raw is not None else explanation.engineered
    first = shown.outputs[0].global_importance
    order = sorted(range(len(shown.features)), key=lambda j: -first[j])[:top]
    rows = [{"rank": i + 1, "feature": shown.features[j],
             **{f"importance ({o.output})": o.global_importance[j] for o in shown.outputs}}
            for i, j in enumerate(order)]
    title = (f"{'raw' if shown is explanation.raw else 'engineered'} feature importance (mean |contribution|, "
             f"{explanation.model_output}) — {explanation.method} method, {explanation.estimator}, "
             f"{explanation.rows_evaluated} rows")
    table(rows, list(rows[0]) if rows else ["rank", "feature"], title)


# -- fairness -------------------------------------------------------------------------------------
def _bins(values: list[str]) -> dict[str, list[float]]:
    bins: dict[str, list[float]] = {}
    for value in values or []:
        feature, _, edges = value.partition("=")
        try:
            bins[feature.strip()] = [float(e) for e in edges.split(",") if e.strip()]
        except ValueError:
            raise typer.BadParameter(f"{value!r}: write FEATURE=EDGE,EDGE,... e.g. Age=18,30,40,50,60",
                                     param_hint="--bins") from None
        if not feature.strip() or not bins[feature.strip()]:
            raise typer.BadParameter(f"{value!r}: write FEATURE=EDGE,EDGE,... e.g. Age=18,30,40,50,60",
                                     param_hint="--bins")
    return bins


def fairness(reference: str = REFERENCE, data: str = DATA,
             sensitive: str = typer.Option(..., "--sensitive", help="columns to compare groups of: Gender,MaritalStatus"),
             bins: list[str] = typer.Option(None, "--bins", help="FEATURE=EDGE,EDGE,... for a continuous feature; "
                                                                 "repeatable"),
             threshold: float = typer.Option(0.5, "--threshold", help="P(positive) at which a row is selected"),
             target: str = TARGET, compute: str = COMPUTE, no_wait: bool = NO_WAIT, output: Format = OUTPUT) -> None:
    """Assess a binary classifier's fairness across groups of sensitive features (fairlearn metrics)."""
    features = [s.strip() for s in sensitive.split(",") if s.strip()]
    with workspace() as ws:
        job = ws.models.assess_fairness(reference, data, sensitive=features, bins=_bins(bins), target=target,
                                        compute=compute, threshold=threshold)
        if wait_for_analysis(ws, job, no_wait):
            _print_fairness(ws.models.fairness(reference, job.name), output)


def show_fairness(reference: str = REFERENCE, job: str = JOB, output: Format = OUTPUT) -> None:
    """Per-group metrics and disparities of a stored fairness assessment."""
    with workspace() as ws:
        _print_fairness(ws.models.fairness(reference, job), output)


GROUP_COLUMNS = ["group", "count", "selection_rate", "accuracy", "precision", "recall", "false_positive_rate",
                 "false_negative_rate", "auc"]


def _print_fairness(report, output: Format) -> None:
    if output is not Format.table:
        emit(report, output)
        return
    for feature in report.features:
        d = feature.disparities
        title = (f"{feature.feature} at threshold {report.threshold:g} (positive: {report.positive_label}): "
                 f"demographic parity difference {d.demographic_parity_difference:.4f}, ratio "
                 f"{d.demographic_parity_ratio:.4f}, equalized odds difference {d.equalized_odds_difference:.4f}")
        table([g.model_dump() for g in [feature.overall, *feature.groups]], GROUP_COLUMNS, title)


# -- mitigation -----------------------------------------------------------------------------------
def mitigate(reference: str = REFERENCE, data: str = DATA,
             sensitive: str = typer.Option(..., "--sensitive", help="the one sensitive feature, e.g. Gender"),
             bins: str = typer.Option(None, "--bins", help="EDGE,EDGE,... when the feature is continuous"),
             constraints: str = typer.Option("demographic_parity", "--constraints",
                                             help="demographic_parity, equalized_odds, true_positive_rate_parity, ..."),
             objective: str = typer.Option("accuracy_score", "--objective", help="what the thresholds maximise"),
             model_name: str = typer.Option(None, "--model-name", help="register under this name (default: the "
                                                                       "original's, as a new version)"),
             target: str = TARGET, compute: str = COMPUTE, no_wait: bool = NO_WAIT, output: Format = OUTPUT) -> None:
    """Mitigate a binary classifier's disparity for one sensitive feature (fairlearn's ThresholdOptimizer);
    the mitigated model is registered as a new version that reads the sensitive feature too."""
    edges = _bins([f"{sensitive}={bins}"])[sensitive] if bins else None
    with workspace() as ws:
        job = ws.models.mitigate(reference, data, sensitive=sensitive, bins=edges, constraints=constraints,
                                 objective=objective, model_name=model_name, target=target, compute=compute)
        if wait_for_analysis(ws, job, no_wait):
            _print_mitigation(ws.models.mitigation(reference, job.name), output)


def show_mitigation(reference: str = REFERENCE, job: str = JOB, output: Format = OUTPUT) -> None:
    """A stored mitigation: fairness before and after, and the mitigated model version."""
    with workspace() as ws:
        _print_mitigation(ws.models.mitigation(reference, job), output)


def _print_mitigation(report, output: Format) -> None:
    if output is not Format.table:
        emit(report, output)
        return
    rows = [{"model": name, "accuracy": side.overall.accuracy, "selection_rate": side.overall.selection_rate,
             **side.disparities.model_dump()}
            for name, side in ((report.original_model, report.before), (report.mitigated_model, report.after))]
    table(rows, list(rows[0]), f"{report.feature}: ThresholdOptimizer ({report.constraints}, maximising "
                               f"{report.objective}) on {report.rows} rows; the mitigated model reads "
                               f"{report.feature} too")


# -- error analysis -------------------------------------------------------------------------------
def error_analysis(reference: str = REFERENCE, data: str = DATA, target: str = TARGET,
                   max_depth: int = typer.Option(3, "--max-depth", help="depth of the error tree (1 to 8)"),
                   compute: str = COMPUTE, no_wait: bool = NO_WAIT, output: Format = OUTPUT) -> None:
    """Where the model is wrong: a shallow tree over the features predicting its errors."""
    with workspace() as ws:
        job = ws.models.analyze_errors(reference, data, target=target, compute=compute, max_depth=max_depth)
        if wait_for_analysis(ws, job, no_wait):
            _print_errors(ws.models.error_analysis(reference, job.name), output)


def show_error_analysis(reference: str = REFERENCE, job: str = JOB, output: Format = OUTPUT) -> None:
    """The error tree of a stored error analysis."""
    with workspace() as ws:
        _print_errors(ws.models.error_analysis(reference, job), output)


def _print_errors(analysis, output: Format) -> None:
    if output is not Format.table:
        emit(analysis, output)
        return
    rows = [{"node": "  " * n.depth + (n.condition or "all rows"), "rows": n.rows, "errors": n.errors,
             "error_rate": n.error_rate, "error_coverage": n.error_coverage} for n in analysis.nodes]
    table(rows, ["node", "rows", "errors", "error_rate", "error_coverage"],
          f"error tree: {analysis.errors} errors in {analysis.rows} rows ({analysis.error_rate:.2%})")

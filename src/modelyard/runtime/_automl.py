"""An Automated ML job: the parent process that loads the data, runs the search and records it.

It runs as the job's command on its compute (``python -m modelyard.runtime.automl_runner``), so
logs, heartbeats, cancel and the time limit work as for any job. On a ``ray`` compute that command
is the Ray job's entrypoint, so the driver sits in the cluster, and the trials run as Ray tasks
across it (``executor="ray"``); elsewhere they run in local worker processes. Every trial becomes
a child job with its own MLflow run (parameters, all metrics, chart data as ``charts.json``) and
records where it ran (``executor``, and ``ray_node_id`` / ``ray_node_ip`` on Ray); the best model
is logged as an MLflow model in the best trial's run (its ``model_uri`` property), and the parent
job's properties carry ``best_child_run_id``, ``best_model_uri``, ``primary_metric``,
``best_score`` and the leaderboard.

A refit job (type ``automl_refit``, ``--refit``) is a child of one trial job: it fits that trial's
configuration on all training rows after the AutoML job ended, logs the model in the trial's run
exactly like the best model, and records ``model_uri`` on the trial and on itself. An explaining refit
(``spec.explain``) explains that model into its output ``explanation`` as the AutoML job explains its
best one; when the trial has a model already, it loads that model instead of fitting another.
"""

from __future__ import annotations

import argparse
import math
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from modelyard._json import plain
from modelyard.errors import InvalidInput, ModelyardError
from modelyard.runtime._entry import exit_with
from modelyard.services import ServiceContext, job_lifecycle as lifecycle, job_runs as runs, workspace as workspaces
from modelyard.services import _tracking as tracking
from modelyard.services.compute import as_utc
from modelyard.services.data import DataAssetService
from modelyard.services.job_runs import JobState
from modelyard.services.jobs import job_folder
from modelyard.spec.automl import AutoMLJob, TrialJob
from modelyard.spec.automl_progress import AutoMLProgress
from modelyard.spec.data import ParseSettings
from modelyard.spec.job_status import JobStatus, TrialStatus

END_RESERVE_SECONDS = 2.5      # after the engine: logging the model, writing the results, the process ending
JOB_ALLOWANCE_SECONDS = 180     # the hard time limit of an AutoML job past its budget (see command_for)
MIN_ENGINE_SHARE = 0.4         # of the budget, the engine gets at least, however long the job queued
EXPLANATION = "explanation"    # the output holding the best model's explanation (training.enable_model_explainability)
# rows a model-agnostic method explains against as many background rows at the end of a run: about 1 s for
# a voting ensemble on the HR data on one core, where the engine's default 100 x 100 takes about 25 s
AGNOSTIC_ROWS_AT_END = 30
# the share of the budget kept for explaining the best model (it bounds the rows explained; see explain_model)
EXPLANATION_SHARE, EXPLANATION_MIN_SECONDS, EXPLANATION_MAX_SECONDS = 0.1, 2.0, 120.0


def explanation_seconds(budget: float) -> float:
    """The time the explanation of the best model may take, out of a budget of ``budget`` seconds."""
    return min(max(EXPLANATION_SHARE * budget, EXPLANATION_MIN_SECONDS), EXPLANATION_MAX_SECONDS)


def command_for(spec: AutoMLJob, name: str, refit: bool = False, explain: bool = False) -> dict[str, Any]:
    """The command job an AutoML job (or a refit of one of its trials) runs as: the runner, its data
    inputs and a time limit with slack (a refit has no budget of its own: it gets twice the search's).
    The AutoML job explains its best model as its spec says; a refit when ``explain``."""
    inputs = {"training_data": spec.training_data.model_dump(mode="json")}
    command = (f"python -m modelyard.runtime.automl_runner {'--refit ' if refit else ''}--job {name} "
               "--training ${{inputs.training_data}}")
    if spec.validation_data is not None:
        inputs["validation_data"] = spec.validation_data.model_dump(mode="json")
        command += " --validation ${{inputs.validation_data}}"
    outputs = {}
    if (explain if refit else spec.training.enable_model_explainability):
        outputs[EXPLANATION] = None
        command += f" --explanation ${{{{outputs.{EXPLANATION}}}}}"
    seconds = spec.limits.timeout_minutes * 60
    # a hang guard, not the budget (the engine keeps that): what follows the search (the final refits, logging
    # and explaining the model) grows with the table, not the budget; a 60,000-row table at a 30 s budget was
    # killed at 1.1 x 30 + 30 s with its search done
    limit = math.ceil(seconds * 2) + 120 if refit else math.ceil(seconds * 1.25) + JOB_ALLOWANCE_SECONDS
    return {"type": "command", "command": command, "inputs": inputs, "outputs": outputs, "limits": {"timeout": limit},
            "compute": spec.compute, "environment": "system"}


def load_table(context: ServiceContext, path_spec: str, local_path: str, target: str | None = None):
    """A pandas DataFrame of a data input: a registered asset with its schema, or a plain file. An integer
    ``target`` column with missing values stays integer (pandas' nullable Int64), not float."""
    from modelyard import data as engine

    if path_spec.startswith("data:"):
        service = DataAssetService(context)
        name, version = path_spec.removeprefix("data:").rsplit(":", 1)
        asset = service.get(name, int(version))
        with service.local_copy(name, int(version)) as files:
            source = engine.TabularSource(tuple(str(f) for f in files.values()), asset.parse or ParseSettings())
            schema = asset.columns or engine.detect_schema(source).schema
            return _to_pandas(engine.read_arrow(source, schema), target)
    where = Path(local_path)
    files = [where] if where.is_file() else sorted(p for p in where.rglob("*") if p.is_file())
    source = engine.TabularSource(tuple(str(f) for f in files), ParseSettings())
    return _to_pandas(engine.read_arrow(source, engine.detect_schema(source).schema), target)


def _to_pandas(table, target: str | None):
    import pandas as pd
    import pyarrow as pa

    frame = table.to_pandas()
    if target in frame.columns and pa.types.is_integer(table.schema.field(target).type):
        frame[target] = table.column(target).to_pandas(types_mapper={table.schema.field(target).type:
                                                                     pd.Int64Dtype()}.get)
    return frame


class JobReporter:
    """Turns the engine's callbacks into child jobs, MLflow runs and the parent's live properties."""

    def __init__(self, context: ServiceContext, parent: JobState, run_id: str) -> None:
        self.context = context
        self.parent = parent
        self.run_id = run_id
        self.client = tracking.tracking_client(context.location)
        self.children: dict[str, tuple[str, str]] = {}  # trial id -> (job name, run id)
        self.greater = True

    def _properties(self, **values: Any) -> None:
        lifecycle.merge_properties(self.context, self.parent.name, **AutoMLProgress.part(**values))

    def on_featurization(self, summary: list[dict]) -> None:
        self.client.log_dict(self.run_id, plain(summary), "featurization_summary.json")
        self._properties(featurization=summary)

    def on_guardrails(self, rails: list[dict]) -> None:
        self.client.log_dict(self.run_id, plain(rails), "guardrails.json")
        self._properties(guardrails=rails)
        for rail in rails:
            print(f"guardrail {rail.get('name')}: {rail.get('status')} {rail.get('details', '')}", flush=True)

    def on_trial_start(self, trial_id: str, algorithm: str, params: dict) -> None:
        self._child(trial_id, algorithm, params)

    def _child(self, trial_id: str, algorithm: str, params: dict) -> tuple[str, str]:
        if trial_id in self.children:
            return self.children[trial_id]
        name = f"{self.parent.name}_{trial_id}"
        fields = dict(name=name, type="trial", display_name=algorithm, experiment_name=self.parent.experiment_name,
                      compute=self.parent.compute, parent=self.parent.name, step=trial_id,
                      spec=TrialJob(algorithm=algorithm, params=params).model_dump(), properties={"algorithm": algorithm}, attempt=1)
        run_id = tracking.start_run(self.context.location, JobState(status=JobStatus.NOT_STARTED, **fields),
                                    self.run_id)
        runs.add_started(self.context, mlflow_run_id=run_id, **fields)
        tracking.log_params(self.context.location, run_id, {"algorithm": algorithm, **params})
        self.children[trial_id] = (name, run_id)
        return name, run_id

    def on_trial_end(self, trial) -> None:
        from mlflow.entities import Metric

        name, run_id = self._child(trial.trial_id, trial.algorithm, trial.params)
        now = int(time.time() * 1000)
        metrics = [Metric(k, float(v), now, 0) for k, v in trial.metrics.items() if v is not None and math.isfinite(v)]
        if metrics:
            self.client.log_batch(run_id, metrics=metrics)
        if trial.charts:
            self.client.log_dict(run_id, plain(trial.charts), "charts.json")
        status = TrialStatus(trial.status).job_status
        # a stopped trial did not fail: its reason is a property, not the job's error
        stopped = trial.status == TrialStatus.EARLY_TERMINATED
        lifecycle.merge_properties(self.context, name, score=trial.primary, trial_status=trial.status,
                                   featurization=trial.featurization, members=trial.members, **trial.placement,
                                   **({"stopped_because": trial.error} if stopped else {}))
        runs.finish(self.context, name, status, error=None if stopped else trial.error)
        tracking.end_run(self.context.location, run_id, status)
        shown = f"{trial.primary:.4f}" if trial.primary is not None else "-"
        print(f"trial {trial.trial_id} {trial.algorithm}: {trial.status} {shown} ({trial.duration_seconds:.1f} s)",
              flush=True)

    def on_progress(self, done: int, best: float | None, seconds_left: float) -> None:
        self._properties(trials_done=done, best_score=best, seconds_left=round(seconds_left, 1))


def _features(spec: AutoMLJob, train):
    """The raw rows the model reads: target and weight removed."""
    return train.drop(columns=[c for c in (spec.target_column_name, spec.weight_column_name) if c])


def _example(spec: AutoMLJob, train):
    """A few raw rows: the model's input example."""
    return _features(spec, train).head(5)


def explain_logged(model, rows, folder: str, seconds: float | None = None) -> dict[str, Any]:
    """Explain a logged model (the best, or a refit trial's) on the training rows into ``folder``
    (``result.json``), on a sample of them if all would take more than ``seconds``; what happened, for
    the job's properties. The model is logged already: a failure is reported there, it does not undo
    the model."""
    from modelyard.explain import explain_model
    from modelyard.runtime._model_analysis import write_result

    try:
        explanation = explain_model(model, rows, agnostic_rows=AGNOSTIC_ROWS_AT_END,
                                    background_rows=AGNOSTIC_ROWS_AT_END, max_seconds=seconds)
    except Exception as error:  # noqa: BLE001  (any failure of the explainer is reported, the run stands)
        message = error.message if isinstance(error, ModelyardError) else f"{type(error).__name__}: {error}"
        print(f"warning: the model could not be explained: {message}", flush=True)
        return {"status": JobStatus.FAILED, "error": message}
    write_result(folder, explanation)
    print(f"model explained ({explanation.method} method, {explanation.rows_evaluated} rows)", flush=True)
    return {"status": JobStatus.COMPLETED, "method": explanation.method, "rows": explanation.rows_evaluated}


def run(job_name: str, training: str, validation: str | None, explanation: str | None = None) -> int:
    started = time.monotonic()
    location = workspaces.find()
    context = ServiceContext.open(location)
    try:
        parent = runs.get(context, job_name)
        executor = "ray" if (parent.properties or {}).get("compute_type") == "ray" else "processes"
        if executor == "processes":
            from modelyard.automl._pool import start_fork_server

            start_fork_server()  # its preloading overlaps this process's own imports and the data's loading
        from modelyard.automl import log_model_to_run, run_automl  # the engine, imported within "startup"

        spec = AutoMLJob.model_validate(parent.spec)
        # the budget is the time the user waits for the job: it counts from submission, queue and process
        # start-up included, to the best model logged and explained (the explanation gets a share of it)
        now = datetime.now(timezone.utc)
        ran = max((now - as_utc(parent.started_at)).total_seconds(), 0.0) if parent.started_at else 0.0
        waited = max((now - as_utc(parent.created_at)).total_seconds(), ran) if parent.created_at else ran
        budget = spec.limits.timeout_minutes * 60
        explaining = explanation_seconds(budget) if explanation else 0.0
        deadline = started + max(budget - waited - END_RESERVE_SECONDS - explaining, MIN_ENGINE_SHARE * budget)
        target = spec.target_column_name
        train = load_table(context, spec.training_data.path, training, target)
        valid = load_table(context, spec.validation_data.path, validation, target) if validation else None
        loaded = time.monotonic()
        print(f"training data: {len(train)} rows x {train.shape[1]} columns; target {spec.target_column_name!r}; "
              f"primary metric {spec.primary_metric}; budget {spec.limits.timeout_minutes} min; "
              f"trials on {executor}", flush=True)
        run_id = tracking.tracking_client(location).get_run(parent.mlflow_run_id).info.run_id
        reporter = JobReporter(context, parent, run_id)
        result = run_automl(spec, train, valid, reporter=reporter, executor=executor, deadline=deadline)
        searched = time.monotonic()
        best = result.best
        best_job, best_run = reporter.children[best.trial_id]
        model_uri = log_model_to_run(best, best_run, "model", input_example=_example(spec, train))
        lifecycle.merge_properties(context, best_job, model_uri=model_uri)
        logged = time.monotonic()
        # the explanation's share, or all that is left of the budget when the search ended early
        explaining = max(explaining, started + budget - waited - END_RESERVE_SECONDS - time.monotonic())
        explained = explain_logged(best.model, _features(spec, train), explanation, explaining) if explanation \
            else None
        explained_at = time.monotonic()
        leaderboard = [{"trial": t.trial_id, "algorithm": t.algorithm, "score": t.primary, "status": t.status,
                        "job": reporter.children.get(t.trial_id, (None,))[0]} for t in result.trials]
        tracking.tracking_client(location).log_dict(run_id, plain(leaderboard), "leaderboard.json")
        timings = {"queued_seconds": round(waited - ran, 3), "startup_seconds": round(ran, 3),
                   "loading_seconds": round(loaded - started, 3),
                   **{k: v for k, v in result.timings.items() if k != "total_seconds"},
                   "engine_seconds": result.timings.get("total_seconds"),
                   "model_logging_seconds": round(logged - searched, 3),
                   "budgeted_seconds": round(waited + logged - started, 3),
                   **({"explanation_seconds": round(explained_at - logged, 3)} if explained else {}),
                   "total_seconds": round(waited + time.monotonic() - started, 3)}
        reporter._properties(best_child_run_id=best_run, best_child_job=best_job, best_model_uri=model_uri,
                             primary_metric=result.primary_metric, best_score=best.primary, leaderboard=leaderboard,
                             classes=result.classes, validation=result.validation, timings=timings,
                             **({"explanation": explained} if explained else {}))
        print(f"best: {best.algorithm} ({best.trial_id}) {result.primary_metric} = {best.primary:.4f}; "
              f"model {model_uri}", flush=True)
        return 0
    finally:
        context.close()


def refit(job_name: str, training: str, validation: str | None, explanation: str | None = None) -> int:
    """Fit the configuration a refit job carries on all training rows; log it in its trial's run. With
    ``explanation`` (an explaining refit), explain the model into that folder, loading the trial's model
    when it has one; a failed explanation fails the job, since it was what the job was asked for."""
    from modelyard import automl

    context = ServiceContext.open(workspaces.find())
    try:
        row = runs.get(context, job_name)
        trial = runs.get(context, row.parent)
        spec = AutoMLJob.model_validate(row.spec["automl"])
        wanted = row.spec["configuration"]
        config = automl.TrialConfig(wanted["algorithm"], wanted["params"],
                                    [automl.TrialConfig(m["algorithm"], m["params"], weight=m["weight"])
                                     for m in wanted.get("members", [])])
        target = spec.target_column_name
        train = load_table(context, spec.training_data.path, training, target)
        valid = load_table(context, spec.validation_data.path, validation, target) if validation else None
        model_uri = (trial.properties or {}).get("model_uri") if explanation else None
        if model_uri:
            print(f"loading the model of {trial.name} ({config.algorithm}): {model_uri}", flush=True)
            model = _load_logged(context, model_uri, job_folder(context, job_name) / f"attempt-{row.attempt}")
        else:
            print(f"refitting {trial.name} ({config.algorithm}) on {len(train)} rows", flush=True)
            model = automl.refit_trial(spec, train, valid, config)
            model_uri = automl.log_model_to_run(model, trial.mlflow_run_id, "model",
                                                input_example=_example(spec, train))
            lifecycle.merge_properties(context, trial.name, model_uri=model_uri, refit_job=job_name)
            lifecycle.merge_properties(context, job_name, model_uri=model_uri)
            print(f"model {model_uri}", flush=True)
        if explanation is None:
            return 0
        explained = explain_logged(model, _features(spec, train), explanation)
        lifecycle.merge_properties(context, job_name, model_uri=model_uri, explanation=explained)
        if explained["status"] != JobStatus.COMPLETED:
            raise InvalidInput(f"the model of {trial.name} could not be explained: {explained['error']}")
        return 0
    finally:
        context.close()


def _load_logged(context: ServiceContext, uri: str, folder: Path):
    """The fitted model at MLflow URI ``runs:/<run>/model``, downloaded into ``folder``."""
    from modelyard.explain import load_explainable

    run_id, _, artifact = uri.removeprefix("runs:/").partition("/")
    folder.mkdir(parents=True, exist_ok=True)
    local = tracking.tracking_client(context.location).download_artifacts(run_id, artifact or "model", str(folder))
    return load_explainable(local)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m modelyard.runtime.automl_runner")
    parser.add_argument("--job", required=True)
    parser.add_argument("--training", required=True)
    parser.add_argument("--validation")
    parser.add_argument("--refit", action="store_true", help="the job is a refit of one trial's configuration")
    parser.add_argument("--explanation", help="folder for the best model's explanation (omitted: not explained)")
    args = parser.parse_args()
    if args.refit:
        exit_with(refit, args.job, args.training, args.validation, args.explanation)
    exit_with(run, args.job, args.training, args.validation, args.explanation)

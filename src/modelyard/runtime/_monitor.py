"""A monitor run: the process that reads the reference and production data once and runs each signal per period.

It runs as the job's command on its compute (``python -m modelyard.runtime.monitor_runner``), so logs,
heartbeats, cancel and outputs work as for any job. A period without production rows is a
``no_production_data`` result and the job still completes; the result is written as
``outputs.monitor/result.json`` only once it is whole.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from modelyard.runtime._automl import load_table
from modelyard.runtime._batch import copy_model
from modelyard.runtime._entry import run_with_options
from modelyard.runtime._model_analysis import write_result
from modelyard.services import ServiceContext, workspace as workspaces
from modelyard.services.data_collection import DataCollectionService
from modelyard.services.jobs import job_folder
from modelyard.services.model_analyses import ModelAnalysisService
from modelyard.services import job_runs as runs
from modelyard.services.monitors import emit_alerts
from modelyard.spec.monitor import DataWindow, MonitorSignal, SignalResult, TopFeatures
from modelyard.spec.monitor_definition import (MONITOR_OUTPUT, MonitorJob, MonitorPeriodResult, MonitorRunResult,
                                               PeriodStatus)


def command_for(spec: MonitorJob, name: str) -> dict[str, Any]:
    """The command job a monitor run is: the runner, writing the ``monitor`` output."""
    command = f"python -m modelyard.runtime.monitor_runner --job {name} --output ${{{{outputs.{MONITOR_OUTPUT}}}}}"
    return {"type": "command", "command": command, "compute": spec.compute, "environment": "system",
            "outputs": {MONITOR_OUTPUT: None}}


def in_period(signal: MonitorSignal, start: datetime | None, end: datetime | None) -> MonitorSignal:
    """The signal with its production window replaced by [start, end), when the run gives one."""
    if start is None and end is None:
        return signal
    window = DataWindow(window_start=start, window_end=end)
    return signal.model_copy(update={"production_data": signal.production_data.model_copy(
        update={"data_window": window})})


def period_outcome(signals: dict[str, SignalResult]) -> tuple[PeriodStatus, str]:
    """Failed when any signal failed; passed when any passed; else no production data in the period."""
    statuses = {result.status for result in signals.values()}
    status = "failed" if "failed" in statuses else "passed" if "passed" in statuses else "no_production_data"
    return status, "; ".join(f"{name}: {result.message}" for name, result in signals.items())


def parse_times_once(spec: MonitorJob, tables: dict[str, Any]) -> None:
    """Text timestamp columns of the production tables parsed once, not once per period and signal; a column
    with a value that does not parse stays text, so that the engine names the value."""
    import pandas as pd

    for signal in spec.definition.signals().values():
        frame, column = tables[signal.production_data.input_data.path], signal.production_data.timestamp_column
        if column not in frame.columns or pd.api.types.is_datetime64_any_dtype(frame[column].dtype):
            continue
        times = pd.to_datetime(frame[column], errors="coerce", utc=True, format="ISO8601")
        if not (times.isna() & frame[column].notna()).any():
            frame[column] = times


def evaluate(spec: MonitorJob, tables: dict[str, Any], job: str,
             importance: dict[str, float] | None = None) -> MonitorRunResult:
    """Every signal over every period of the run; ``tables``: the data by path (text timestamps get parsed);
    ``importance``: the model's global feature importance, for ``top_n_feature_importance``."""
    from modelyard.monitor import compute_drift

    parse_times_once(spec, tables)
    periods = []
    for start, end in spec.periods:
        results = {}
        for name, signal in spec.definition.signals().items():
            signal = in_period(signal, start, end)
            results[name] = compute_drift(tables[signal.reference_data.input_data.path],
                                          tables[signal.production_data.input_data.path], signal, now=spec.now,
                                          importance=importance)
        status, message = period_outcome(results)
        first = next(iter(results.values()))
        periods.append(MonitorPeriodResult(window_start=start or first.window_start,
                                           window_end=end or first.window_end, status=status, message=message,
                                           signals=results))
    return MonitorRunResult(monitor=spec.monitor, job=job, periods=periods)


def model_importance(context: ServiceContext, spec: MonitorJob, tables: dict[str, Any],
                     job: str) -> dict[str, float] | None:
    """The global feature importance of the run's model: its newest stored explanation's, else explained now
    over the reference data (its first signal's that ranks features)."""
    if spec.model is None:
        return None
    from modelyard.errors import NotFound
    from modelyard.spec.explain import Explanation

    try:
        stored = ModelAnalysisService(context).result(spec.model, "explanation")
        print(f"feature importance: the stored explanation of model {spec.model}", flush=True)
        return Explanation.model_validate(stored).global_importance()
    except NotFound:
        pass
    from modelyard import explain
    from modelyard.monitor._features import left_out

    signal = next(s for s in spec.definition.signals().values() if isinstance(s.features, TopFeatures))
    reference = tables[signal.reference_data.input_data.path]
    rows = reference.drop(columns=[c for c in left_out(signal) if c in reference.columns])
    model = explain.load_explainable(copy_model(context, spec.model, job_folder(context, job) / "model"))
    print(f"feature importance: model {spec.model} has no explanation; explaining it on {len(rows)} reference rows",
          flush=True)
    return explain.explain_model(model, rows).global_importance()


def read_side(context: ServiceContext, spec: MonitorJob, path: str):
    """A pandas DataFrame of one side's data: a data asset version, or an endpoint's collected data read over
    the hours the run's windows cover."""
    collection = DataCollectionService(context)
    if collection.find(path) is None:
        frame = load_table(context, "data:" + path.removeprefix("azureml:"), "")
        print(f"read {path.removeprefix('azureml:')}: {len(frame)} rows", flush=True)
        return frame
    start, end = covered(spec, path)
    data = collection.read_named(path, start, end)
    skipped = f", {len(data.skipped_files)} files that did not read skipped" if data.skipped_files else ""
    print(f"read {path.removeprefix('azureml:')}: {data.table.num_rows} rows from {data.files} files{skipped}",
          flush=True)
    return data.table.to_pandas()


def covered(spec: MonitorJob, path: str) -> tuple[datetime | None, datetime | None]:
    """The span of every production window the run reads from ``path`` (None: unbounded on that side)."""
    from modelyard.monitor._tables import window_bounds

    starts, ends = [], []
    for signal in spec.definition.signals().values():
        if signal.reference_data.input_data.path == path:
            return None, None  # a reference too: read it whole
        if signal.production_data.input_data.path != path:
            continue
        for start, end in spec.periods:
            window = in_period(signal, start, end).production_data.data_window
            bounds = window_bounds(window, spec.now) if window else (None, None)
            starts.append(bounds[0])
            ends.append(bounds[1])
    return (None if None in starts else min(starts, default=None),
            None if None in ends else max(ends, default=None))


def log_metrics(result: MonitorRunResult) -> None:
    """Per period (the step) and signal: how many features failed and how many production rows there were, into
    the job's MLflow run, so the studio and MLflow chart a signal over time."""
    import os

    if not os.environ.get("MLFLOW_RUN_ID"):
        return
    import mlflow
    from mlflow.entities import Metric

    metrics = [Metric(f"{name}.{key}", value, int((period.window_end or datetime.now()).timestamp() * 1000), step)
               for step, period in enumerate(result.periods) for name, signal in period.signals.items()
               for key, value in (("failed_features", len(signal.failed_features)),
                                  ("production_rows", signal.production_rows))]
    mlflow.MlflowClient().log_batch(os.environ["MLFLOW_RUN_ID"], metrics=metrics)


def run(job_name: str, output_path: str) -> int:
    context = ServiceContext.open(workspaces.find())
    try:
        spec = MonitorJob.model_validate(runs.get(context, job_name).spec)
        paths = {data.input_data.path for signal in spec.definition.signals().values()
                 for data in (signal.reference_data, signal.production_data)}
        tables = {path: read_side(context, spec, path) for path in sorted(paths)}
        result = evaluate(spec, tables, job_name, model_importance(context, spec, tables, job_name))
        write_result(output_path, result)
        log_metrics(result)
        emit_alerts(context, result)
        for period in result.periods:
            when = f"{period.window_start or '-'} to {period.window_end or '-'}"
            print(f"{when}: {period.status}: {period.message}", flush=True)
        return 0
    finally:
        context.close()


def main() -> None:
    run_with_options("python -m modelyard.runtime.monitor_runner", run, "--job", "--output")

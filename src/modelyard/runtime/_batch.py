"""A batch scoring job: the process that splits the input into mini-batches, scores them and writes the result.

It runs as the job's command on the deployment's compute (``python -m modelyard.runtime.batch_runner``),
so logs, heartbeats, cancel and outputs work as for any job. The model version is copied out of
the registry with its sha256 checked, then loaded through the serving engine. Mini-batches are
scored in this process, in a local process pool (``instance_count * max_concurrency_per_instance``
processes) or, on a ``ray`` compute, as Ray tasks spread over the cluster. Predictions are
appended to the input rows in ``outputs.score/<output_file_name>`` in input order; rows or files
that fail are written with their error to ``errors.jsonl``. Progress goes to the job's properties
and MLflow metrics; the job fails once more rows (or files) failed than ``error_threshold``.
"""

from __future__ import annotations

import json
import math
import shutil
import sys
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelyard.runtime._entry import run_with_options
from modelyard.runtime._batch_score import MiniBatch, MiniBatchResult, ScoringTask, load_scorer, score_mini_batch
from modelyard.services import ServiceContext, job_lifecycle as lifecycle, workspace as workspaces
from modelyard.services._tracking import tracking_client
from modelyard.services.data import DataAssetService
from modelyard.services import job_runs as runs
from modelyard.services.jobs import job_folder
from modelyard.services.models import ModelService
from modelyard.spec.batch_endpoint import BatchScoringSettings
from modelyard.spec.data import ParseSettings
from modelyard.spec.job import BatchScoringJob

INPUT, OUTPUT = "input_data", "score"
ERRORS_FILE = "errors.jsonl"
REPORT_SECONDS = 1.0


def command_for(spec: BatchScoringJob, name: str) -> dict[str, Any]:
    """The command job a batch scoring job runs as: the runner over the input, writing the score output."""
    command = (f"python -m modelyard.runtime.batch_runner --job {name} --input ${{{{inputs.{INPUT}}}}} "
               f"--output ${{{{outputs.{OUTPUT}}}}}")
    document = {"type": "command", "command": command, "compute": spec.compute,
                "environment": spec.model_dump(mode="json")["environment"],
                "inputs": {k: v.model_dump(mode="json") for k, v in spec.inputs.items()},
                "outputs": {k: v.model_dump(mode="json") if v else None for k, v in spec.outputs.items()}}
    if spec.code_configuration is not None:
        document["code"] = spec.code_configuration.code
    return document


# -- reading the input ---------------------------------------------------------------------------
@dataclass
class Reading:
    unit: str  # "rows" or "files"
    items: int
    batches: Iterator[MiniBatch]  # lazy: nothing is read before the first mini-batch is taken


def read_input(context: ServiceContext, spec: BatchScoringJob, local_path: str, size: int) -> Reading:
    """The input split into mini-batches of ``size`` rows (tables) or files (``uri_folder``)."""
    from modelyard import data as engine

    path_spec, declared = spec.inputs[INPUT].path, spec.inputs[INPUT].type
    asset = None
    if path_spec.startswith("data:"):
        name, version = path_spec.removeprefix("data:").rsplit(":", 1)
        asset = DataAssetService(context).get(name, int(version))
    local = Path(local_path)
    kind = declared or (asset.type if asset else "uri_folder" if local.is_dir() else "uri_file")
    found = [local] if local.is_file() else sorted(p for p in local.rglob("*") if p.is_file())
    if kind == "uri_folder":
        files = [str(p) for p in found]
        return Reading("files", len(files), (MiniBatch(i, files=files[start:start + size])
                                             for i, start in enumerate(range(0, len(files), size))))
    if asset is not None and local.is_dir():
        found = [local / entry["name"] for entry in DataAssetService(context).files(asset.name, asset.version)]
    source = engine.TabularSource(tuple(str(p) for p in found), (asset.parse if asset else None) or ParseSettings())
    schema = engine.as_written((asset.columns if asset else None) or engine.detect_schema(source).schema)
    rows = asset.rows if asset is not None and asset.rows is not None else engine.validate(source, schema)
    return Reading("rows", rows, _row_batches(engine.iter_batches(source, schema, size), size))


def _row_batches(batches, size: int) -> Iterator[MiniBatch]:
    """Arrow record batches regrouped into tables of exactly ``size`` rows (the last may be shorter)."""
    import pyarrow as pa

    buffer, held, index, first = [], 0, 0, 0
    for batch in batches:
        while batch.num_rows:
            take = min(size - held, batch.num_rows)
            buffer.append(batch.slice(0, take))
            batch, held = batch.slice(take), held + take
            if held == size:
                yield MiniBatch(index, first_row=first, rows=pa.Table.from_batches(buffer))
                buffer, held, index, first = [], 0, index + 1, first + size
    if buffer:
        yield MiniBatch(index, first_row=first, rows=pa.Table.from_batches(buffer))


# -- where mini-batches run -------------------------------------------------------------------
class InProcess:
    """Scores in the job's own process (one mini-batch at a time)."""

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as error:
            future.set_exception(error)
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


class RayTasks:
    """One Ray task per mini-batch, spread over the cluster; a task takes 1/max_concurrency_per_instance CPU."""

    def __init__(self, settings: BatchScoringSettings) -> None:
        import ray

        ray.init(address="auto", log_to_driver=True)
        self.ray = ray
        self.task = ray.remote(score_mini_batch).options(
            num_cpus=1 / settings.max_concurrency_per_instance, scheduling_strategy="SPREAD", max_retries=0)

    def submit(self, fn, *args) -> Future:
        return self.task.remote(*args).future()

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        self.ray.shutdown()


def executor_for(compute_type: str, settings: BatchScoringSettings):
    """Where mini-batches run, and how many may be submitted and not yet taken: Ray starts every task it
    is given as soon as the cluster has room, a pool of processes keeps one queued per worker."""
    if compute_type == "ray":
        return RayTasks(settings), settings.concurrency
    if settings.concurrency == 1:
        return InProcess(), 1
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(settings.concurrency, mp_context=multiprocessing.get_context("spawn"))
    return pool, 2 * settings.concurrency


def scored(executor, task: ScoringTask, batches: Iterator[MiniBatch], in_flight: int) -> Iterator[MiniBatchResult]:
    """Results in input order, with at most ``in_flight`` mini-batches submitted and not yet taken."""
    pending: deque[Future] = deque()
    try:
        for batch in batches:
            pending.append(executor.submit(score_mini_batch, task, batch))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


# -- writing and reporting ------------------------------------------------------------------
class OutputWriter:
    """Appends scored rows to the predictions file and failures to the errors file, in input order."""

    def __init__(self, folder: Path, settings: BatchScoringSettings) -> None:
        append = settings.output_action == "append_row"
        self.predictions = folder / settings.output_file_name if append else None
        self.errors = folder / ERRORS_FILE
        self.first_error: str | None = None

    def add(self, result: MiniBatchResult) -> None:
        if self.predictions is not None and result.output is not None and len(result.output):
            result.output.to_csv(self.predictions, mode="a", header=not self.predictions.exists(), index=False)
        if result.errors:
            first = result.errors[0]
            self.first_error = self.first_error or (
                f"mini-batch {first['mini_batch']}" + (f", row {first['row']}" if "row" in first else "")
                + (f", file {first['file']}" if "file" in first else "") + f": {first['error']}")
            with self.errors.open("a", encoding="utf-8") as out:
                for error in result.errors:
                    out.write(json.dumps(error, default=str) + "\n")


class Progress:
    """Counts mini-batches and rows (or files); shown in the log, the job's properties and MLflow metrics."""

    def __init__(self, context: ServiceContext, job: str, run_id: str | None, unit: str, total: int) -> None:
        self.context, self.job, self.run_id, self.unit = context, job, run_id, unit
        self.values = {"mini_batches_total": total, "mini_batches_done": 0, "mini_batches_failed": 0,
                       f"{unit}_scored": 0, f"{unit}_failed": 0}
        self.workers: set[str] = set()
        self.reported = 0.0

    @property
    def failed(self) -> int:
        return self.values[f"{self.unit}_failed"]

    def add(self, result: MiniBatchResult) -> None:
        values = self.values
        values["mini_batches_done"] += 1
        values["mini_batches_failed"] += 1 if result.failed else 0
        values[f"{self.unit}_scored"] += result.size - result.failed
        values[f"{self.unit}_failed"] += result.failed
        self.workers.add(result.worker)
        retried = f", {result.tries} tries" if result.tries > 1 else ""
        print(f"mini-batch {result.index + 1}/{values['mini_batches_total']}: {result.size - result.failed} "
              f"{self.unit} scored, {result.failed} failed ({result.worker}{retried})", flush=True)
        for error in result.errors[:3]:
            print(f"  failed: {error['error']}", flush=True)
        if time.monotonic() - self.reported >= REPORT_SECONDS:
            self.report()

    def report(self) -> None:
        self.reported = time.monotonic()
        nodes = sorted({worker.rsplit(":", 1)[0] for worker in self.workers})
        lifecycle.merge_properties(self.context, self.job, **{**self.values, "unit": self.unit, "nodes": nodes,
                                                              "workers": len(self.workers)})
        if self.run_id:
            from mlflow.entities import Metric


            now, step = int(time.time() * 1000), self.values["mini_batches_done"]
            tracking_client(self.context.location).log_batch(
                self.run_id, metrics=[Metric(k, float(v), now, step) for k, v in self.values.items()])


# -- the job's process ----------------------------------------------------------------------
def copy_model(context: ServiceContext, reference: str, target: Path) -> Path:
    """The registered model version's files at ``target``, each checked against its sha256."""
    models = ModelService(context)
    name, version = reference.rsplit(":", 1)
    shutil.rmtree(target, ignore_errors=True)
    with models.local_folder(name, int(version)) as verified:
        shutil.copytree(verified, target)
    return target


def scoring_task(context: ServiceContext, job: str, attempt: int, spec: BatchScoringJob) -> ScoringTask:
    """The verified model copied into the attempt's folder, and the script unpacked next to it, if any."""
    folder = job_folder(context, job) / f"attempt-{attempt}"
    code, retry = spec.code_configuration, spec.settings.retry_settings
    return ScoringTask(model_dir=str(copy_model(context, spec.model, folder / "model")),
                       script=str(folder / "code" / code.scoring_script) if code else None,
                       code_dir=str(folder / "code") if code else None,
                       max_retries=retry.max_retries, timeout=retry.timeout)


def score_all(executor, in_flight: int, task: ScoringTask, reading: Reading, progress: Progress,
              writer: OutputWriter, threshold: int) -> bool:
    """Score every mini-batch, or stop once more than ``threshold`` items failed; whether it stopped."""
    try:
        for result in scored(executor, task, reading.batches, in_flight):
            writer.add(result)
            progress.add(result)
            if threshold != -1 and progress.failed > threshold:
                return True
        return False
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
        progress.report()


def run(job_name: str, input_path: str, output_path: str) -> int:
    context = ServiceContext.open(workspaces.find())
    try:
        row = runs.get(context, job_name)
        spec = BatchScoringJob.model_validate(row.spec)
        settings, code = spec.settings, spec.code_configuration
        task = scoring_task(context, job_name, row.attempt, spec)
        try:
            load_scorer(task)  # a model or script that cannot load fails the job before any mini-batch
        except Exception as error:
            what = f"scoring script {code.scoring_script}" if code else f"model {spec.model}"
            print(f"error: cannot load {what}: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
            return 2
        reading = read_input(context, spec, input_path, settings.mini_batch_size)
        total = math.ceil(reading.items / settings.mini_batch_size)
        executor, in_flight = executor_for(row.properties.get("compute_type", "local"), settings)
        print(f"scoring {reading.items} {reading.unit} of {spec.inputs[INPUT].path} with model {spec.model} in "
              f"{total} mini-batches of {settings.mini_batch_size}, {settings.concurrency} at a time on "
              f"{spec.compute}", flush=True)
        progress = Progress(context, job_name, row.mlflow_run_id, reading.unit, total)
        writer = OutputWriter(Path(output_path), settings)
        unit, threshold = reading.unit, settings.error_threshold
        if score_all(executor, in_flight, task, reading, progress, writer, threshold):
            print(f"error: {progress.failed} {unit} failed, more than error_threshold {threshold}; "
                  f"first failure: {writer.first_error}", file=sys.stderr, flush=True)
            return 1
        failed = progress.failed
        print(f"scored {progress.values[f'{unit}_scored']} {unit} in {progress.values['mini_batches_done']} "
              f"mini-batches; {failed} failed" + (f" (see {ERRORS_FILE})" if failed else ""), flush=True)
        return 0
    finally:
        context.close()


def main() -> None:
    run_with_options("python -m modelyard.runtime.batch_runner", run, "--job", "--input", "--output")

"""``Run``: one MLflow run in the workspace's tracking store.

A run started by ``experiment.start_logging()`` is an ``interactive`` job logged from this process
(``complete()`` ends it); a run of a submitted job (a script or AutoML) is that job, read through the SDK; ``Run.get_context()`` inside a job is
the job's own run and logs through ``modelyard.run``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from modelyard.azureml._v1 import RefuseOtherMembers
from modelyard.errors import InvalidInput, ModelyardError
from modelyard.spec.job_status import JobStatus

STATUS = {"RUNNING": JobStatus.RUNNING, "FINISHED": JobStatus.COMPLETED, "FAILED": JobStatus.FAILED,
          "KILLED": JobStatus.CANCELED, "SCHEDULED": JobStatus.QUEUED}  # MLflow's run statuses
TABLES = "tables"


class Run(RefuseOtherMembers):
    _equivalents = {"log_image": "mlflow.log_figure / modelyard.run.log_image",
                    "log_row": "run.log per value, or modelyard.run.log_row",
                    "get_context": "Run.get_context() (a static method)"}

    def __init__(self, experiment: Any, run_id: str | None = None, *, job: str | None = None,
                 mlflow_run_id: str | None = None, interactive: bool = False) -> None:
        self.experiment = experiment
        self._interactive = interactive
        self._job = job or (run_id if run_id and mlflow_run_id is None and _looks_like_job(experiment, run_id)
                            else None)
        self._mlflow_run_id = mlflow_run_id or (None if self._job else run_id)

    # -- what the run is -------------------------------------------------------------------
    @property
    def _sdk(self):
        return self.experiment.workspace.sdk

    @property
    def id(self) -> str:
        return self._job or self._mlflow_run_id

    @property
    def mlflow_run_id(self) -> str:
        if self._mlflow_run_id is None:
            self._mlflow_run_id = self._wait_for_run_id()
        return self._mlflow_run_id

    def _wait_for_run_id(self, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while (job := self._sdk.jobs.get(self._job)).mlflow_run_id is None:
            if job.status in (JobStatus.FAILED, JobStatus.CANCELED) or time.monotonic() > deadline:
                raise InvalidInput(f"job {self._job} has no MLflow run ({job.status}): {job.error or 'not started'}")
            time.sleep(0.3)
        return job.mlflow_run_id

    @property
    def _tracking(self):
        from modelyard.client._tracking import tracking_client

        return tracking_client(self._sdk)

    def get_status(self) -> str:
        if self._job:
            return self._sdk.jobs.get(self._job).status
        return STATUS.get(self._tracking.get_run(self.mlflow_run_id).info.status, JobStatus.RUNNING)

    @property
    def status(self) -> str:
        return self.get_status()

    def get_details(self) -> dict[str, Any]:
        details = {"runId": self.id, "status": self.get_status(), "experiment": self.experiment.name,
                   "mlflowRunId": self._mlflow_run_id}
        if self._job:
            job = self._sdk.jobs.get(self._job)
            details.update(target=job.compute, properties=job.properties, error=job.error,
                           startTimeUtc=job.started_at, endTimeUtc=job.ended_at)
        return details

    @property
    def properties(self) -> dict[str, Any]:
        return self._sdk.jobs.get(self._job).properties if self._job else {}

    # -- logging ----------------------------------------------------------------------------
    def log(self, name: str, value: float, description: str = "", step: int | None = None) -> None:
        from mlflow.entities import Metric

        history = self._tracking.get_metric_history(self.mlflow_run_id, name) if step is None else []
        self._tracking.log_batch(self.mlflow_run_id, metrics=[
            Metric(name, float(value), int(time.time() * 1000), len(history) if step is None else step)])

    def log_list(self, name: str, value: list[float], description: str = "") -> None:
        from mlflow.entities import Metric

        now = int(time.time() * 1000)
        self._tracking.log_batch(self.mlflow_run_id, metrics=[Metric(name, float(v), now, step)
                                                              for step, v in enumerate(value)])

    def log_table(self, name: str, value: dict[str, list[Any]], description: str = "") -> None:
        self._tracking.log_dict(self.mlflow_run_id, dict(value), f"{TABLES}/{name}.json")

    def tag(self, key: str, value: str | None = None) -> None:
        self._tracking.set_tag(self.mlflow_run_id, key, "" if value is None else str(value))

    def get_metrics(self, name: str | None = None) -> dict[str, Any]:
        """v1's shape: one value per metric, a list for a metric logged several times, a table as a dict."""
        metrics: dict[str, Any] = {}
        for metric, points in self._metric_history().items():
            values = [point["value"] for point in sorted(points, key=lambda point: point["step"])]
            metrics[metric] = values[0] if len(values) == 1 else values
        for path in self.get_file_names():
            if path.startswith(f"{TABLES}/") and path.endswith(".json"):
                metrics[path[len(TABLES) + 1:-5]] = self._read_json(path)
        return {name: metrics[name]} if name is not None else metrics

    def _metric_history(self) -> dict[str, list[dict[str, Any]]]:
        """Every value of every metric, ``{name: [{"step", "value"}]}``: a job's through the SDK."""
        if self._job:
            return self._sdk.jobs.metric_history(self._job)
        client, run_id = self._tracking, self.mlflow_run_id
        return {metric: [{"step": m.step, "value": m.value} for m in client.get_metric_history(run_id, metric)]
                for metric in client.get_run(run_id).data.metrics}

    def _read_json(self, path: str) -> Any:
        with tempfile.TemporaryDirectory() as scratch:
            return json.loads(Path(self.download_file(path, scratch)).read_text())

    # -- files ------------------------------------------------------------------------------
    def upload_file(self, name: str, path_or_stream: str | Path) -> None:
        """Store a local file as ``name`` (e.g. ``outputs/model.pkl``) among the run's files."""
        source = Path(path_or_stream)
        if not source.is_file():
            raise InvalidInput(f"path_or_stream: {source} is not a file on this machine")
        with tempfile.TemporaryDirectory(prefix="modelyard-v1-") as scratch:
            staged = Path(scratch) / Path(name).name
            shutil.copyfile(source, staged)
            folder = str(Path(name).parent)
            self._tracking.log_artifact(self.mlflow_run_id, str(staged), None if folder == "." else folder)

    def upload_folder(self, name: str, path: str | Path) -> None:
        self._tracking.log_artifacts(self.mlflow_run_id, str(path), name)

    def get_file_names(self) -> list[str]:
        if self._job:
            return [f["path"] for f in self._sdk.jobs.artifacts(self._job)]
        files, folders = [], [None]
        while folders:
            for entry in self._tracking.list_artifacts(self.mlflow_run_id, folders.pop()):
                (folders if entry.is_dir else files).append(entry.path)
        return sorted(files)

    def download_file(self, name: str, output_file_path: str | Path | None = None) -> str:
        """Save the run's file ``name`` at ``output_file_path`` (a file, or a folder to put it in); its path."""
        target = Path(output_file_path or Path(name).name)
        if target.is_dir():
            target = target / Path(name).name
        if name not in self.get_file_names():
            raise InvalidInput(f"run {self.id} has no file {name!r}; it has: {', '.join(self.get_file_names()) or 'none'}")
        if self._job:
            return str(self._sdk.jobs.download_artifact(self._job, name, target))
        with tempfile.TemporaryDirectory(prefix="modelyard-v1-") as scratch:
            local = self._tracking.download_artifacts(self.mlflow_run_id, name, scratch)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(local, target)
        return str(target)

    def download_files(self, prefix: str | None = None, output_directory: str | Path | None = None) -> None:
        for name in self.get_file_names():
            if prefix is None or name.startswith(prefix):
                destination = Path(output_directory or ".") / name
                destination.parent.mkdir(parents=True, exist_ok=True)
                self.download_file(name, destination)

    # -- lifecycle ---------------------------------------------------------------------------
    def complete(self, _set_status: bool = True) -> None:
        self._end("FINISHED")

    def fail(self, error_details: Any = None, error_code: Any = None, _set_status: bool = True) -> None:
        self._end("FAILED", None if error_details is None else str(error_details))

    def cancel(self) -> None:
        if self._job:
            self._sdk.jobs.cancel(self._job)
        else:
            self._end("KILLED")

    def _end(self, status: str, error: str | None = None) -> None:
        if self._interactive:
            self._sdk.jobs.end_interactive(self._job, STATUS[status], error)
        elif self._job:
            raise InvalidInput(f"run {self.id} is a job: it ends when its script ends (cancel() stops it)")
        else:
            self._tracking.set_terminated(self.mlflow_run_id, status)

    def wait_for_completion(self, show_output: bool = False, wait_post_processing: bool = False,
                            raise_on_error: bool = True) -> dict[str, Any]:
        if self._job:
            job = self._sdk.jobs.stream(self._job) if show_output else self._sdk.jobs.wait(self._job)
            if job.status != JobStatus.COMPLETED and raise_on_error:
                raise ModelyardError(f"run {self.id} ended {job.status}: {job.error}")
        return self.get_details()

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if self._interactive or not self._job:
            self._end("FINISHED" if kind is None else "FAILED", None if error is None else repr(error))

    # -- children and models ---------------------------------------------------------------
    def get_children(self, recursive: bool = False, **_: Any) -> list["Run"]:
        if not self._job:
            return []
        return [Run(self.experiment, job=child.name, mlflow_run_id=child.mlflow_run_id)
                for child in self._sdk.jobs.children(self._job)]

    def register_model(self, model_name: str, model_path: str | None = None, tags: dict[str, Any] | None = None,
                       properties: dict[str, Any] | None = None, model_framework: str | None = None,
                       model_framework_version: str | None = None, description: str | None = None, **more: Any):
        """Register the run's file or folder ``model_path`` (default: its MLflow ``model``) as ``model_name``."""
        from modelyard.azureml.core.model import Model

        return Model._register(self.experiment.workspace, f"runs:/{self.mlflow_run_id}/{model_path or 'model'}",
                               model_name, tags, properties, model_framework, model_framework_version,
                               description, more)

    @staticmethod
    def get_context(allow_offline: bool = True) -> "Run":
        """Inside a job: the job's own run. Elsewhere: an offline run that prints what it is given (as in v1)."""
        import os

        if os.environ.get("MLFLOW_RUN_ID"):
            return _JobContextRun()
        if not allow_offline:
            raise InvalidInput("Run.get_context(allow_offline=False) outside a job: no run to log to")
        return _OfflineRun()

    def __repr__(self) -> str:
        return f"Run(Experiment: {self.experiment.name}, Id: {self.id})"


def _looks_like_job(experiment: Any, run_id: str) -> bool:
    from modelyard.errors import NotFound

    try:
        experiment.workspace.sdk.jobs.get(run_id)
        return True
    except NotFound:
        return False


class _JobContextRun:
    """``Run.get_context()`` inside a job: logs through ``modelyard.run`` into the job's MLflow run."""

    @property
    def id(self) -> str:
        from modelyard import run

        return run.run_id()

    @property
    def experiment(self):
        """The job's experiment in the job's workspace (``run.experiment.workspace`` reads its datasets)."""
        import os

        from modelyard.azureml.core._experiment import Experiment
        from modelyard.azureml.core._workspace import Workspace

        return Experiment(Workspace.from_config(), os.environ.get("MLFLOW_EXPERIMENT_NAME", "Default"))

    def log(self, name: str, value: float, description: str = "", step: int | None = None) -> None:
        from modelyard import run

        run.log(name, value, step)

    def log_list(self, name: str, value: list[float], description: str = "") -> None:
        for step, item in enumerate(value):
            self.log(name, item, step=step)

    def log_table(self, name: str, value: dict[str, list[Any]], description: str = "") -> None:
        from modelyard import run

        run.log_table(name, value)

    def upload_file(self, name: str, path_or_stream: str) -> None:
        import mlflow

        folder = str(Path(name).parent)
        mlflow.MlflowClient().log_artifact(self.id, path_or_stream, None if folder == "." else folder)

    def complete(self) -> None:
        from modelyard import run

        run.flush()


class _OfflineRun:
    """``Run.get_context()`` outside a job: v1's offline run, which prints what is logged."""

    id = "OfflineRun"

    def log(self, name: str, value: Any, description: str = "", step: int | None = None) -> None:
        print(f"Attempted to log scalar metric {name}:\n{value}")

    def log_list(self, name: str, value: list[Any], description: str = "") -> None:
        print(f"Attempted to log list metric {name}:\n{value}")

    def log_table(self, name: str, value: Any, description: str = "") -> None:
        print(f"Attempted to log table metric {name}:\n{value}")

    def upload_file(self, name: str, path_or_stream: str) -> None:
        print(f"Attempted to upload file {path_or_stream} as {name}")

    def complete(self) -> None:
        pass

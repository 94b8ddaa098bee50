"""MLflow is the tracking system: every job is an MLflow run in the workspace's tracking store."""

from __future__ import annotations

import functools
import os
from typing import Any

from modelyard.spec.job_status import JobStatus

MLFLOW_STATUS = {JobStatus.COMPLETED: "FINISHED", JobStatus.FAILED: "FAILED", JobStatus.CANCELED: "KILLED"}


@functools.lru_cache(maxsize=8)
def _client(tracking_uri: str, lock_path: str, default_artifacts: str):
    """One client per store; the first one in any process creates the store under a file lock,
    because MLflow's own migrations break when two processes run them at once."""
    import fcntl

    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    from mlflow import MlflowClient

    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _new_sqlite_store_from_template(tracking_uri, default_artifacts)
        client = MlflowClient(tracking_uri=tracking_uri)
        client.search_experiments(max_results=1)  # creates or upgrades the store now, while we hold the lock
    return client


def tracking_client(location):
    return _client(location.tracking_uri, str(location.folder / "tracking.lock"),
                   f"{location.artifact_root.rstrip('/')}/mlflow/{DEFAULT_EXPERIMENT}")


DEFAULT_EXPERIMENT = "Default"  # MLflow's experiment 0


def _new_sqlite_store_from_template(tracking_uri: str, default_artifacts: str) -> None:
    """A new SQLite store starts as a copy of an empty one migrated once per MLflow version and kept in the cache:
    MLflow's migrations cost every new workspace about 5 s of CPU and many synced writes, a copy a tenth of a
    second. Its Default experiment keeps its artifacts in the workspace, not where the creating process ran."""
    from modelyard._owner_only import private_sqlite, sqlite_file

    path = sqlite_file(tracking_uri)
    if path is None or path.exists() or not path.parent.is_dir():
        return  # PostgreSQL, an existing store (MLflow upgrades it), or nowhere to put one (MLflow says so)
    template = _store_template()
    private_sqlite(tracking_uri)  # an empty owner-only file, filled by the copy
    _copy_sqlite(template, str(path), "UPDATE experiments SET artifact_location = ? WHERE experiment_id = 0",
                 (default_artifacts,))


def _store_template() -> str:
    """An empty tracking store at MLflow's current schema, built on first need (a concurrent build is harmless:
    each writes its own file and renames it into place)."""
    import tempfile

    import mlflow
    from mlflow import MlflowClient

    from modelyard._cache import cache_root

    folder = cache_root() / "mlflow-store"
    template = folder / f"empty-{mlflow.__version__}.db"
    if not template.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder) as scratch:
            built = f"{scratch}/store.db"
            MlflowClient(tracking_uri=f"sqlite:///{built}").search_experiments(max_results=1)
            _copy_sqlite(built, f"{scratch}/copy.db")  # one file, whatever MLflow left in its write-ahead log
            os.replace(f"{scratch}/copy.db", template)
    return str(template)


def _copy_sqlite(source: str, target: str, statement: str | None = None, parameters: tuple = ()) -> None:
    """Copy a SQLite database with SQLite's backup API (consistent, its log included), then run ``statement``
    on the copy."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(target)) as copy:
        original.backup(copy)
        if statement:
            with copy:
                copy.execute(statement, parameters)


def experiment_id(location, name: str) -> str:
    client = tracking_client(location)
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    artifacts = f"{location.artifact_root.rstrip('/')}/mlflow/{name}"
    try:
        return client.create_experiment(name, artifact_location=artifacts)
    except Exception:  # created concurrently by another worker
        found = client.get_experiment_by_name(name)
        if found is None:
            raise
        return found.experiment_id


def start_run(location, job: Any, parent_run_id: str | None) -> str:
    tags = {"mlflow.runName": job.display_name or job.name, "modelyard.job": job.name,
            "modelyard.compute": job.compute or "", **(job.tags or {})}
    if parent_run_id:
        tags["mlflow.parentRunId"] = parent_run_id
    if job.step:
        tags["modelyard.step"] = job.step
    run = tracking_client(location).create_run(experiment_id(location, job.experiment_name), tags=tags)
    return run.info.run_id


def log_params(location, run_id: str, params: dict[str, Any]) -> None:
    from mlflow.entities import Param

    if params:
        tracking_client(location).log_batch(run_id, params=[Param(k, str(v)[:6000]) for k, v in params.items()])


def end_run(location, run_id: str, status: str) -> None:
    tracking_client(location).set_terminated(run_id, MLFLOW_STATUS.get(status, "FAILED"))


def job_environment(location, run_id: str, experiment: str) -> dict[str, str]:
    """What a job's process needs so that ``mlflow.log_metric`` logs into its own run."""
    return {"MLFLOW_TRACKING_URI": location.tracking_uri, "MLFLOW_RUN_ID": run_id,
            "MLFLOW_EXPERIMENT_NAME": experiment}

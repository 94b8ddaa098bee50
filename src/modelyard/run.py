"""Logging from inside a job, in the workshop's style: ``from modelyard import run; run.log("AUC", 0.8)``.

Everything lands in the job's MLflow run (``MLFLOW_RUN_ID`` is set for every job). Metrics are
buffered and written in batches, which is what makes logging thousands of values cheap.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from pathlib import Path
from typing import Any

FLUSH_EVERY = 1000
FLUSH_SECONDS = 1.0

_lock = threading.Lock()
_pending: list[Any] = []
_last_flush = time.monotonic()
_step: dict[str, int] = {}


def _client():
    from mlflow import MlflowClient

    return MlflowClient()


_JOB_RUN_ID = os.environ.get("MLFLOW_RUN_ID")  # read now: mlflow's fluent API clears it once a run starts


def run_id() -> str:
    import mlflow

    active = mlflow.active_run()
    value = active.info.run_id if active else _JOB_RUN_ID or os.environ.get("MLFLOW_RUN_ID")
    if not value:
        raise RuntimeError("not inside a modelyard job: MLFLOW_RUN_ID is not set")
    return value


def log(name: str, value: float, step: int | None = None) -> None:
    """Log one metric value; repeated calls build a series (the step counts up by itself)."""
    from mlflow.entities import Metric

    if step is None:
        step = _step.get(name, -1) + 1
    _step[name] = step
    with _lock:
        _pending.append(Metric(name, float(value), int(time.time() * 1000), step))
        due = len(_pending) >= FLUSH_EVERY or time.monotonic() - _last_flush >= FLUSH_SECONDS
    if due:
        flush()


def log_row(name: str, **values: float) -> None:
    for key, value in values.items():
        log(f"{name}.{key}", value)


def log_params(**params: Any) -> None:
    from mlflow.entities import Param

    _client().log_batch(run_id(), params=[Param(k, str(v)) for k, v in params.items()])


def log_table(name: str, table: dict[str, list[Any]] | Any) -> None:
    """A table (a dict of columns, or a pandas DataFrame) as a JSON artifact of the run."""
    data = table.to_dict(orient="list") if hasattr(table, "to_dict") else dict(table)
    _client().log_dict(run_id(), data, f"tables/{name}.json")


def log_image(name: str, image: str | Path | Any) -> None:
    """An image file, or a matplotlib figure, as an artifact of the run."""
    if isinstance(image, (str, Path)):
        _client().log_artifact(run_id(), str(image), "images")
    else:
        _client().log_figure(run_id(), image, f"images/{name}.png")


def flush() -> None:
    global _last_flush
    with _lock:
        batch, _pending[:] = list(_pending), []
        _last_flush = time.monotonic()
    for start in range(0, len(batch), FLUSH_EVERY):
        _client().log_batch(run_id(), metrics=batch[start:start + FLUSH_EVERY])


atexit.register(lambda: _pending and flush())

"""Scoring one mini-batch of a batch scoring job, in whatever process runs it.

The same function runs in the job's own process, in a local process pool and in Ray tasks. The
model (or the user's scoring script) is loaded once per process through the serving engine and
kept for the next mini-batches. A mini-batch is rows of a table (tabular input) or a list of
files (``uri_folder`` input). Rows that cannot be read as the model's columns fail one by one;
an exception from the model or the script fails the whole mini-batch after its retries.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import threading
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

_scorers: dict["ScoringTask", Any] = {}


@dataclass(frozen=True)
class ScoringTask:
    """What every mini-batch of a job is scored with (hashable: it keys the per-process model cache)."""

    model_dir: str
    script: str | None = None  # absolute path of a scoring script with init() and run(mini_batch)
    code_dir: str | None = None
    max_retries: int = 0
    timeout: int = 30


@dataclass
class MiniBatch:
    index: int
    first_row: int = 0  # position of the first row in the whole input (tabular input)
    rows: Any = None  # a pyarrow Table (tabular input)
    files: list[str] | None = None  # uri_folder input

    @property
    def size(self) -> int:
        return len(self.files) if self.files is not None else self.rows.num_rows


@dataclass
class MiniBatchResult:
    index: int
    size: int
    output: Any = None  # a pandas DataFrame of the rows to write, or None
    failed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    worker: str = ""
    tries: int = 1


class MiniBatchTimeout(BaseException):
    """The mini-batch's time is up (a BaseException, so no ``except Exception`` in between swallows it)."""


def load_scorer(task: ScoringTask):
    """The serving engine's scorer for the task's model or script, loaded once per process."""
    if task not in _scorers:
        from modelyard.serving import ScriptScorer, load_model

        if task.script:
            _scorers[task] = ScriptScorer(task.script, task.model_dir, task.code_dir)
        else:
            _scorers[task] = load_model(task.model_dir, compile=False)
    return _scorers[task]


def score_mini_batch(task: ScoringTask, batch: MiniBatch) -> MiniBatchResult:
    """Score ``batch``, retrying a mini-batch that raises up to ``task.max_retries`` times."""
    scorer = load_scorer(task)
    worker = f"{_node()}:{os.getpid()}"
    error = ""
    for attempt in range(1, task.max_retries + 2):
        try:
            with _time_limit(task.timeout):
                result = _score(scorer, batch)
            result.worker, result.tries = worker, attempt
            return result
        except MiniBatchTimeout:
            error = f"ran past retry_settings.timeout of {task.timeout} s"
        except Exception as exc:  # the user's model or script failed on this mini-batch
            error = f"{type(exc).__name__}: {exc}"
            where = _user_frame(exc)
            if where:
                error += f" ({where})"
    errors = [{"mini_batch": batch.index, "error": error}]
    return MiniBatchResult(batch.index, batch.size, failed=batch.size, errors=errors, worker=worker,
                           tries=task.max_retries + 1)


def _score(scorer, batch: MiniBatch) -> MiniBatchResult:
    from modelyard.serving import ScriptScorer

    if isinstance(scorer, ScriptScorer):  # the Azure batch contract: init() once, run(mini_batch) each
        items = batch.files if batch.files is not None else batch.rows.to_pandas()
        output = _as_frame(scorer.module.run(items))
        failed = max(0, batch.size - len(output))
        errors = [{"mini_batch": batch.index, "error": f"run() returned {len(output)} results for {batch.size} "
                                                      "items; the missing ones count as failed"}] if failed else []
        return MiniBatchResult(batch.index, batch.size, output, failed, errors)
    if batch.files is not None:
        return _score_files(scorer, batch)
    output, errors = score_rows(scorer, batch.rows, batch.first_row, batch.index)
    return MiniBatchResult(batch.index, batch.size, output, len(errors), errors)


def score_rows(scorer, rows, first_row: int, index: int) -> tuple[Any, list[dict[str, Any]]]:
    """The rows with ``prediction`` (and ``probability_<class>``) appended, and an error per unreadable row."""
    from modelyard.serving import RequestError

    records = rows.to_pylist()
    frame = rows.to_pandas()
    try:
        parsed, errors = scorer.parse({"data": records}), []
    except RequestError:  # find the rows at fault; the others are scored
        kept, errors = _readable(scorer, records, first_row, index)
        frame = frame.iloc[kept].reset_index(drop=True)
        parsed = scorer.parse({"data": [records[i] for i in kept]}) if kept else None
    if parsed is not None:
        _append_predictions(scorer, frame, parsed)
    return frame, errors


def _readable(scorer, records: list[dict], first_row: int, index: int) -> tuple[list[int], list[dict[str, Any]]]:
    """Positions of the records the model can read, and an error naming each other one."""
    from modelyard.serving import RequestError

    kept, errors = [], []
    for position, record in enumerate(records):
        try:
            scorer.parse({"data": [record]})
            kept.append(position)
        except RequestError as bad:
            row = first_row + position
            errors.append({"mini_batch": index, "row": row, "error": re.sub(r"\brow 0\b", f"row {row}", bad.message),
                           "data": record})
    return kept, errors


def _append_predictions(scorer, frame, parsed) -> None:
    import numpy as np

    from modelyard.serving import to_jsonable

    frame["prediction"] = to_jsonable(scorer.score_model(parsed.columns, "predict", parsed.records))
    if scorer.has_proba and scorer.classes:
        probabilities = np.asarray(scorer.score_model(parsed.columns, "predict_proba", parsed.records), dtype=float)
        for position, label in enumerate(scorer.classes):
            frame[f"probability_{label}"] = probabilities[:, position]


def _score_files(scorer, batch: MiniBatch) -> MiniBatchResult:
    """Each file of the mini-batch read as a table and scored; a file that fails fails alone."""
    import pandas as pd

    from modelyard import data as engine
    from modelyard.spec.data import ParseSettings

    frames, errors = [], []
    for path in batch.files:
        try:
            source = engine.TabularSource((path,), ParseSettings())
            table = engine.read_arrow(source, engine.as_written(engine.detect_schema(source).schema))
            frame, bad_rows = score_rows(scorer, table, 0, batch.index)
            if bad_rows:
                raise ValueError(bad_rows[0]["error"] + (f" (and {len(bad_rows) - 1} more rows)"
                                                         if len(bad_rows) > 1 else ""))
        except Exception as exc:
            errors.append({"mini_batch": batch.index, "file": os.path.basename(path),
                           "error": getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"})
            continue
        frame.insert(0, "file", os.path.basename(path))
        frames.append(frame)
    output = pd.concat(frames, ignore_index=True) if frames else None
    return MiniBatchResult(batch.index, batch.size, output, len(errors), errors)


def _as_frame(result: Any):
    """A scoring script's return value as rows: a DataFrame as it is, a list as one row per element."""
    import pandas as pd

    if isinstance(result, pd.DataFrame):
        return result.reset_index(drop=True)
    if isinstance(result, pd.Series):
        return result.to_frame(name=result.name or "prediction").reset_index(drop=True)
    if hasattr(result, "tolist"):
        result = result.tolist()
    if result is None:
        raise TypeError("run() returned None; return a pandas DataFrame or a list with one element per item")
    items = list(result)
    if items and all(isinstance(item, dict) for item in items):
        return pd.DataFrame(items)
    return pd.DataFrame({"prediction": items})


@contextmanager
def _time_limit(seconds: int):
    """Interrupt the mini-batch after ``seconds`` (only in a main thread, where signals arrive)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(*_: object) -> None:
        raise MiniBatchTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _user_frame(exc: BaseException) -> str | None:
    """``file.py line N`` of the innermost frame outside modelyard and the libraries, if any."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if "site-packages" not in frame.filename and "/modelyard/" not in frame.filename:
            return f"{os.path.basename(frame.filename)} line {frame.lineno}"
    return None


def _node() -> str:
    try:
        import ray

        if ray.is_initialized():
            return ray.util.get_node_ip_address()
    except ImportError:
        pass
    return socket.gethostname()

"""Data collection in a scoring process (Azure ML's ``data_collector``): the inputs and outputs of the
requests the workspace server marked for collection, written as parquet off the request path.

The request path only appends a reference to what it already holds to a bounded buffer (under a lock
held for a few instructions); past ``buffer_rows`` rows the request's rows are dropped and counted,
scoring never waits. A background thread writes the buffer every ``flush_seconds`` to
``<folder>/<collection>/yyyy/mm/dd/hh/<file>.parquet`` (a temporary name first, then renamed) and keeps
``<folder>/_status/<process>.json`` (rows written and dropped by this process) up to date. ``close()``
writes what is left: a graceful stop loses nothing that was answered.
Every row carries ``correlationid`` (the caller's ``x-request-id``) and ``timestamp`` (UTC).
"""

from __future__ import annotations

import itertools
import json
import operator
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

COLLECTIONS = ("model_inputs", "model_outputs")
REQUEST_ID_PARAM = "modelyard-request-id"  # how the workspace server marks a request to collect
STATUS_FOLDER = "_status"


@dataclass
class _Counts:
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLLECTIONS, 0))
    dropped: int = 0
    files: int = 0
    write_errors: int = 0


class Collector:
    """Buffers collected requests and writes them from a background thread (``start()``/``close()``)."""

    def __init__(self, folder: str, collections: tuple[str, ...], buffer_rows: int = 100_000,
                 flush_seconds: float = 1.0) -> None:
        self.folder = folder.rstrip("/")
        self.collections = tuple(c for c in COLLECTIONS if c in collections)
        self.buffer_rows = buffer_rows
        self.flush_seconds = flush_seconds
        self.counts = _Counts()
        self._pending: list[tuple] = []
        self._buffered = 0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None
        self._process = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._sequence = 0
        self._flushed_at = 0.0
        self._status_written: tuple | None = None

    # -- the request path ---------------------------------------------------------------------
    def add(self, correlation_id: str, inputs: dict[str, list], n_rows: int, outputs: dict[str, Any]) -> None:
        """One answered request: its input columns, its row count and its outputs (column -> values)."""
        with self._lock:
            if self._buffered + n_rows > self.buffer_rows:
                self.counts.dropped += n_rows
                return
            self._pending.append((correlation_id, time.time(), inputs, n_rows, outputs))
            self._buffered += n_rows

    # -- the background writer ------------------------------------------------------------------
    def start(self) -> None:
        import fsspec

        self.fs, self._root = fsspec.core.url_to_fs(self.folder)
        self._write_status()
        self._thread = threading.Thread(target=self._run, name="data-collector", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop the writer and write everything still buffered."""
        self._stop = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stop:
            self._wake.wait(min(self.flush_seconds, 1.0))
            due = self._stop or time.monotonic() - self._flushed_at >= self.flush_seconds
            if due:
                self.flush()
            self._write_status()
        self.flush()
        self._write_status()

    def flush(self) -> None:
        """Write the buffered requests now (one file per collection and hour)."""
        self._flushed_at = time.monotonic()
        with self._lock:
            batch, self._pending, self._buffered = self._pending, [], 0
        if not batch:
            return
        by_hour: dict[tuple, list[tuple]] = {}
        for entry in batch:
            by_hour.setdefault(time.gmtime(entry[1])[:4], []).append(entry)
        for hour, entries in by_hour.items():
            for collection in self.collections:
                try:
                    self._write(collection, hour, entries)
                except Exception as error:  # noqa: BLE001 - a storage failure costs rows, never the process
                    self.counts.write_errors += 1
                    print(f"modelyard.serving: data collection could not write {collection}: "
                          f"{type(error).__name__}: {error}", flush=True)

    def _write(self, collection: str, hour: tuple, entries: list[tuple]) -> None:
        import pyarrow.parquet as pq

        folder = f"{self._root}/{collection}/{hour[0]:04d}/{hour[1]:02d}/{hour[2]:02d}/{hour[3]:02d}"
        self.fs.makedirs(folder, exist_ok=True)
        for table in tables_of(entries, inputs=collection == "model_inputs"):
            self._sequence += 1
            final = f"{folder}/{self._process}-{self._sequence:06d}.parquet"
            with self.fs.open(final + ".tmp", "wb") as out:
                pq.write_table(table, out)
            self.fs.mv(final + ".tmp", final)
            self.counts.rows[collection] += table.num_rows
            self.counts.files += 1

    def _write_status(self) -> None:
        c = self.counts
        status = {"rows": dict(c.rows), "dropped": c.dropped, "files": c.files, "write_errors": c.write_errors}
        key = (tuple(c.rows.values()), c.dropped, c.files, c.write_errors)
        if key == self._status_written:
            return
        try:
            self.fs.makedirs(f"{self._root}/{STATUS_FOLDER}", exist_ok=True)
            path = f"{self._root}/{STATUS_FOLDER}/{self._process}.json"
            with self.fs.open(path + ".tmp", "w") as out:
                out.write(json.dumps(status))
            self.fs.mv(path + ".tmp", path)
            self._status_written = key
        except OSError as error:
            print(f"modelyard.serving: data collection could not write its status: {error}", flush=True)

    def render(self, labels: str) -> list[str]:
        """Prometheus lines: rows written per collection, rows dropped because the buffer was full."""
        sep = "," if labels else ""
        out = ["# HELP modelyard_collection_rows_total Rows of collected data written, by collection.",
               "# TYPE modelyard_collection_rows_total counter"]
        out += [f'modelyard_collection_rows_total{{{labels}{sep}collection="{name}"}} {n}'
                for name, n in self.counts.rows.items() if name in self.collections]
        out += ["# HELP modelyard_collection_dropped_rows_total Rows not collected because the buffer was full.",
                "# TYPE modelyard_collection_dropped_rows_total counter",
                f"modelyard_collection_dropped_rows_total{{{labels}}} {self.counts.dropped}",
                "# HELP modelyard_collection_buffered_rows Rows waiting to be written.",
                "# TYPE modelyard_collection_buffered_rows gauge",
                f"modelyard_collection_buffered_rows{{{labels}}} {self._buffered}"]
        return out


def tables_of(entries: list[tuple], inputs: bool) -> list:
    """The rows of ``entries`` as arrow tables, one per set of columns (almost always one):
    ``correlationid``, ``timestamp``, then the request's input columns (``inputs``) or its output columns."""
    groups: dict[tuple, list[tuple]] = {}
    at = 2 if inputs else 4
    for entry in entries:
        groups.setdefault(tuple(entry[at]), []).append(entry)
    return [_table(names, group, at) for names, group in groups.items()]


def _table(names: tuple, entries: list[tuple], at: int):
    import pyarrow as pa

    flat = itertools.chain.from_iterable
    arrays = {"correlationid": pa.array(list(flat(itertools.repeat(e[0], e[3]) for e in entries)), pa.string()),
              "timestamp": pa.array(list(flat(itertools.repeat(int(e[1] * 1_000_000), e[3]) for e in entries)),
                                    pa.timestamp("us", tz="UTC"))}
    # the columns of all requests, transposed and joined in C loops: collection stays off the scoring CPU
    if all(e[3] == 1 for e in entries):  # single-row requests, the usual online case: one value per cell
        first = operator.itemgetter(0)
        columns = zip(*[tuple(map(first, e[at].values())) for e in entries])
    else:
        columns = (list(flat(c.tolist() if hasattr(c, "tolist") else c for c in cells))
                   for cells in zip(*[tuple(e[at].values()) for e in entries]))
    for name, values in zip(names, columns):
        try:
            arrays[name] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed kinds in one column: kept as their JSON text
            arrays[name] = pa.array([None if v is None else json.dumps(v, default=str) for v in values])
    return pa.table(arrays)

"""Reading the parquet files an endpoint's data collector wrote (``<collection>/yyyy/mm/dd/hh/*.parquet``).

A file that does not read (truncated by a crash, or damaged) is skipped and counted, never an error: the
rest of the collection is still worth reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

HOUR_DEPTH = 4  # yyyy/mm/dd/hh


@dataclass
class CollectedData:
    table: Any  # a pyarrow Table: correlationid, timestamp, then the collected columns
    files: int  # files read
    skipped_files: list[str]  # files that did not read (truncated or damaged)


def collected_files(fs, folder: str, start: datetime | None = None, end: datetime | None = None) -> list[str]:
    """The parquet files under ``folder`` whose hour folder overlaps [start, end), oldest first."""
    folder = folder.rstrip("/")
    if not fs.exists(folder):
        return []
    files = []
    for path in fs.find(folder):
        parts = path[len(folder):].strip("/").split("/")
        if not path.endswith(".parquet") or len(parts) != HOUR_DEPTH + 1:
            continue  # a file being written (.tmp) or something else
        try:
            hour = datetime(*map(int, parts[:HOUR_DEPTH]), tzinfo=timezone.utc)
        except ValueError:
            continue
        if (start is None or hour + timedelta(hours=1) > start) and (end is None or hour < end):
            files.append(path)
    return sorted(files)


def read_collected(fs, folder: str, start: datetime | None = None, end: datetime | None = None) -> CollectedData:
    """One collection's rows in [start, end) (by their ``timestamp``), the files skipped counted."""
    import pyarrow as pa
    import pyarrow.compute as pc

    tables, skipped = _read_files(fs, collected_files(fs, folder, start, end))
    if not tables:
        return CollectedData(pa.table({"correlationid": pa.array([], pa.string()),
                                       "timestamp": pa.array([], pa.timestamp("us", tz="UTC"))}), 0, skipped)
    table = pa.concat_tables(tables, promote_options="permissive")
    if start is not None:
        table = table.filter(pc.greater_equal(table["timestamp"], pa.scalar(start, pa.timestamp("us", tz="UTC"))))
    if end is not None:
        table = table.filter(pc.less(table["timestamp"], pa.scalar(end, pa.timestamp("us", tz="UTC"))))
    return CollectedData(table, len(tables), skipped)


def _read_files(fs, paths: list[str], columns: list[str] | None = None) -> tuple[list, list[str]]:
    """(the tables of the files that read, the paths of those that did not)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables, skipped = [], []
    for path in paths:
        try:
            with fs.open(path, "rb") as handle:
                tables.append(pq.read_table(handle, columns=columns))
        except (pa.ArrowException, OSError, ValueError):
            skipped.append(path)
    return tables, skipped


@dataclass
class CollectedSpan:
    rows: int
    files: int
    skipped_files: list[str]
    first: datetime | None
    last: datetime | None


def collected_span(fs, folder: str) -> CollectedSpan:
    """How many rows one collection holds and the time of its first and last, reading only the timestamps."""
    import pyarrow.compute as pc

    tables, skipped = _read_files(fs, collected_files(fs, folder), ["timestamp"])
    times = [table["timestamp"] for table in tables if table.num_rows]
    first = min(pc.min(column).as_py() for column in times) if times else None
    last = max(pc.max(column).as_py() for column in times) if times else None
    return CollectedSpan(sum(table.num_rows for table in tables), len(tables), skipped, first, last)


def column_types(fs, folder: str) -> dict[str, str]:
    """The schema types (``integer``, ``decimal``, ``boolean``, ``datetime``, ``string``) of the columns of a
    collection's newest file that reads; empty when nothing was collected yet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for path in reversed(collected_files(fs, folder)):
        try:
            with fs.open(path, "rb") as handle:
                schema = pq.read_schema(handle)
        except (pa.ArrowException, OSError, ValueError):
            continue
        return {field.name: _schema_type(field.type) for field in schema}
    return {}


def _schema_type(kind) -> str:
    import pyarrow as pa

    if pa.types.is_integer(kind):
        return "integer"
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "decimal"
    if pa.types.is_boolean(kind):
        return "boolean"
    if pa.types.is_timestamp(kind) or pa.types.is_date(kind):
        return "datetime"
    return "string"

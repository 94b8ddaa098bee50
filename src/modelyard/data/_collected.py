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
    import pyarrow.parquet as pq

    tables, skipped = [], []
    paths = collected_files(fs, folder, start, end)
    for path in paths:
        try:
            with fs.open(path, "rb") as handle:
                tables.append(pq.read_table(handle))
        except (pa.ArrowException, OSError, ValueError):
            skipped.append(path)
    if not tables:
        return CollectedData(pa.table({"correlationid": pa.array([], pa.string()),
                                       "timestamp": pa.array([], pa.timestamp("us", tz="UTC"))}), 0, skipped)
    table = pa.concat_tables(tables, promote_options="permissive")
    if start is not None:
        table = table.filter(pc.greater_equal(table["timestamp"], pa.scalar(start, pa.timestamp("us", tz="UTC"))))
    if end is not None:
        table = table.filter(pc.less(table["timestamp"], pa.scalar(end, pa.timestamp("us", tz="UTC"))))
    return CollectedData(table, len(tables), skipped)

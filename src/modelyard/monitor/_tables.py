"""Reading a side (a pandas DataFrame or a pyarrow Table) one column at a time, and cutting its time window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np

from modelyard.errors import InvalidInput
from modelyard.spec.monitor import DataWindow


class Side:
    """One side of a comparison, by name ("reference", "production"); columns come out as pandas Series."""

    def __init__(self, name: str, table) -> None:
        import pandas as pd

        if not isinstance(table, pd.DataFrame) and not _is_arrow(table):
            raise InvalidInput(f"{name} data must be a pandas DataFrame or a pyarrow Table, "
                               f"got {type(table).__name__}")
        self.name = name
        self.table = table

    @property
    def columns(self) -> list[str]:
        return [str(name) for name in (self.table.column_names if _is_arrow(self.table) else self.table.columns)]

    @property
    def rows(self) -> int:
        return self.table.num_rows if _is_arrow(self.table) else len(self.table)

    def column(self, name: str):
        if _is_arrow(self.table):
            return self.table.column(name).to_pandas()
        return self.table[name]

    def where(self, mask: np.ndarray) -> "Side":
        if _is_arrow(self.table):
            import pyarrow as pa

            return Side(self.name, self.table.filter(pa.array(mask)))
        return Side(self.name, self.table[mask])

    def renamed(self, column: str, to: str) -> "Side":
        if _is_arrow(self.table):
            return Side(self.name, self.table.rename_columns([to if name == column else name
                                                              for name in self.table.column_names]))
        return Side(self.name, self.table.rename(columns={column: to}))

    def require(self, column: str, what: str, fix: str = "") -> None:
        if column not in self.columns:
            raise InvalidInput(f"{self.name} data lacks the {what} {column!r}; its columns are "
                               f"{', '.join(self.columns)}{fix}")


def _is_arrow(table) -> bool:
    return type(table).__module__.startswith("pyarrow") and hasattr(table, "column_names")


def window_bounds(window: DataWindow, now: datetime) -> tuple[datetime | None, datetime | None]:
    """[start, end) in UTC: a lookback ends ``lookback_window_offset`` before ``now``."""
    if window.lookback_window_size is not None:
        end = _utc(now) - (window.lookback_window_offset or timedelta(0))
        return end - window.lookback_window_size, end
    return (_utc(window.window_start) if window.window_start else None,
            _utc(window.window_end) if window.window_end else None)


def in_window(side: Side, timestamp_column: str, start: datetime | None, end: datetime | None) -> Side:
    """The rows of ``side`` whose time is in [start, end); a time that does not parse is an error naming it."""
    import pandas as pd

    side.require(timestamp_column, "timestamp column")
    raw = side.column(timestamp_column)
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        times = raw.dt.tz_localize("UTC") if raw.dt.tz is None else raw.dt.tz_convert("UTC")
    else:
        times = pd.to_datetime(raw, errors="coerce", utc=True, format="ISO8601")
        bad = np.flatnonzero(times.isna().to_numpy() & raw.notna().to_numpy())
        if len(bad):
            raise InvalidInput(
                f"{side.name} timestamp column {timestamp_column!r} does not parse as a time: "
                f"{raw.iloc[bad[0]]!r} at row {bad[0]} ({len(bad)} such rows); write times in ISO 8601, "
                f"e.g. 2026-12-03T11:00:00Z")
    mask = times.notna().to_numpy().copy()
    if start is not None:
        mask &= (times >= pd.Timestamp(start)).to_numpy()
    if end is not None:
        mask &= (times < pd.Timestamp(end)).to_numpy()
    return side.where(mask)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)

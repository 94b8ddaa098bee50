"""Wide text tables (more than COLUMN_BATCH columns): one expression applied to every column
through UNPIVOT, rather than one expression per column. Planning costs about 2 ms a column
expression (10 s for 5,000 columns, plus one query per batch of columns otherwise); an UNPIVOT
is planned once, and runs in time proportional to the number of values."""

from __future__ import annotations

import duckdb

from modelyard.spec.data import ColumnSchema

from modelyard.data._duck import COLUMN_BATCH, quote_ident
from modelyard.data._source import PreparedSource
from modelyard.data._types import TYPE_CODES, classify, convert_text


def is_wide(source: PreparedSource, columns: list[str]) -> bool:
    return len(columns) > COLUMN_BATCH and not any(name in source.native_types for name in columns)


def _unpivot(source: PreparedSource, columns: list[str], limit: int | None = None) -> str:
    """``(name, v)`` for every non-null value of ``columns`` (in the first ``limit`` rows)."""
    projection = ", ".join(quote_ident(name) for name in columns)
    rows = f" LIMIT {limit}" if limit is not None else ""
    return f"(UNPIVOT (SELECT {projection} FROM ({source.relation()}){rows}) ON COLUMNS(*) INTO NAME name VALUE v)"


def class_counts(con: duckdb.DuckDBPyConnection, source: PreparedSource, columns: list[str] | None = None,
                 limit: int | None = None) -> dict[str, tuple[dict[str, int], int]]:
    """Per column (of the first ``limit`` rows), how many non-null values parse as each type
    (``classify``) and their total length."""
    columns = source.columns if columns is None else columns
    counts = ", ".join(f"count_if(k = {code})" for code in TYPE_CODES)
    values = _unpivot(source, columns, limit)
    found = {
        row[0]: (dict(zip(TYPE_CODES.values(), row[2:])), int(row[1] or 0))
        for row in con.execute(
            f"SELECT name, sum(length(v)), {counts} FROM (SELECT name, v, {classify('v')} AS k FROM {values}) GROUP BY name"
        ).fetchall()
    }
    return {name: found.get(name, ({}, 0)) for name in columns}


def first_bad_column(con: duckdb.DuckDBPyConnection, source: PreparedSource, schema: list[ColumnSchema]) -> ColumnSchema | None:
    """An included column holding a value that does not convert to its type, if any: one query
    per (type, datetime format) among the columns."""
    groups: dict[tuple, list[ColumnSchema]] = {}
    for column in schema:
        if column.include and column.type != "string" and not column.invalid_as_missing:
            groups.setdefault((column.type, column.datetime_format), []).append(column)
    by_name = {column.name: column for column in schema}
    for members in groups.values():
        converted = convert_text("v", members[0])
        row = con.execute(
            f"SELECT name FROM {_unpivot(source, [c.name for c in members])} WHERE ({converted}) IS NULL LIMIT 1"
        ).fetchone()
        if row:
            return by_name[row[0]]
    return None

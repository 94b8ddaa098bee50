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


def _unpivot(source: PreparedSource, columns: list[str]) -> str:
    """``(name, v)`` for every non-null value of ``columns``."""
    projection = ", ".join(quote_ident(name) for name in columns)
    return f"(UNPIVOT (SELECT {projection} FROM ({source.relation()})) ON COLUMNS(*) INTO NAME name VALUE v)"


def class_counts(con: duckdb.DuckDBPyConnection, source: PreparedSource) -> dict[str, dict[str, int]]:
    """Per column, how many non-null values parse as each type (``classify``)."""
    counts = ", ".join(f"count_if(k = {code})" for code in TYPE_CODES)
    found = {
        row[0]: dict(zip(TYPE_CODES.values(), row[1:]))
        for row in con.execute(
            f"SELECT name, {counts} FROM (SELECT name, {classify('v')} AS k FROM {_unpivot(source, source.columns)}) "
            "GROUP BY name"
        ).fetchall()
    }
    return {name: found.get(name, {}) for name in source.columns}


def first_bad_column(con: duckdb.DuckDBPyConnection, source: PreparedSource, schema: list[ColumnSchema]) -> ColumnSchema | None:
    """An included column holding a value that does not convert to its type, if any: one query
    per (type, datetime format) among the columns."""
    groups: dict[tuple, list[ColumnSchema]] = {}
    for column in schema:
        if column.include and column.type != "string":
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

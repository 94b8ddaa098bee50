"""Schema inference (the type every value parses as) and user overrides."""

from __future__ import annotations

import difflib

import duckdb

from modelyard.errors import InvalidInput
from modelyard.spec.data import ColumnOverride, ColumnSchema

from modelyard.data._duck import engine_connection, quote_ident
from modelyard.data._source import PreparedSource, TabularSource, explain_scan_error, prepared
from modelyard.data._types import TYPE_CODES, classify, infer_type


def type_count_selects(source: PreparedSource, columns: list[str]) -> list[str]:
    """Aggregate expressions, one per column, giving a map or count to feed ``type_counts_from``."""
    selects = []
    for name in columns:
        if name in source.native_types:
            selects.append(f"count({quote_ident(name)})")
        else:
            selects.append(f"histogram({classify(quote_ident(name))})")
    return selects


def type_counts_from(source: PreparedSource, name: str, aggregate, rows: int) -> dict[str, int]:
    if name in source.native_types:
        counts = {source.native_types[name]: aggregate, "null": rows - aggregate}
    else:
        counts = {TYPE_CODES[code]: count for code, count in (aggregate or {}).items()}
    return {key: value for key, value in counts.items() if value}


def scan_type_counts(
    con: duckdb.DuckDBPyConnection, source: PreparedSource, parse
) -> tuple[int, dict[str, dict[str, int]]]:
    """One pass over the data: the row count and, per column, how many values parse as each type."""
    selects = ", ".join(["count(*)"] + type_count_selects(source, source.columns))
    try:
        row = con.execute(f"SELECT {selects} FROM ({source.relation()})").fetchone()
    except duckdb.Error as error:
        raise explain_scan_error(error, source, parse) from None
    rows = row[0]
    return rows, {name: type_counts_from(source, name, row[i + 1], rows) for i, name in enumerate(source.columns)}


def infer_schema(source: TabularSource) -> list[ColumnSchema]:
    """Column names and, for each, the type that all of its non-null values parse as."""
    with engine_connection() as con, prepared(source, con) as ready:
        _, counts = scan_type_counts(con, ready, source.parse)
        return [ColumnSchema(name=name, type=infer_type(counts[name])) for name in ready.columns]


def resolve_schema(inferred: list[ColumnSchema], overrides: list[ColumnOverride]) -> list[ColumnSchema]:
    """Apply the user's corrections: type, include/exclude, datetime format (which implies datetime)."""
    by_name = {column.name: column for column in inferred}
    for override in overrides:
        if override.name not in by_name:
            close = difflib.get_close_matches(override.name, list(by_name), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise InvalidInput(
                f"column '{override.name}' is not in the data{hint}; columns are: {', '.join(by_name)}"
            )
        current = by_name[override.name]
        new_type = override.type or ("datetime" if override.datetime_format else current.type)
        by_name[override.name] = current.model_copy(
            update={"type": new_type, "include": override.include, "datetime_format": override.datetime_format}
        )
    return [by_name[column.name] for column in inferred]

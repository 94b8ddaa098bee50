"""Schema inference (the type every value parses as) and user overrides."""

from __future__ import annotations

import difflib

import duckdb

from modelyard.errors import InvalidInput
from modelyard.spec.data import ColumnOverride, ColumnSchema

from modelyard.data._duck import column_batches, engine_connection, quote_ident
from modelyard.data._source import PreparedSource, TabularSource, explain_scan_error, prepared
from modelyard.data._types import TYPE_CODES, classify, inferred_column
from modelyard.data._wide import class_counts, is_wide


def _batch_type_counts(con: duckdb.DuckDBPyConnection, source: PreparedSource, names: list[str]) -> tuple:
    """``(rows, [aggregate, ...])``: a count of non-null values per typed column and one count per
    class code per text column (no ``histogram``: its per-column state exhausts memory on wide files)."""
    inner, aggregates = [], ["count(*)"]
    for i, name in enumerate(names):
        if name in source.native_types:
            aggregates.append(f"count({quote_ident(name)})")
        else:
            inner.append(f"{classify(quote_ident(name))} AS k{i}")
            aggregates += [f"count_if(k{i} = {code})" for code in TYPE_CODES]
    projection = ", ".join([quote_ident(n) for n in names if n in source.native_types] + inner) or "1"
    return con.execute(f"SELECT {', '.join(aggregates)} FROM (SELECT {projection} FROM ({source.relation()}))").fetchone()


def scan_type_counts(
    con: duckdb.DuckDBPyConnection, source: PreparedSource, parse
) -> tuple[int, dict[str, dict[str, int]]]:
    """The row count and, per column, how many values parse as each type: one pass over the data
    per batch of columns."""
    if is_wide(source, source.columns):
        try:
            rows = con.execute(f"SELECT count(*) FROM ({source.relation()})").fetchone()[0]
            classes = class_counts(con, source)
        except duckdb.Error as error:
            raise explain_scan_error(error, source, parse) from None
        return rows, {name: {key: value for key, value in {**found, "null": rows - sum(found.values())}.items() if value}
                      for name, (found, _) in classes.items()}
    rows, counts = 0, {}
    for names in column_batches(source.columns):
        try:
            row = _batch_type_counts(con, source, names)
        except duckdb.Error as error:
            raise explain_scan_error(error, source, parse) from None
        rows, values = row[0], iter(row[1:])
        for name in names:
            if name in source.native_types:
                non_null = next(values)
                found = {source.native_types[name]: non_null, "null": rows - non_null}
            else:
                found = {kind: next(values) for kind in TYPE_CODES.values()}
            counts[name] = {key: value for key, value in found.items() if value}
    return rows, counts


def infer_schema(source: TabularSource) -> list[ColumnSchema]:
    """Column names and, for each, the type its non-null values parse as (``_types.infer_type``)."""
    return counted_schema(source)[0]


def counted_schema(source: TabularSource) -> tuple[list[ColumnSchema], int]:
    """``infer_schema`` and the row count, from one pass over the data."""
    with engine_connection() as con, prepared(source, con) as ready:
        rows, counts = scan_type_counts(con, ready, source.parse)
        return [inferred_column(name, counts[name]) for name in ready.columns], rows


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
        typed = override.type is not None or override.datetime_format is not None
        new_type = override.type or ("datetime" if override.datetime_format else current.type)
        by_name[override.name] = current.model_copy(  # a type the user chose refuses values that do not parse
            update={"type": new_type, "include": override.include, "datetime_format": override.datetime_format,
                    "invalid_as_missing": current.invalid_as_missing and not typed}
        )
    return [by_name[column.name] for column in inferred]

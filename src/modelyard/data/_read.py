"""Reading a source into Arrow with the schema's types, and the full-pass validation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack

from typing import TYPE_CHECKING

import duckdb

from modelyard.errors import InvalidInput
from modelyard.spec.data import ColumnSchema, ColumnType

from modelyard.data._duck import column_batches, engine_connection, quote_ident
from modelyard.data._source import PreparedSource, TabularSource, explain_scan_error, prepared
from modelyard.data._types import convert, typed_value
from modelyard.data._wide import first_bad_column, is_wide

DEFAULT_BATCH_ROWS = 65_536
_BAD_VALUE = re.compile(r"modelyard-bad-value:(\d+)")

if TYPE_CHECKING:
    import pyarrow as pa

# pyarrow is imported where Arrow is produced: inference, validation and profiling do without
# it (it adds about 60 MB to a process).


def arrow_type(column_type: ColumnType) -> pa.DataType:
    import pyarrow as pa

    return {
        "string": pa.large_string(),
        "integer": pa.int64(),
        "decimal": pa.float64(),
        "boolean": pa.bool_(),
        "datetime": pa.timestamp("us"),
    }[column_type]


def included(schema: list[ColumnSchema]) -> list[ColumnSchema]:
    return [column for column in schema if column.include]


def arrow_schema(schema: list[ColumnSchema]) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([pa.field(column.name, arrow_type(column.type)) for column in included(schema)])


def _check_columns(source: PreparedSource, schema: list[ColumnSchema]) -> None:
    unknown = [column.name for column in schema if column.name not in source.columns]
    if unknown:
        raise InvalidInput(
            f"schema column(s) {', '.join(repr(n) for n in unknown)} not in the data; columns are: "
            + ", ".join(source.columns)
        )


def typed_expressions(source: PreparedSource, schema: list[ColumnSchema]) -> list[tuple[str, str]]:
    """(column name, checked conversion SQL) for each included column."""
    _check_columns(source, schema)
    if not included(schema):
        raise InvalidInput("every column is excluded; include at least one column")
    expressions = []
    for index, column in enumerate(schema):
        if column.include:
            value = quote_ident(column.name)
            expressions.append((column.name, typed_value(value, column, source.native_types.get(column.name), index)))
    return expressions


def typed_selects(source: PreparedSource, schema: list[ColumnSchema]) -> str:
    return ", ".join(f"{expression} AS {quote_ident(name)}" for name, expression in typed_expressions(source, schema))


def locate_bad_value(
    con: duckdb.DuckDBPyConnection, source: PreparedSource, column: ColumnSchema
) -> InvalidInput:
    """Find the first value of ``column`` that does not convert, file by file (the slow path)."""
    value = quote_ident(column.name)
    converted = convert("v", column, source.native_types.get(column.name))
    several_files = sum(len(group.files) for group in source.groups) > 1
    for group in source.groups:
        for path in group.files:
            found = con.execute(
                f"SELECT row, v FROM (SELECT row_number() OVER () AS row, {value} AS v FROM {group.scan([path])}) "
                f"WHERE v IS NOT NULL AND ({converted}) IS NULL ORDER BY row LIMIT 1"
            ).fetchone()
            if found:
                row, bad = found
                where = f"row {row}" + (f" of file '{source.file_name(path)}'" if several_files else "")
                expected = column.type + (f" in format '{column.datetime_format}'" if column.datetime_format else "")
                return InvalidInput(
                    f"column '{column.name}' expected {expected}, got {str(bad)!r} at {where}; fix the value, "
                    f"list it in null_values, or set the column's type to string"
                )
    return InvalidInput(f"column '{column.name}' holds a value that does not convert to {column.type}")


def translate_error(
    error: duckdb.Error, con: duckdb.DuckDBPyConnection, source: PreparedSource, schema: list[ColumnSchema], parse
) -> InvalidInput:
    marker = _BAD_VALUE.search(str(error))
    if marker:
        return locate_bad_value(con, source, schema[int(marker.group(1))])
    return explain_scan_error(error, source, parse)


def _batches(
    con: duckdb.DuckDBPyConnection, ready: PreparedSource, source: TabularSource, schema: list[ColumnSchema],
    batch_rows: int, limit: int | None,
) -> Iterator[pa.RecordBatch]:
    target = arrow_schema(schema)
    selects = typed_selects(ready, schema)
    remaining = limit
    for group in ready.groups:
        if remaining is not None and remaining <= 0:
            return
        sql = f"SELECT {selects} FROM {group.scan()}" + (f" LIMIT {remaining}" if remaining is not None else "")
        try:
            reader = con.sql(sql).to_arrow_reader(batch_rows)
            for batch in reader:
                if remaining is not None:
                    remaining -= batch.num_rows
                yield batch.cast(target)
        except duckdb.Error as error:
            raise translate_error(error, con, ready, schema, source.parse) from None


def iter_batches(
    source: TabularSource, schema: list[ColumnSchema], batch_rows: int = DEFAULT_BATCH_ROWS
) -> Iterator[pa.RecordBatch]:
    """Stream the included columns as Arrow record batches with the schema's types, in file order."""
    with ExitStack() as stack:
        con = stack.enter_context(engine_connection())
        ready = stack.enter_context(prepared(source, con))
        yield from _batches(con, ready, source, schema, batch_rows, None)


def read_arrow(source: TabularSource, schema: list[ColumnSchema], limit: int | None = None) -> pa.Table:
    """The included columns as one Arrow table with the schema's types (the first ``limit`` rows)."""
    import pyarrow as pa

    with engine_connection() as con, prepared(source, con) as ready:
        batches = list(_batches(con, ready, source, schema, DEFAULT_BATCH_ROWS, limit))
        return pa.Table.from_batches(batches, schema=arrow_schema(schema))


def validate(source: TabularSource, schema: list[ColumnSchema]) -> int:
    """A full pass converting every value (one per batch of columns); returns the row count or
    raises the first bad value."""
    with engine_connection() as con, prepared(source, con) as ready:
        if is_wide(ready, [column.name for column in schema]):
            return _validate_wide(con, ready, source, schema)
        rows = 0
        for batch in column_batches(typed_expressions(ready, schema)):
            counts = ", ".join(f"count({expression})" for _, expression in batch)
            try:
                rows = con.execute(f"SELECT count(*), {counts} FROM ({ready.relation()})").fetchone()[0]
            except duckdb.Error as error:
                raise translate_error(error, con, ready, schema, source.parse) from None
        return rows


def _validate_wide(con: duckdb.DuckDBPyConnection, ready: PreparedSource, source: TabularSource,
                   schema: list[ColumnSchema]) -> int:
    typed_expressions(ready, schema)  # the same checks of the schema's columns
    try:
        rows = con.execute(f"SELECT count(*) FROM ({ready.relation()})").fetchone()[0]
        bad = first_bad_column(con, ready, schema)
    except duckdb.Error as error:
        raise explain_scan_error(error, ready, source.parse) from None
    if bad is not None:
        raise locate_bad_value(con, ready, bad)
    return rows

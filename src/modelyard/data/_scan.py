"""The one parse of a source into the profile's scratch table (see ``_inspect``): each text
column's type predicted from a sample, every value classified and converted to the predicted
type in the same pass, and the columns predicted wrong read once more."""

from __future__ import annotations

from pathlib import Path

import duckdb

from modelyard.spec.data import ColumnSchema, ColumnType

from modelyard.data._duck import memory_limit_bytes, quote_ident
from modelyard.data._read import translate_error
from modelyard.data._scratch_column import ScratchColumn
from modelyard.data._source import PreparedSource, TabularSource, explain_scan_error
from modelyard.data._types import (
    _BOOLEANS,
    _DECIMAL_PATTERN,
    _INTEGER_PATTERN,
    classify,
    convert_native,
    infer_type,
    timestamp_cast,
    typed_value,
)
from modelyard.data._wide import class_counts


def _precomputed(name: str, predicted: ColumnType) -> str | None:
    """SQL of the one cast the classifier and the conversion of a predicted type share."""
    if predicted == "integer":
        return f"TRY_CAST({name} AS BIGINT)"
    if predicted == "decimal":
        return f"TRY_CAST({name} AS DOUBLE)"
    if predicted == "datetime":
        return timestamp_cast(name)
    return None


def _fast_classify(v: str, predicted: ColumnType, cast: str | None) -> str:
    """``classify(v)`` (the same code for every value), testing the predicted type first with
    ``cast`` (the value through ``_precomputed``); other values go through ``classify``."""
    general = classify(v)
    if predicted == "integer":
        # Integer text that fits a BIGINT is always a finite DOUBLE (the casts skip the same spaces).
        # Text spelled as its BIGINT prints (most of it) is integer text without the regular
        # expression; a separate WHEN, because DuckDB evaluates both sides of an AND.
        first = (f"WHEN {v} = {cast}::VARCHAR THEN 1 "
                 f"WHEN {cast} IS NOT NULL AND regexp_full_match({v}, {_INTEGER_PATTERN}) THEN 1")
    elif predicted == "decimal":
        # Decimal text without '.', 'e' or 'E' is integer text: class 1 when it fits a BIGINT.
        first = (
            f"WHEN isfinite({cast}) AND regexp_full_match({v}, {_DECIMAL_PATTERN}) THEN "
            f"CASE WHEN contains({v}, '.') OR contains({v}, 'e') OR contains({v}, 'E') THEN 2 "
            f"WHEN TRY_CAST({v} AS BIGINT) IS NOT NULL THEN 1 ELSE 2 END"
        )
    elif predicted == "boolean":
        first = f"WHEN {v} IN {_BOOLEANS} THEN 3"
    elif predicted == "datetime":
        first = f"WHEN {cast} IS NOT NULL AND NOT coalesce(isfinite(TRY_CAST({v} AS DOUBLE)), false) THEN 4"
    else:
        return general
    return f"(CASE WHEN {v} IS NULL THEN 0 {first} ELSE {general} END)::UTINYINT"


def _speculative(v: str, k: str, predicted: ColumnType, cast: str | None) -> str:
    """``v`` as the predicted type where its class says it is one, else NULL (no check: a value
    of another class makes the column's inferred type differ, and the column is read again).
    These give the same values as ``_types.convert_text`` for values of that class."""
    if predicted == "integer":
        return f"CASE WHEN {k} = 1 THEN {cast} END"
    if predicted == "decimal":
        return f"CASE WHEN {k} IN (1, 2) THEN {cast} END"
    if predicted == "boolean":
        return f"CASE WHEN {k} = 3 THEN lower({v}) = 'true' END"
    if predicted == "datetime":
        return f"CASE WHEN {k} = 4 THEN {cast} END"
    return v


def _as_native(v: str, column: ScratchColumn) -> str:
    """SQL of a typed (Parquet, JSON) column's value as its own type."""
    return convert_native(v, column.native, ColumnSchema(name=column.name, type=column.native))


def predict_types(con, ready: PreparedSource, parse, columns: list[ScratchColumn], sample_rows: int) -> float:
    """Each text column's type in the first ``sample_rows`` rows: a guess, checked by the scan
    (where the sample says string, by the type counts of the column's distinct values). One
    query over the sample's values (``_wide``): planned once however many columns there are.
    Returns the sample's average text length of a row (to estimate the size of the scratch table)."""
    text = [column for column in columns if column.text]
    if not text:
        return 0.0
    try:
        sampled = con.execute(f"SELECT count(*) FROM (SELECT 1 FROM ({ready.relation()}) LIMIT {sample_rows})").fetchone()[0]
        found = class_counts(con, ready, [c.name for c in text], sample_rows)
    except duckdb.Error as error:
        raise explain_scan_error(error, ready, parse) from None
    for column in text:
        classes, length = found[column.name]
        non_null = sum(classes.values())
        column.length = length / non_null if non_null else 0.0
        if column.fixed is None:
            counts = {name: n for name, n in {**classes, "null": sampled - non_null}.items() if n}
            column.predicted = infer_type(counts)
            column.certain = column.predicted == "string" and any(name != "null" for name in counts)
    return sum(found[c.name][1] for c in text) / sampled + len(text) if sampled else 0.0


def scratch_on_disk(con, ready: PreparedSource, columns: list[ScratchColumn], text_row_bytes: float,
                    share: float) -> bool:
    """Whether the scratch table would outgrow ``share`` of DuckDB's memory, so it is better
    written to an on-disk database than spilled: DuckDB then evicts its blocks without writing
    them again, and reads them back from the page cache."""
    if ready.native_types:
        rows = con.execute(f"SELECT count(*) FROM ({ready.relation()})").fetchone()[0]
    else:
        total = sum(Path(path).stat().st_size for group in ready.groups for path in group.files)
        rows = total / max(text_row_bytes, 1.0)
    # A stored value takes 8 bytes, a string 16 plus text beyond 12 bytes; a class code 1 byte.
    per_row = sum(
        (16 + (c.length if c.length > 12 else 0) if c.predicted == "string" or (c.fixed and c.fixed.type == "string") else 8)
        for c in columns if c.include and c.direct is None and not c.streamed
    ) + sum(1 for c in columns if c.classified)
    return rows * per_row > share * memory_limit_bytes(con)


def scan(con, ready: PreparedSource, source: TabularSource, columns: list[ScratchColumn], schema: list[ColumnSchema]) -> None:
    """The single parse into the scratch table ``scan``: k<i> for text columns, x<i> for included ones;
    streamed columns' x<i> in the view ``source`` over the columnar source instead."""
    inner, middle, outer, streamed = [], [], [], []
    for column in columns:
        if column.streamed:
            column.stored = column.native
            streamed.append(f"{_as_native(quote_ident(column.name), column)} AS x{column.index}")
            continue
        i, v = column.index, f"v{column.index}"
        inner.append(f"{quote_ident(column.name)} AS {v}")
        middle.append(v)
        cast = None
        if column.classified:
            guess = column.predicted if column.fixed is None else column.fixed.type
            precomputed = _precomputed(quote_ident(column.name), guess)
            if precomputed is not None:
                inner.append(f"{precomputed} AS p{i}")
                middle.append(f"p{i}")
                cast = f"p{i}"
            middle.append(f"{_fast_classify(v, guess, cast)} AS k{i}")
            outer.append(f"k{i}")
        if not column.include:
            if not column.text:  # only whether it is null, for its inferred type
                outer.append(f"({v} IS NOT NULL)::UTINYINT AS k{i}")
            continue
        if column.direct is not None:
            column.stored = "string"
            continue
        if column.fixed is not None:
            outer.append(f"{typed_value(v, column.fixed, column.native, i)} AS x{i}")
            column.stored = column.fixed.type
        elif column.text:
            column.stored = column.predicted
            outer.append(f"{_speculative(v, f'k{i}', column.stored, cast)} AS x{i}")
        else:
            column.stored = column.native
            outer.append(f"{_as_native(v, column)} AS x{i}")
    if streamed:
        view = next(c.table for c in columns if c.streamed)
        con.execute(f"CREATE VIEW {view} AS SELECT {', '.join(streamed)} FROM ({ready.relation()})")
    table = next((c.table for c in columns if not c.streamed), None)
    if table is None:
        return
    sql = (
        f"CREATE TABLE {table} AS SELECT {', '.join(outer) or '0 AS placeholder'} FROM "
        f"(SELECT {', '.join(middle)} FROM "
        f"(SELECT {', '.join(inner)} FROM ({ready.relation()})))"
    )
    try:
        con.execute(sql)
    except duckdb.Error as error:
        raise translate_error(error, con, ready, schema, source.parse) from None


def read_again(con, ready: PreparedSource, source: TabularSource, columns: list[ScratchColumn], schema: list[ColumnSchema]) -> None:
    """Columns whose sampled type was wrong: read once more, as their final type, into ``fix``."""
    selects = []
    for column in columns:
        final = schema[column.index]
        v = quote_ident(column.name)
        selects.append(f"{typed_value(v, final, column.native, column.index)} AS x{column.index}")
        column.stored, column.table, column.direct = final.type, column.table.replace("scan", "fix"), None
    try:
        con.execute(f"CREATE TABLE {columns[0].table} AS SELECT {', '.join(selects)} FROM ({ready.relation()})")
    except duckdb.Error as error:
        raise translate_error(error, con, ready, schema, source.parse) from None

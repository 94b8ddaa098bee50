"""Schema inference, validation and the full profile from ONE parse of the source.

The earlier path, ``infer_schema`` + ``resolve_schema`` + a separate profile, read a CSV twice
and classified and converted every value twice. Measured on the 1M-row benchmark file, parsing itself is the small
part (~0.45 CPU-s of ~12); classifying and converting values is most of it. ``inspect_source``:

1. predicts each text column's type from the first ``SAMPLE_ROWS`` rows, in one query over the
   sample's values (``_wide``: planned once, however many columns);
2. parses the whole source once into a scratch table holding, per column, the class code of
   every text value (``k``: what the value parses as, see ``_types.classify``) and the value
   converted to the predicted type (``x``) — the classifier tests the predicted type first
   and shares its one cast with the conversion. Columns the sample says are string store only
   the text; their type counts come from their distinct values. Columns the user typed are
   converted with the validating conversion (the first bad value is reported by column, row
   and value, as ``validate`` does);
3. one aggregate query over the scratch table gives the row count, the type counts (so the
   schema: ``_types.infer_type``), count/min/max/mean of ``x`` and the value counts of boolean
   columns;
4. histograms with the variance, skewness and kurtosis (power sums of the values minus their
   mean, one scan), then distinct counts, quantiles and top values per column, two queries at
   a time, over the compact, typed scratch table — never the source again.

Where the sample predicted a column wrong (a '?' far down an integer column, many of them
among the first rows), only that column is read again, as its inferred type. A scratch table estimated beyond its share of
DuckDB's memory limit is written to an on-disk database in a temporary folder rather than
spilled. ``profile_source`` (a registered version's profile on demand) is the same pass with
every column's type fixed by its stored schema.

Definitions: ``std``/``variance`` are the sample (n - 1) ones (``std`` is ``sqrt(var_samp)``);
``skewness`` is the adjusted Fisher-Pearson coefficient G1 and ``kurtosis`` the bias-corrected
excess kurtosis G2, as pandas' ``Series.skew()``/``Series.kurt()``; quantiles interpolate
linearly (pandas' default).
Quantiles are exact while one column's values fit in the held share of the memory limit
(``exact_quantile_rows``; 12.5M rows at 1GB) and DuckDB's t-digest ``approx_quantile`` beyond,
labelled by ``quantiles_exact``; counts, distinct counts, min and max are always exact. The
type counts of a decimal column split integer from decimal text as the classifier does (an
integer too large for BIGINT counts as decimal).
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb

from modelyard.errors import InvalidInput
from modelyard.spec.data import (
    QUANTILES,
    ColumnOverride,
    ColumnProfile,
    ColumnSchema,
    ColumnType,
    DataProfile,
    HistogramBin,
    ValueCount,
)

from modelyard.data._duck import column_batches, engine_connection, memory_limit_bytes, quote_ident, quote_literal
from modelyard.data._phases import phase
from modelyard.data._read import translate_error
from modelyard.data._schema import resolve_schema
from modelyard.data._source import PreparedSource, TabularSource, explain_scan_error, prepared
from modelyard.data._wide import class_counts
from modelyard.data._types import (
    _BOOLEANS,
    _DECIMAL_PATTERN,
    _INTEGER_PATTERN,
    TYPE_CODES,
    _starts_with_digit,
    classify,
    convert_native,
    infer_type,
    inferred_column,
    type_errors,
    typed_value,
)

SAMPLE_ROWS = 20_000
# Exact quantiles and distinct counts hold a column's values in memory (about 40 bytes a value
# with the distinct hash table). Quantiles are exact while one column fits in HELD_SHARE of
# DuckDB's memory limit; a query takes as many columns as fit in BATCH_SHARE (small batches
# cost little time and keep the peak low).
BYTES_PER_HELD_VALUE = 40
HELD_SHARE = 0.5
BATCH_SHARE = 0.1
WORKERS = min(2, os.cpu_count() or 1)  # per-column queries run this many at a time
# A scratch table estimated above this share of the memory limit is written to disk.
SCRATCH_SHARE = 0.6
HISTOGRAM_BINS = 20
# Each histogram, distinct count or quantile aggregate holds a sizeable state per thread: a few
# hundred in one query exhaust 1 GB, so a query takes at most this many columns.
AGGREGATE_BATCH = 50
TOP_VALUES = 20
NUMERIC = ("integer", "decimal")
CODE_OF: dict[str, int] = {name: code for code, name in TYPE_CODES.items()}


def quantile_label(q: float) -> str:
    return f"{q * 100:g}%"


@dataclass
class _Column:
    """One source column in the scratch table: ``k<i>`` (text columns) and ``x<i>`` (included)."""

    index: int
    name: str
    native: ColumnType | None  # the format's own type (parquet, typed JSON), None for text
    fixed: ColumnSchema | None  # the user's type (type or datetime_format), validated while reading
    include: bool
    predicted: ColumnType = "string"  # text columns: the type of the sampled values
    certain: bool = False  # the sample says string (its type counts then come from its distinct values)
    length: float = 0.0  # average text length in the sample
    stored: ColumnType | None = None  # type of x<i>; None when excluded
    table: str = "scan"  # where the final x<i> lives: "scan", or "fix" after a wrong prediction
    direct: str | None = None  # SQL of the source, when a string column is read from it, not stored

    @property
    def text(self) -> bool:
        return self.native is None

    @property
    def classified(self) -> bool:
        """Whether the scan classifies every value (k<i>): to infer the type, or to split a decimal
        column's integer and decimal text. String columns get their type counts from their
        distinct values instead (``_value_counts``)."""
        if not self.text:
            return False
        if self.fixed is not None:
            return self.include and (self.fixed.type == "decimal" or self.fixed.invalid_as_missing)
        return not (self.certain and self.include)


# -- the one parse ---------------------------------------------------------------------------------


def _precomputed(name: str, predicted: ColumnType) -> str | None:
    """SQL of the one cast the classifier and the conversion of a predicted type share."""
    if predicted == "integer":
        return f"TRY_CAST({name} AS BIGINT)"
    if predicted == "decimal":
        return f"TRY_CAST({name} AS DOUBLE)"
    if predicted == "datetime":
        return f"CASE WHEN {_starts_with_digit(name)} THEN TRY_CAST({name} AS TIMESTAMP) END"
    return None


def _fast_classify(v: str, predicted: ColumnType, cast: str | None) -> str:
    """``classify(v)`` (the same code for every value), testing the predicted type first with
    ``cast`` (the value through ``_precomputed``); other values go through ``classify``."""
    general = classify(v)
    if predicted == "integer":
        # Integer text that fits a BIGINT is always a finite DOUBLE (the casts skip the same spaces).
        first = f"WHEN {cast} IS NOT NULL AND regexp_full_match({v}, {_INTEGER_PATTERN}) THEN 1"
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


def _predict(con, ready: PreparedSource, parse, columns: list[_Column], sample_rows: int) -> float:
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


def _scratch_on_disk(con, ready: PreparedSource, columns: list[_Column], text_row_bytes: float) -> bool:
    """Whether the scratch table would outgrow its share of DuckDB's memory, so it is better
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
        for c in columns if c.include and c.direct is None
    ) + sum(1 for c in columns if c.classified)
    return rows * per_row > SCRATCH_SHARE * memory_limit_bytes(con)


def _scan(con, ready: PreparedSource, source: TabularSource, columns: list[_Column], schema: list[ColumnSchema]) -> None:
    """The single parse into the scratch table ``scan``: k<i> for text columns, x<i> for included ones."""
    inner, middle, outer = [], [], []
    for column in columns:
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
            outer.append(f"{convert_native(v, column.native, ColumnSchema(name=column.name, type=column.native))} AS x{i}")
    sql = (
        f"CREATE TABLE {columns[0].table} AS SELECT {', '.join(outer) or '0 AS placeholder'} FROM "
        f"(SELECT {', '.join(middle)} FROM "
        f"(SELECT {', '.join(inner)} FROM ({ready.relation()})))"
    )
    try:
        con.execute(sql)
    except duckdb.Error as error:
        raise translate_error(error, con, ready, schema, source.parse) from None


def _read_again(con, ready: PreparedSource, source: TabularSource, columns: list[_Column], schema: list[ColumnSchema]) -> None:
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


# -- statistics over the scratch tables ------------------------------------------------------------

def _value_stats(column: _Column) -> list[tuple[str, str]]:
    x = f"x{column.index}"
    stats = [("count", f"count({x})"), ("min", f"min({x})"), ("max", f"max({x})")]
    if column.stored in NUMERIC:
        # variance, skewness and kurtosis come with the histograms, over values shifted by the mean
        stats += [("mean", f"avg({x})")]
    elif column.stored == "boolean":  # value counts of a boolean column: no GROUP BY needed
        stats += [("true", f"count_if({x})"), ("false", f"count_if(NOT {x})")]
    return stats


def _first_aggregate(con, columns: list[_Column]) -> tuple[int, dict[int, dict], dict[int, dict]]:
    """Row count, class counts of every text column and count/min/max/moments of every ``x``."""
    aggregates, keys = ["count(*)"], []
    for column in columns:
        if column.classified:
            for code in TYPE_CODES:
                aggregates.append(f"count_if(k{column.index} = {code})")
                keys.append((column.index, "class", code))
        if column.include and column.direct is None:
            for name, sql in _value_stats(column):
                aggregates.append(sql)
                keys.append((column.index, "stat", name))
        elif not column.text:
            aggregates.append(f"sum(k{column.index})")
            keys.append((column.index, "stat", "count"))
    row = con.execute(f"SELECT {', '.join(aggregates)} FROM {columns[0].table}").fetchone()
    classes: dict[int, dict] = {c.index: {} for c in columns}
    stats: dict[int, dict] = {c.index: {} for c in columns}
    for (index, kind, key), value in zip(keys, row[1:]):
        (classes if kind == "class" else stats)[index][key] = value
    return row[0], classes, stats


def _restat(con, columns: list[_Column], stats: dict[int, dict]) -> None:
    """count/min/max/moments of columns read again (from ``fix``)."""
    aggregates, keys = [], []
    for column in columns:
        for name, sql in _value_stats(column):
            aggregates.append(sql)
            keys.append((column.index, name))
    row = con.execute(f"SELECT {', '.join(aggregates)} FROM {columns[0].table}").fetchone()
    for column in columns:
        stats[column.index] = {}
    for (index, name), value in zip(keys, row):
        stats[index][name] = value


def _by_table(columns: list[_Column]) -> dict[str, list[_Column]]:
    tables: dict[str, list[_Column]] = {}
    for column in columns:
        tables.setdefault(column.table, []).append(column)
    return tables


@dataclass
class _Shape:
    histogram: list[HistogramBin]
    variance: float | None
    skewness: float | None
    kurtosis: float | None


def _shape(con, numeric: list[tuple[_Column, dict]]) -> dict[int, _Shape]:
    """Equal-width bins between min and max, and the sample variance, skewness and kurtosis of the
    values minus their mean (DuckDB sums powers of the values: a large common offset, values
    around 1e9, would cancel away most digits), AGGREGATE_BATCH numeric columns of a table per pass."""
    result: dict[int, _Shape] = {}
    for table in _by_table([c for c, _ in numeric]):
        for batch in column_batches([(c, stat) for c, stat in numeric if c.table == table], AGGREGATE_BATCH):
            result.update(_shape_batch(con, table, batch))
    return result


def _double(value: float) -> str:
    """A DOUBLE literal (a bare ``1.5`` is a DECIMAL: exact, several times slower arithmetic)."""
    return f"{float(value)!r}::DOUBLE"


def _shape_batch(con, table: str, batch: list[tuple[_Column, dict]]) -> dict[int, _Shape]:
    result: dict[int, _Shape] = {}
    if batch:
        inner, aggregates = [], []
        for column, stat in batch:
            x, i, low, high = f"x{column.index}", column.index, float(stat["min"]), float(stat["max"])
            width = (high - low) / HISTOGRAM_BINS
            inner.append(f"{x}::DOUBLE - {_double(stat['mean'])} AS d{i}")
            # least() skips NULLs: a missing value would land in the last bin without the CASE
            bin_of = (f"least(floor(({x}::DOUBLE - {_double(low)}) / {_double(width)}), {HISTOGRAM_BINS - 1})::INTEGER"
                      if width else "0")
            inner.append(f"CASE WHEN {x} IS NOT NULL THEN {bin_of} END AS b{i}")
            # power sums of the centred values: plain SUMs, a third of the cost of DuckDB's moment aggregates
            aggregates += [f"histogram(b{i})", f"count(d{i})", f"sum(d{i})", f"sum(d{i} * d{i})",
                           f"sum(d{i} * d{i} * d{i})", f"sum((d{i} * d{i}) * (d{i} * d{i}))"]
        row = con.execute(f"SELECT {', '.join(aggregates)} FROM (SELECT {', '.join(inner)} FROM {table})").fetchone()
        for position, (column, stat) in enumerate(batch):
            counts, n, *sums = row[6 * position : 6 * position + 6]
            low, high = float(stat["min"]), float(stat["max"])
            bins = HISTOGRAM_BINS if high > low else 1
            width = (high - low) / bins
            counts = counts or {}
            histogram = [
                HistogramBin(lower=low + b * width, upper=high if b == bins - 1 else low + (b + 1) * width,
                             count=counts.get(b, 0))
                for b in range(bins)
            ]
            result[column.index] = _Shape(histogram, *_moments(n, sums))
    return result


def _moments(n: int, sums: list[float]) -> tuple[float | None, float | None, float | None]:
    """Sample variance, skewness G1 and excess kurtosis G2 (pandas' definitions) from the power
    sums of values centred on (about) their mean."""
    if n < 2:
        return None, None, None
    mean, s2, s3, s4 = (value / n for value in sums)  # raw moments about the centre
    m2 = s2 - mean**2
    m3 = s3 - 3 * mean * s2 + 2 * mean**3
    m4 = s4 - 4 * mean * s3 + 6 * mean**2 * s2 - 3 * mean**4
    variance = m2 * n / (n - 1)
    if m2 <= 0:
        return _float(variance), None, None
    skewness = math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5 if n > 2 else None
    kurtosis = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * (m4 / m2**2 - 3) + 6) if n > 3 else None
    return _float(variance), _float(skewness), _float(kurtosis)


def _distinct_and_quantiles(con, columns: list[_Column], rows: int, exact: bool) -> dict[int, tuple[int, dict | None]]:
    """Exact distinct counts of numeric and datetime columns and quantiles of the numeric ones;
    exact quantiles hold a column's values, so about QUANTILE_BATCH_VALUES values per query."""
    function = "quantile_cont" if exact else "approx_quantile"
    budget = memory_limit_bytes(con) * BATCH_SHARE // BYTES_PER_HELD_VALUE // WORKERS
    per_query = max(1, min(AGGREGATE_BATCH, int(budget // max(rows, 1))))
    batches = [(table, members[start : start + per_query])
               for table, members in _by_table(columns).items() for start in range(0, len(members), per_query)]

    def job(table: str, batch: list[_Column]):
        aggregates = []
        for column in batch:
            x = f"x{column.index}"
            aggregates.append(f"count(DISTINCT {x})")
            aggregates.append(f"{function}({x}, {list(QUANTILES)})" if column.stored in NUMERIC else "NULL")
        return lambda cursor: cursor.execute(f"SELECT {', '.join(aggregates)} FROM {table}").fetchone()

    results: dict[int, tuple[int, dict | None]] = {}
    for (_, batch), row in zip(batches, _parallel(con, [job(table, batch) for table, batch in batches])):
        for offset, column in enumerate(batch):
            distinct, values = row[2 * offset], row[2 * offset + 1]
            quantiles = None
            if column.stored in NUMERIC:
                quantiles = {quantile_label(q): float(v) for q, v in zip(QUANTILES, values or []) if v is not None}
            results[column.index] = (distinct, quantiles)
    return results


def _parallel(con, jobs: list) -> list:
    """``job(cursor)`` for each job, WORKERS at a time on cursors of the same database (DuckDB
    releases the GIL; per-column queries finish on one thread, so two keep both cores busy)."""
    if len(jobs) <= 1 or WORKERS <= 1:
        return [job(con) for job in jobs]

    def run(job):
        cursor = con.cursor()
        try:
            return job(cursor)
        finally:
            cursor.close()

    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(run, jobs))


@dataclass
class _ValueCounts:
    distinct: int
    top: list[ValueCount]
    kinds: dict[int, int] | None  # class code -> values, where the scan did not classify them
    stats: dict  # count, min, max


def _string_value_counts(con, columns: list[_Column]) -> dict[int, _ValueCounts]:
    """``_value_counts`` of each column, WORKERS at a time."""
    return dict(zip([c.index for c in columns], _parallel(con, [
        (lambda cursor, c=c: _value_counts(cursor, c, c.text and not c.classified)) for c in columns])))


def _value_counts(con, column: _Column, classify_text: bool) -> _ValueCounts:
    """Distinct count, top values (ties by value, descending), count, min and max of a string
    column and, for text not classified during the scan, what its distinct values parse as,
    weighted by their counts — one query over the column's groups (in the scratch table, or in a
    columnar source)."""
    x, table = f"x{column.index}", column.table
    if column.direct is not None:
        x, table = quote_ident(column.name), f"({column.direct})"
    kinds = "".join(f", sum(n) FILTER (WHERE k = {code})" for code in TYPE_CODES) if classify_text else ""
    row = con.execute(
        f"SELECT count(*), max({{'n': n, 'v': v}}, {TOP_VALUES}), sum(n), min(v), max(v){kinds} FROM "
        f"(SELECT v, n, {classify('v') if classify_text else '0'} AS k FROM "
        f"(SELECT {x} AS v, count(*) AS n FROM {table} WHERE {x} IS NOT NULL GROUP BY v))"
    ).fetchone()
    top = [ValueCount(value=item["v"], count=item["n"]) for item in (row[1] or [])]
    counted = {code: int(n) for code, n in zip(TYPE_CODES, row[5:]) if n} if classify_text else None
    return _ValueCounts(row[0], top, counted, {"count": int(row[2] or 0), "min": row[3], "max": row[4]})


# -- the whole inspection --------------------------------------------------------------------------


def _type_counts(column: _Column, final: ColumnSchema, classes: dict, parsed: int, rows: int) -> dict[str, int]:
    """What the values parse as, nulls under 'null'. Text columns of the inferred type report
    their classes, those that do not parse as the column's type under 'error'; a column the user
    typed reports its values as that type (they all converted), except decimal, split into
    integer and decimal text like an inferred decimal column."""
    if column.text and (final.type == "string" or column.classified or column.fixed is None):
        counts = {TYPE_CODES[code]: n for code, n in classes.items() if code != 0 and n}
        non_null = sum(counts.values())
        if final.type == "decimal" and column.fixed is not None and not final.invalid_as_missing:
            integers = counts.get("integer", 0)
            counts = {"integer": integers, "decimal": non_null - integers}
        errors = type_errors(counts, final.type)
        if errors:
            counts = {name: n for name, n in counts.items() if not type_errors({name: n}, final.type)}
            counts["error"] = errors
        counts["null"] = rows - non_null
    elif column.text:
        counts = {final.type: parsed, "null": rows - parsed}
    else:
        counts = {column.native: parsed, "null": rows - parsed}
    return {key: value for key, value in counts.items() if value}


def _inferred_counts(column: _Column, classes: dict, stats: dict, rows: int) -> dict[str, int]:
    if column.text and column.fixed is not None and not column.classified:  # typed by the user
        return {column.fixed.type: 1}
    if column.text:
        counts = {TYPE_CODES[code]: n for code, n in classes.items()}
    else:
        non_null = int(stats["count"] or 0)
        counts = {column.native: non_null, "null": rows - non_null}
    return {key: value for key, value in counts.items() if value}


def _detach(con) -> None:
    """Let go of the on-disk scratch database before its folder goes, never masking an error."""
    try:
        con.execute("DETACH scratch")
    except duckdb.Error:
        pass


def _json_value(value, column_type: str):
    if value is None:
        return None
    return value.isoformat() if column_type == "datetime" else value


def _float(value) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def inspect_source(
    source: TabularSource,
    overrides: list[ColumnOverride] | tuple[ColumnOverride, ...] = (),
    *,
    exact_quantile_rows: int | None = None,
    sample_rows: int = SAMPLE_ROWS,
) -> tuple[list[ColumnSchema], DataProfile]:
    """Infer the schema, apply ``overrides`` (as ``resolve_schema``), validate every value (as
    ``validate``) and profile the included columns (as ``profile_source``) in one parse per
    batch of ``COLUMN_BATCH`` columns (one for most files)."""
    return _inspect(source, list(overrides), exact_quantile_rows, sample_rows, frozenset())


def _inspect(source: TabularSource, overrides: list[ColumnOverride], exact_quantile_rows: int | None,
             sample_rows: int, lenient: frozenset[str]) -> tuple[list[ColumnSchema], DataProfile]:
    """``inspect_source``; the typed columns named in ``lenient`` read values that do not parse as
    missing (a stored schema's ``invalid_as_missing``)."""
    started = time.perf_counter()
    with ExitStack() as stack:
        with phase("prepare (connect, sniff, header)"):
            con = stack.enter_context(engine_connection())
            ready = stack.enter_context(prepared(source, con))
            con.execute("SET preserve_insertion_order = false")  # statistics do not depend on row order
        # The user's overrides, checked against the header before anything is read.
        planned = [c.model_copy(update={"invalid_as_missing": c.name in lenient}) for c in
                   resolve_schema([ColumnSchema(name=n, type="string") for n in ready.columns], overrides)]
        if not any(column.include for column in planned):
            raise InvalidInput("every column is excluded; include at least one column")
        typed_by_user = {o.name for o in overrides if o.type is not None or o.datetime_format is not None}
        columns = [
            _Column(index=i, name=c.name, native=ready.native_types.get(c.name),
                    fixed=c if c.name in typed_by_user else None, include=c.include)
            for i, c in enumerate(planned)
        ]
        batches = column_batches(columns)
        with phase("type prediction (sample)"):
            text_row_bytes = _predict(con, ready, source.parse, columns, sample_rows)
        if ready.columnar:  # string columns are grouped straight from the source, never copied
            for column in columns:
                if column.include and column.text and column.fixed is None and column.certain:
                    column.direct = ready.relation()
        if exact_quantile_rows is None:  # exact while one column's values fit in the held share
            exact_quantile_rows = int(memory_limit_bytes(con) * HELD_SHARE // BYTES_PER_HELD_VALUE)
        schema, profiles, on_disk = list(planned), [], False
        for number, batch in enumerate(batches):
            if _scratch_on_disk(con, ready, batch, text_row_bytes) and not on_disk:
                scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="modelyard-scratch-"))
                con.execute(f"ATTACH {quote_literal(str(Path(scratch) / 'scratch.duckdb'))} AS scratch")
                stack.callback(_detach, con)
                # Compressing costs more CPU than reading the plain blocks back from the page cache.
                con.execute("SET force_compression = 'uncompressed'")
                on_disk = True
            for column in batch:
                column.table = f"{'scratch.' if on_disk else ''}scan{number}"
            rows, batch_profiles = _inspect_batch(con, ready, source, batch, schema, overrides, exact_quantile_rows)
            profiles += batch_profiles
            for table in {column.table for column in batch} | {batch[0].table.replace("scan", "fix")}:
                con.execute(f"DROP TABLE IF EXISTS {table}")
    profile = DataProfile(rows=rows, columns=profiles, seconds=time.perf_counter() - started,
                          computed_at=datetime.now(timezone.utc))
    return schema, profile


def _inspect_batch(con, ready: PreparedSource, source: TabularSource, columns: list[_Column],
                   schema: list[ColumnSchema], overrides: list[ColumnOverride],
                   exact_quantile_rows: int) -> tuple[int, list[ColumnProfile]]:
    """Scan, type, validate and profile ``columns``; their final types are set in ``schema``
    (which holds the planned schema for the others)."""
    with phase("read + classify (the one parse)"):
        _scan(con, ready, source, columns, schema)
    with phase("type counts, count/min/max/mean"):
        rows, classes, stats = _first_aggregate(con, columns)

    # Columns the sample says are string get their type counts from their distinct values (cheaper
    # than classifying every value); the counts may still show a dominant type (``infer_type``).
    with phase("top values + string type counts"):
        value_counts = _string_value_counts(con, [c for c in columns if c.include and not c.classified
                                                  and c.text and c.fixed is None])
    for column in columns:
        if column.index in value_counts:
            classes[column.index] = value_counts[column.index].kinds
            if column.direct is not None:
                stats[column.index] = value_counts[column.index].stats
    names = {c.name for c in columns}
    inferred = [inferred_column(c.name, _inferred_counts(c, classes[c.index], stats[c.index], rows)) for c in columns]
    for column, final in zip(columns, resolve_schema(inferred, [o for o in overrides if o.name in names])):
        schema[column.index] = column.fixed if column.fixed is not None else final

    wrong = [c for c in columns if c.include and c.stored != schema[c.index].type]
    if wrong:
        with phase("read again (wrong predictions)"):
            _read_again(con, ready, source, wrong, schema)
            _restat(con, wrong, stats)

    included = [c for c in columns if c.include]
    numeric = [c for c in included if c.stored in NUMERIC]
    with phase("histograms, variance, skewness, kurtosis"):
        shapes = _shape(con, [(c, stats[c.index]) for c in numeric if stats[c.index]["min"] is not None])
    exact = rows <= exact_quantile_rows
    with phase("distinct counts + quantiles"):
        distinct_quantiles = _distinct_and_quantiles(
            con, [c for c in included if c.stored in NUMERIC or c.stored == "datetime"], rows, exact)
    with phase("top values + string type counts"):
        value_counts.update(_string_value_counts(con, [c for c in included if schema[c.index].type == "string"
                                                       and c.index not in value_counts]))

    profiles = []
    for column in included:
        final, stat = schema[column.index], stats[column.index]
        extra: dict = {}
        if final.type in NUMERIC:
            distinct, quantiles = distinct_quantiles[column.index]
            shape = shapes.get(column.index)
            extra = {
                "quantiles": quantiles or None,
                "quantiles_exact": exact,
                "histogram": shape.histogram if shape else None,
                "mean": _float(stat["mean"]),
                "variance": shape.variance if shape else None,
                # std is sqrt(var_samp), as DuckDB's stddev_samp computes it
                "std": math.sqrt(shape.variance) if shape and shape.variance is not None else None,
                "skewness": shape.skewness if shape else None,
                "kurtosis": shape.kurtosis if shape else None,
            }
        elif final.type == "boolean":
            counted = sorted(((stat[key], key == "true") for key in ("true", "false") if stat[key]), reverse=True)
            distinct = len(counted)
            extra = {"value_counts": [ValueCount(value=value, count=n) for n, value in counted]}
        elif final.type == "string":
            counted = value_counts[column.index]
            distinct = counted.distinct
            if counted.kinds is not None:
                classes[column.index] = counted.kinds
            extra = {"value_counts": counted.top}
        else:
            distinct = distinct_quantiles[column.index][0]
        type_counts = _type_counts(column, final, classes[column.index], stat["count"], rows)
        missing = type_counts.get("null", 0)
        profiles.append(ColumnProfile(
            name=column.name,
            type=final.type,
            type_counts=type_counts,
            count=rows,
            non_missing=rows - missing,
            missing=missing,
            errors=type_counts.get("error", 0),
            distinct=distinct,
            min=_json_value(stat["min"], final.type),
            max=_json_value(stat["max"], final.type),
            **extra,
        ))
    return rows, profiles


def profile_source(source: TabularSource, schema: list[ColumnSchema]) -> DataProfile:
    """The profile of a source whose schema is known: ``inspect_source`` with every type fixed."""
    fixed = [ColumnOverride(name=c.name, type=c.type, include=c.include, datetime_format=c.datetime_format)
             for c in schema]
    lenient = frozenset(c.name for c in schema if c.invalid_as_missing)
    return _inspect(source, fixed, None, SAMPLE_ROWS, lenient)[1]

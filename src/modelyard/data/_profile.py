"""Data profiles: the workshop's per-column statistics, computed in DuckDB in bounded memory.

One scan of the files converts every included column into a scratch DuckDB table (raising the
first value that does not convert; DuckDB spills it to disk past its memory limit); every
statistic is then an aggregate over that columnar table, so the files are parsed once.

Definitions: ``std``/``variance`` are the sample (n - 1) ones; ``skewness`` is the adjusted
Fisher-Pearson coefficient G1 and ``kurtosis`` the bias-corrected excess kurtosis G2 — the same
as pandas' ``Series.skew()``/``Series.kurt()``. Quantiles interpolate linearly (pandas'
default); up to ``EXACT_QUANTILE_ROWS`` rows they are exact, beyond that DuckDB's t-digest
``approx_quantile`` is used and ``quantiles_exact`` is False. Counts, distinct, min and max are
always exact.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone

import duckdb

from modelyard.spec.data import QUANTILES, ColumnProfile, ColumnSchema, DataProfile, HistogramBin, ValueCount

from modelyard.data._duck import engine_connection, quote_ident
from modelyard.data._read import included, translate_error, typed_expressions
from modelyard.data._source import TabularSource, prepared
from modelyard.data._types import TYPE_CODES, classify, integer_text

EXACT_QUANTILE_ROWS = 50_000_000
QUANTILE_BATCH_VALUES = 20_000_000
HISTOGRAM_BINS = 20
TOP_VALUES = 20
NUMERIC = ("integer", "decimal")


def quantile_label(q: float) -> str:
    return f"{q * 100:g}%"


def _scratch_table(con: duckdb.DuckDBPyConnection, ready, source: TabularSource, schema: list[ColumnSchema]) -> None:
    """Parse the files once into ``typed`` (c<i>: converted values). Decimal text columns also
    keep i<i>, whether the text was an integer, for their type counts; string columns get theirs
    from their distinct values later, so no value is classified twice."""
    con.execute("SET preserve_insertion_order = false")  # statistics do not depend on row order
    selects = []
    for index, (name, expression) in enumerate(typed_expressions(ready, schema)):
        selects.append(f"{expression} AS c{index}")
        column = next(c for c in schema if c.name == name)
        if column.type == "decimal" and name not in ready.native_types:
            selects.append(f"{integer_text(quote_ident(name))} AS i{index}")
    try:
        con.execute(f"CREATE TEMP TABLE typed AS SELECT {', '.join(selects)} FROM ({ready.relation()})")
    except duckdb.Error as error:
        raise translate_error(error, con, ready, schema, source.parse) from None


def _derived_type_counts(ready, column: ColumnSchema, non_null: int, integers: int | None, rows: int) -> dict[str, int]:
    """Type counts of a column whose every value converted: they all parse as its type."""
    if column.name in ready.native_types:
        counts = {ready.native_types[column.name]: non_null}
    elif column.type == "decimal":
        counts = {"integer": integers or 0, "decimal": non_null - (integers or 0)}
    else:
        counts = {column.type: non_null}
    counts["null"] = rows - non_null
    return {key: value for key, value in counts.items() if value}


def _moments(con, ready, columns: list[ColumnSchema]) -> tuple[int, list[dict]]:
    """Row count and, per column, count/min/max (+ integer-text count and moments where numeric)."""
    numeric_names = ["mean", "std", "variance", "skewness", "kurtosis"]
    aggregates = ["count(*)"]
    for i, column in enumerate(columns):
        c = f"c{i}"
        aggregates += [f"count({c})", f"min({c})", f"max({c})"]
        if column.type == "decimal" and column.name not in ready.native_types:
            aggregates.append(f"count(*) FILTER (i{i})")
        if column.type in NUMERIC:
            aggregates += [f"avg({c})", f"stddev_samp({c})", f"var_samp({c})", f"skewness({c})", f"kurtosis({c})"]
    row = iter(con.execute(f"SELECT {', '.join(aggregates)} FROM typed").fetchone())
    rows = next(row)
    results = []
    for column in columns:
        names = ["count", "min", "max"]
        if column.type == "decimal" and column.name not in ready.native_types:
            names.append("integers")
        if column.type in NUMERIC:
            names += numeric_names
        results.append({name: next(row) for name in names})
    return rows, results


def _quantiles_and_distinct(con, indexes: list[int], rows: int) -> dict[int, tuple[int, dict[str, float], bool]]:
    """Distinct count and quantiles of numeric columns; exact quantiles hold a column's values in
    memory, so columns are batched to keep about QUANTILE_BATCH_VALUES values at a time."""
    exact = rows <= EXACT_QUANTILE_ROWS
    function = "quantile_cont" if exact else "approx_quantile"
    per_query = max(1, QUANTILE_BATCH_VALUES // max(rows, 1))
    results = {}
    for start in range(0, len(indexes), per_query):
        batch = indexes[start : start + per_query]
        aggregates = [f"count(DISTINCT c{i}), {function}(c{i}, {list(QUANTILES)})" for i in batch]
        row = con.execute(f"SELECT {', '.join(aggregates)} FROM typed").fetchone()
        for offset, index in enumerate(batch):
            distinct, values = row[2 * offset], row[2 * offset + 1]
            labelled = {quantile_label(q): float(v) for q, v in zip(QUANTILES, values or []) if v is not None}
            results[index] = (distinct, labelled, exact)
    return results


def _histograms(con, numeric: list[tuple[int, float, float]]) -> dict[int, list[HistogramBin]]:
    """Equal-width bins between min and max, all numeric columns in one pass."""
    if not numeric:
        return {}
    aggregates = []
    for index, low, high in numeric:
        width = (high - low) / HISTOGRAM_BINS
        bin_of = f"least(floor((c{index} - {low!r}) / {width!r}), {HISTOGRAM_BINS - 1})::INTEGER" if width else "0"
        aggregates.append(f"histogram(CASE WHEN c{index} IS NOT NULL THEN {bin_of} END)")
    row = con.execute(f"SELECT {', '.join(aggregates)} FROM typed").fetchone()
    result = {}
    for (index, low, high), counts in zip(numeric, row):
        bins = HISTOGRAM_BINS if high > low else 1
        width = (high - low) / bins
        counts = counts or {}
        result[index] = [
            HistogramBin(lower=low + b * width, upper=high if b == bins - 1 else low + (b + 1) * width, count=counts.get(b, 0))
            for b in range(bins)
        ]
    return result


def _value_counts(con, index: int, classify_text: bool) -> tuple[int, list[ValueCount], dict[str, int] | None]:
    """Distinct count, top values (ties by value, descending) and, for text, what the distinct
    values parse as, weighted by their counts — one query over the column's groups."""
    kinds = [f"sum(n) FILTER (WHERE k = {code})" for code in TYPE_CODES] if classify_text else []
    kind_of = classify("v") if classify_text else "0"
    row = con.execute(
        f"SELECT count(*), max({{'n': n, 'v': v}}, {TOP_VALUES}){''.join(', ' + k for k in kinds)} FROM "
        f"(SELECT v, n, {kind_of} AS k FROM (SELECT c{index} AS v, count(*) AS n FROM typed "
        f"WHERE c{index} IS NOT NULL GROUP BY v))"
    ).fetchone()
    top = [ValueCount(value=item["v"], count=item["n"]) for item in (row[1] or [])]
    counted = None
    if classify_text:
        counted = {TYPE_CODES[code]: int(n) for code, n in zip(TYPE_CODES, row[2:]) if n}
    return row[0], top, counted


def _as_json_value(value, column_type: str):
    if value is None:
        return None
    if column_type == "datetime":
        return value.isoformat()
    return value


def profile_source(source: TabularSource, schema: list[ColumnSchema]) -> DataProfile:
    """Profile every included column (see the module docstring for the statistics' definitions)."""
    started = time.perf_counter()
    columns = included(schema)
    with engine_connection() as con, prepared(source, con) as ready:
        _scratch_table(con, ready, source, schema)
        rows, moments = _moments(con, ready, columns)
        histograms = _histograms(
            con,
            [(i, float(m["min"]), float(m["max"])) for i, (c, m) in enumerate(zip(columns, moments))
             if c.type in NUMERIC and m["min"] is not None],
        )
        numeric_stats = _quantiles_and_distinct(con, [i for i, c in enumerate(columns) if c.type in NUMERIC], rows)
        profiles = []
        for index, (column, stats) in enumerate(zip(columns, moments)):
            type_counts = _derived_type_counts(ready, column, stats["count"], stats.get("integers"), rows)
            extra: dict = {}
            if column.type in NUMERIC:
                distinct, quantiles, exact = numeric_stats[index]
                extra = {
                    "quantiles": quantiles or None,
                    "quantiles_exact": exact,
                    "histogram": histograms.get(index),
                    **{key: _float(stats[key]) for key in ("mean", "std", "variance", "skewness", "kurtosis")},
                }
            elif column.type in ("string", "boolean"):
                text = column.type == "string" and column.name not in ready.native_types
                distinct, top, kinds = _value_counts(con, index, text)
                if kinds is not None:
                    type_counts = {**kinds, **({"null": rows - stats["count"]} if rows > stats["count"] else {})}
                extra = {"value_counts": top}
            else:
                distinct = con.execute(f"SELECT count(DISTINCT c{index}) FROM typed").fetchone()[0]
            profiles.append(
                ColumnProfile(
                    name=column.name,
                    type=column.type,
                    type_counts=type_counts,
                    count=rows,
                    non_missing=stats["count"],
                    missing=rows - stats["count"],
                    distinct=distinct,
                    min=_as_json_value(stats["min"], column.type),
                    max=_as_json_value(stats["max"], column.type),
                    **extra,
                )
            )
    return DataProfile(
        rows=rows, columns=profiles, seconds=time.perf_counter() - started, computed_at=datetime.now(timezone.utc)
    )


def _float(value) -> float | None:
    import math

    return None if value is None or not math.isfinite(value) else float(value)

"""Column statistics over the scratch tables: the row count, type counts and count/min/max/mean
in one aggregate, and exact distinct counts with quantiles per batch of columns."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from modelyard.spec.data import QUANTILES

from modelyard.data._duck import memory_limit_bytes
from modelyard.data._scratch_column import NUMERIC, ScratchColumn, by_table
from modelyard.data._shape import AGGREGATE_BATCH
from modelyard.data._types import TYPE_CODES

# Exact quantiles and distinct counts hold a column's values in memory (about 40 bytes a value
# with the distinct hash table). Quantiles are exact while one column fits in HELD_SHARE of
# DuckDB's memory limit; a query takes as many columns as fit in BATCH_SHARE (small batches
# cost little time and keep the peak low).
BYTES_PER_HELD_VALUE = 40
HELD_SHARE = 0.5
BATCH_SHARE = 0.1
WORKERS = min(2, os.cpu_count() or 1)  # per-column queries run this many at a time


def quantile_label(q: float) -> str:
    return f"{q * 100:g}%"


def value_stats(column: ScratchColumn) -> list[tuple[str, str]]:
    x = f"x{column.index}"
    stats = [("count", f"count({x})"), ("min", f"min({x})"), ("max", f"max({x})")]
    if column.stored in NUMERIC:
        # variance, skewness and kurtosis come with the histograms, over values shifted by the mean
        stats += [("mean", f"avg({x})")]
    elif column.stored == "boolean":  # value counts of a boolean column: no GROUP BY needed
        stats += [("true", f"count_if({x})"), ("false", f"count_if(NOT {x})")]
    return stats


def first_aggregate(con, columns: list[ScratchColumn]) -> tuple[int, dict[int, dict], dict[int, dict]]:
    """Row count, class counts of every text column and count/min/max/moments of every ``x``: one query
    per table (the scratch table, and the view of a columnar source's streamed columns)."""
    classes: dict[int, dict] = {c.index: {} for c in columns}
    stats: dict[int, dict] = {c.index: {} for c in columns}
    rows = 0
    for table, members in by_table(columns).items():
        aggregates, keys = ["count(*)"], []
        for column in members:
            if column.classified:
                for code in TYPE_CODES:
                    aggregates.append(f"count_if(k{column.index} = {code})")
                    keys.append((column.index, "class", code))
            if column.include and column.direct is None:
                for name, sql in value_stats(column):
                    aggregates.append(sql)
                    keys.append((column.index, "stat", name))
            elif not column.text:
                aggregates.append(f"sum(k{column.index})")
                keys.append((column.index, "stat", "count"))
        row = con.execute(f"SELECT {', '.join(aggregates)} FROM {table}").fetchone()
        rows = row[0]
        for (index, kind, key), value in zip(keys, row[1:]):
            (classes if kind == "class" else stats)[index][key] = value
    return rows, classes, stats


def restat(con, columns: list[ScratchColumn], stats: dict[int, dict]) -> None:
    """count/min/max/moments of columns read again (from ``fix``)."""
    aggregates, keys = [], []
    for column in columns:
        for name, sql in value_stats(column):
            aggregates.append(sql)
            keys.append((column.index, name))
    row = con.execute(f"SELECT {', '.join(aggregates)} FROM {columns[0].table}").fetchone()
    for column in columns:
        stats[column.index] = {}
    for (index, name), value in zip(keys, row):
        stats[index][name] = value


def distinct_and_quantiles(con, columns: list[ScratchColumn], rows: int, exact: bool) -> dict[int, tuple[int, dict | None]]:
    """Exact distinct counts of numeric and datetime columns and quantiles of the numeric ones;
    exact quantiles hold a column's values, so about QUANTILE_BATCH_VALUES values per query."""
    function = "quantile_cont" if exact else "approx_quantile"
    budget = memory_limit_bytes(con) * BATCH_SHARE // BYTES_PER_HELD_VALUE // WORKERS
    per_query = max(1, min(AGGREGATE_BATCH, int(budget // max(rows, 1))))
    batches = [(table, members[start : start + per_query])
               for table, members in by_table(columns).items() for start in range(0, len(members), per_query)]

    def job(table: str, batch: list[ScratchColumn]):
        aggregates = []
        for column in batch:
            x = f"x{column.index}"
            aggregates.append(f"count(DISTINCT {x})")
            aggregates.append(f"{function}({x}, {list(QUANTILES)})" if column.stored in NUMERIC else "NULL")
        return lambda cursor: cursor.execute(f"SELECT {', '.join(aggregates)} FROM {table}").fetchone()

    results: dict[int, tuple[int, dict | None]] = {}
    for (_, batch), row in zip(batches, parallel(con, [job(table, batch) for table, batch in batches])):
        for offset, column in enumerate(batch):
            distinct, values = row[2 * offset], row[2 * offset + 1]
            quantiles = None
            if column.stored in NUMERIC:
                quantiles = {quantile_label(q): float(v) for q, v in zip(QUANTILES, values or []) if v is not None}
            results[column.index] = (distinct, quantiles)
    return results


def parallel(con, jobs: list) -> list:
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

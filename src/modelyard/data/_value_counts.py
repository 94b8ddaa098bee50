"""Value counts of string columns: distinct count, top values, count, min and max, and what the
distinct values parse as, from one GROUP BY per column."""

from __future__ import annotations

from dataclasses import dataclass

from modelyard.spec.data import ValueCount

from modelyard.data._column_stats import parallel
from modelyard.data._duck import quote_ident
from modelyard.data._scratch_column import ScratchColumn
from modelyard.data._types import TYPE_CODES, classify

TOP_VALUES = 20


@dataclass
class ValueCounts:
    distinct: int
    top: list[ValueCount]
    kinds: dict[int, int] | None  # class code -> values, where the scan did not classify them
    stats: dict  # count, min, max


def string_value_counts(con, columns: list[ScratchColumn]) -> dict[int, ValueCounts]:
    """``value_counts`` of each column, WORKERS at a time."""
    return dict(zip([c.index for c in columns], parallel(con, [
        (lambda cursor, c=c: value_counts(cursor, c, c.text and not c.classified)) for c in columns])))


def value_counts(con, column: ScratchColumn, classify_text: bool) -> ValueCounts:
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
    return ValueCounts(row[0], top, counted, {"count": int(row[2] or 0), "min": row[3], "max": row[4]})

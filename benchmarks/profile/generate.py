"""Write the synthetic benchmark CSV: ~35 mixed columns, deterministic, with some nulls."""

from __future__ import annotations

import sys
from pathlib import Path

# 35 columns: 1 id, 9 integers, 9 decimals, 6 low-cardinality strings, 4 high-cardinality
# strings, 3 booleans, 3 dates/timestamps. Every few columns carry nulls (empty fields).
_COLUMNS = (
    ["i AS id"]
    + [f"CASE WHEN hash(i, {k}) % 50 = 0 THEN NULL ELSE (hash(i, {k}) % {10 ** (k % 5 + 1)})::BIGINT END AS int_{k}" for k in range(9)]
    + [f"CASE WHEN hash(i, {k + 20}) % 40 = 0 THEN NULL ELSE round((hash(i, {k + 20}) % 1000000) / 1000.0 * {k + 1} - 100, 3) END AS dec_{k}" for k in range(9)]
    + [f"'cat_' || (hash(i, {k + 40}) % {3 + 4 * k}) AS low_{k}" for k in range(6)]
    + [f"CASE WHEN hash(i, {k + 60}) % 30 = 0 THEN NULL ELSE 'user_' || (hash(i, {k + 60}) % 900000) END AS high_{k}" for k in range(4)]
    + [f"(hash(i, {k + 80}) % {k + 2} = 0) AS flag_{k}" for k in range(3)]
    + [f"DATE '2015-01-01' + (hash(i, {k + 90}) % 3650)::INTEGER AS date_{k}" for k in range(2)]
    + ["TIMESTAMP '2020-01-01 00:00:00' + to_seconds((hash(i, 99) % 100000000)::BIGINT) AS ts_0"]
)


def generate_csv(path: Path, rows: int) -> Path:
    """Create ``path`` with ``rows`` data rows unless it already exists (cached between runs)."""
    import duckdb

    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(
        f"COPY (SELECT {', '.join(_COLUMNS)} FROM range({rows}) AS r(i)) TO '{partial}' (HEADER, DELIMITER ',')"
    )
    partial.rename(path)
    return path


if __name__ == "__main__":
    generate_csv(Path(sys.argv[1]), int(sys.argv[2]))

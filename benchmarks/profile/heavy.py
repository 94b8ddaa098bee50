"""The heavier benchmark file: 35 messy columns in the spirit of issue 12's table, as CSV and Parquet.

Mixed-type columns ('?' in about 3% of two numeric columns, a boolean spelled true/TRUE/False with
N/A, numbers and words half and half), values around 1e9 with a small spread, dates and a
timestamp, long text (~100-200 characters), high-cardinality identifiers, a text column holding
number-looking strings, and 20% missing in a few columns. Deterministic (DuckDB's ``hash``).
"""

from __future__ import annotations

import sys
from pathlib import Path


def _h(k: int) -> str:
    return f"hash(i, {k})"


def _missing(k: int, percent: int, value: str) -> str:
    return f"CASE WHEN {_h(k)} % 100 < {percent} THEN NULL ELSE {value} END"


def _date(k: int) -> str:
    return f"DATE '2015-01-01' + ({_h(k)} % 3650)::INTEGER"


def _category(k: int, levels: int) -> str:
    return f"'cat_' || ({_h(k)} % {levels})"


_WORDS = "['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'theta', 'kappa', 'lambda', 'sigma']"

COLUMNS = (
    ["i AS id"]
    # 6 integers, two of them 20% missing
    + [f"{_missing(k, 20 if k < 2 else 0, f'({_h(k)} % {10 ** (k % 5 + 1)})::BIGINT - {k * 7}')} AS int_{k}"
       for k in range(6)]
    # 2 integers with '?' in about 3% of the values
    + [f"CASE WHEN {_h(k + 10)} % 100 < 3 THEN '?' ELSE (({_h(k + 10)} >> 8) % 90 + 18)::VARCHAR END AS int_q{k}"
       for k in range(2)]
    # 5 decimals, one 20% missing; one around 1e9 with a small spread; one with '?'
    + [f"{_missing(k + 20, 20 if k == 0 else 0, f'round(({_h(k + 20)} % 1000000) / 1000.0 * {k + 1} - 100, 3)')} AS dec_{k}"
       for k in range(4)]
    + [f"1e9 + ({_h(24)} % 100000) / 1000.0 AS dec_offset"]
    + [f"CASE WHEN {_h(25)} % 100 < 3 THEN '?' ELSE round(({_h(25)} % 100000) / 7.0, 4)::VARCHAR END AS dec_q"]
    # 3 booleans: two plain, one spelled true/TRUE/False with N/A
    + [f"({_h(k + 30)} % {k + 2} = 0) AS flag_{k}" for k in range(2)]
    + [f"(['true', 'TRUE', 'False', 'false', 'True', 'FALSE'])[({_h(32)} % 6 + 1)::BIGINT] AS flag_spelled"]
    # 3 dates and a timestamp, one date 20% missing
    + [f"{_missing(k + 40, 20 if k == 0 else 0, _date(k + 40))} AS date_{k}" for k in range(3)]
    + [f"TIMESTAMP '2020-01-01 00:00:00' + to_seconds(({_h(43)} % 100000000)::BIGINT) AS ts_0"]
    # 5 low-cardinality strings, one 20% missing
    + [f"{_missing(k + 50, 20 if k == 0 else 0, _category(k + 50, 3 + 4 * k))} AS low_{k}" for k in range(5)]
    # 4 high-cardinality identifiers
    + [f"'user_' || ({_h(60)} % 900000) AS high_user",
       f"md5(i::VARCHAR) AS high_md5",
       f"substr(md5((i * 7)::VARCHAR), 1, 12) AS high_code",
       f"'ORD-' || lpad((({_h(63)} % 10000000))::VARCHAR, 8, '0') AS high_order"]
    # 2 long text columns
    + [f"array_to_string(list_transform(range({k * 5 + 15}), lambda j: ({_WORDS})[((hash(i, j, {k}) % 10) + 1)::BIGINT]), ' ') "
       f"AS text_{k}" for k in range(2)]
    # high-cardinality text where some values look like numbers (the "looks like a number" rule)
    + [f"CASE {_h(70)} % 10 WHEN 0 THEN (({_h(71)} % 100000))::VARCHAR WHEN 1 THEN ((({_h(71)} % 100000)) / 8.0)::VARCHAR "
       f"WHEN 2 THEN '1e' || ({_h(71)} % 9) WHEN 3 THEN '0x' || ({_h(71)} % 99) "
       f"ELSE 'item ' || ({_h(71)} % 500000) END AS numberish"]
    # numbers and words half and half: a string column
    + [f"CASE WHEN {_h(72)} % 2 = 0 THEN ({_h(73)} % 1000)::VARCHAR ELSE ({_WORDS})[({_h(73)} % 10 + 1)::BIGINT] END AS mixed"]
)
assert len(COLUMNS) == 35, len(COLUMNS)


def generate_heavy(csv: Path, rows: int) -> tuple[Path, Path]:
    """``csv`` and its Parquet variant (the same values, DuckDB's types), unless they exist."""
    import duckdb

    parquet = csv.with_suffix(".parquet")
    if csv.exists() and parquet.exists():
        return csv, parquet
    csv.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET threads = 2")
    partial = csv.with_suffix(".partial")
    # the boolean column gets N/A in about 2% of its rows
    select = ", ".join(COLUMNS).replace(
        "AS flag_spelled", "AS flag_spelled_raw")
    con.execute(
        f"COPY (SELECT * EXCLUDE (flag_spelled_raw), CASE WHEN hash(id, 33) % 50 = 0 THEN 'N/A' "
        f"ELSE flag_spelled_raw END AS flag_spelled FROM (SELECT {select} FROM range({rows}) AS r(i))) "
        f"TO '{partial}' (HEADER, DELIMITER ',')")
    partial.rename(csv)
    con.execute(f"COPY (SELECT * FROM read_csv('{csv}')) TO '{partial}' (FORMAT parquet)")
    partial.rename(parquet)
    return csv, parquet


if __name__ == "__main__":
    print(*generate_heavy(Path(sys.argv[1]), int(sys.argv[2])))

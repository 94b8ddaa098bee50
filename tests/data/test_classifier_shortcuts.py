"""The classifier's shortcuts give the classes of the plain rule: the timestamp cast tried only on
digit-led text holding a date separator, and integer text recognised by how its BIGINT prints."""

from __future__ import annotations

import duckdb
import pytest

from modelyard.data import inspect_source
from modelyard.data._types import BOOLEAN_TEXT, TYPE_CODES, classify

from tests.data.test_messy_columns import reference_class

TRICKY = [
    # dates and timestamps in the separators DuckDB's date parser accepts, and near misses
    "2020-01-01", " 2020/1/1", "2020\\01\\02", "2020 01 03", "1-1-1", "2020-01-01T10:00:00",
    "2020/1/1 10:00", "2020-01-01 10:00:00+02", "2020-01-01 (BC)", "20200101", "2020.01.01", "2020-01",
    "2020-001", "2020-W01", "12:30", "1/2/2020", "2020-13-01", "2020--01-01", "9999-12-31 23:59:59",
    # hex identifiers and hashes (digit-led, no separator), numbers in every spelling
    "412e34", "3f2a9c0d11b4", "0x10", "1_000", "1,000", "12", " -7 ", "+3", "007", "-0", "1.", ".5",
    "1.5", "1e3", "2.5E-3", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "\t12\t", "inf", "nan", "true", "FALSE", "yes", "item 7", "-", "",
]


def plain_class(con, text: str) -> str:
    """The rule without shortcuts: number text by the documented rule, then the six boolean
    spellings, then any digit-led text TRY_CAST takes as a timestamp."""
    if text == "":
        return "null"
    number = reference_class(text)
    if number != "other":
        return number
    if text in BOOLEAN_TEXT:
        return "boolean"
    timestamp = con.execute("SELECT TRY_CAST($1 AS TIMESTAMP) IS NOT NULL", [text]).fetchone()[0]
    return "datetime" if timestamp and text.lstrip()[:1].isdigit() else "string"


def test_classify_gives_the_plain_rule_on_tricky_text():
    con = duckdb.connect()
    got = con.execute(f"SELECT v, {classify('v')} FROM (SELECT unnest($1) AS v)",
                      [[None if t == "" else t for t in TRICKY]]).fetchall()
    assert {"" if v is None else v: TYPE_CODES[code] for v, code in got} == {t: plain_class(con, t) for t in TRICKY}


@pytest.mark.parametrize("first", ["12", "2020-01-01"], ids=["integer sample", "datetime sample"])
def test_a_column_predicted_from_its_first_rows_counts_tricky_text_by_the_plain_rule(write, source, first):
    """The scan classifies with the fast path of the predicted type: its type counts are still
    the plain rule's, value by value."""
    values = [first] * 40 + [t for t in TRICKY if t] * 3
    src = source(write("t.csv", "v\n" + "".join(f'"{v}"\n' for v in values)))
    _, profile = inspect_source(src, sample_rows=10)
    con = duckdb.connect()
    expected: dict[str, int] = {}
    for text in values:
        expected[plain_class(con, text)] = expected.get(plain_class(con, text), 0) + 1
    assert profile.columns[0].type == "string"
    assert profile.columns[0].type_counts == expected

"""The CSV reader's line bound: the longest record a file may hold (its longest line where the
quote character never appears, else its size), so large files with short lines are read with
DuckDB's default buffers, and long lines and long quoted records are still read."""

from __future__ import annotations

import re

import duckdb
import pytest

from modelyard.data import inspect_source, read_arrow
from modelyard.data._source import _DEFAULT_LINE_BYTES, prepared


def line_bound(src) -> list[int]:
    with prepared(src, duckdb.connect()) as ready:
        return [int(re.search(r"max_line_size = (\d+)", group.template).group(1)) for group in ready.groups]


def short_lines(rows: int) -> str:
    return "a,b\n" + "".join(f"{i},value {i}\n" for i in range(rows))


def test_a_large_file_of_short_lines_gets_the_default_bound(write, source):
    path = write("short.csv", short_lines(200_000))
    assert path.stat().st_size > _DEFAULT_LINE_BYTES
    assert line_bound(source(path)) == [_DEFAULT_LINE_BYTES]


def test_a_quote_anywhere_bounds_records_by_the_file(write, source):
    text = short_lines(200_000) + '1,"quoted"\n'
    path = write("quoted.csv", text)
    assert line_bound(source(path)) == [len(text.encode()) + 1]


@pytest.mark.parametrize("ending", ["\n", ""], ids=["newline", "last line without newline"])
def test_a_3_mb_unquoted_line_is_read(write, source, ending):
    big = "x" * 3_000_000
    path = write("long.csv", f"a,b\n1,short\n2,{big}{ending}")
    assert line_bound(source(path))[0] > 3_000_000
    schema, profile = inspect_source(source(path))
    assert profile.rows == 2
    assert [len(v) for v in read_arrow(source(path), schema).column("b").to_pylist()] == [5, 3_000_000]


def test_a_3_mb_quoted_record_of_short_lines_is_read(write, source):
    big = "line\n" * 600_000
    path = write("multiline.csv", f'a,b\n1,"{big}"\n2,short\n')
    schema, profile = inspect_source(source(path))
    assert profile.rows == 2
    assert [len(v) for v in read_arrow(source(path), schema).column("b").to_pylist()] == [len(big), 5]


def test_each_group_of_files_gets_the_bound_of_its_own_files(write, source):
    """Files after the first (no header) are one group: their longest line bounds them."""
    first = write("first.csv", short_lines(10))
    rest = write("rest.csv", f"1,{'y' * 2_500_000}\n2,short\n")
    header_group, rest_group = line_bound(source(first, rest, header="only_first_file_has_headers"))
    assert header_group == _DEFAULT_LINE_BYTES and 2_500_002 < rest_group <= 2_500_004  # the line, its newline

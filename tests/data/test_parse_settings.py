"""Every parse setting, multi-file header modes and the non-CSV formats."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from modelyard.data import detect_format, infer_schema, profile_source, read_arrow
from modelyard.errors import InvalidInput
from modelyard.spec.data import ParseSettings


def rows(src):
    return read_arrow(src, infer_schema(src)).to_pylist()


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(write, source, delimiter):
    path = write("d.csv", delimiter.join(["a", "b", "c"]) + "\n" + delimiter.join(["1", "x y", "2.5"]) + "\n")
    assert rows(source(path)) == [{"a": 1, "b": "x y", "c": 2.5}]


def test_explicit_delimiter_wins(write, source):
    path = write("d.csv", "a;b,c\n1;2,3\n")
    assert rows(source(path, delimiter=";")) == [{"a": 1, "b,c": "2,3"}]


def test_tsv_format_uses_tabs(write, source):
    path = write("d.tsv", "a\tb\n1\tx,y\n")
    assert rows(source(path)) == [{"a": 1, "b": "x,y"}]


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1", "cp1252", "iso-8859-1"])
def test_encodings_are_transcoded(write, source, encoding):
    text = "name,city\nRené,Zürich\nJosé,São Paulo\n"
    path = write("e.csv", text, encoding)
    assert rows(source(path, encoding=encoding)) == [
        {"name": "René", "city": "Zürich"},
        {"name": "José", "city": "São Paulo"},
    ]


def test_utf8_bom_does_not_reach_the_first_column_name(write, source):
    path = write("b.csv", b"\xef\xbb\xbfAge,Name\n41,Ann\n")
    assert [c.name for c in infer_schema(source(path))] == ["Age", "Name"]
    assert [c.name for c in infer_schema(source(path, encoding="utf-8-sig"))] == ["Age", "Name"]


def test_quote_and_escape(write, source):
    path = write("q.csv", "a,b\n'x, y',1\n'it\\'s',2\n")
    assert rows(source(path, quote="'", escape="\\")) == [{"a": "x, y", "b": 1}, {"a": "it's", "b": 2}]


def test_doubled_quotes_and_embedded_newlines(write, source):
    path = write("q.csv", 'a,b\n"say ""hi""",1\n"two\nlines",2\n')
    assert rows(source(path)) == [{"a": 'say "hi"', "b": 1}, {"a": "two\nlines", "b": 2}]


def test_skip_rows_skips_lines_before_the_header(write, source):
    path = write("s.csv", "exported by tool\n2024-01-01\na,b\n1,2\n")
    assert rows(source(path, skip_rows=2)) == [{"a": 1, "b": 2}]


def test_null_values(write, source):
    path = write("n.csv", "a,b\n1,x\nNA,\n-,y\n")
    src = source(path, null_values=["", "NA", "-"])
    assert infer_schema(src)[0].type == "integer"
    assert rows(src) == [{"a": 1, "b": "x"}, {"a": None, "b": None}, {"a": None, "b": "y"}]
    profile = profile_source(src, infer_schema(src)).columns[0]
    assert profile.type_counts == {"integer": 1, "null": 2} and profile.missing == 2


def test_empty_string_is_a_value_when_not_a_null_value(write, source):
    path = write("n.csv", "a,b\n1,\n2,x\n")
    assert rows(source(path, null_values=["NA"])) == [{"a": 1, "b": ""}, {"a": 2, "b": "x"}]


def test_all_files_same_headers_reads_files_in_order(write, source):
    first, second = write("1.csv", "a,b\n1,x\n"), write("2.csv", "a,b\n2,y\n3,z\n")
    assert [r["a"] for r in rows(source(first, second))] == [1, 2, 3]


def test_all_files_same_headers_names_the_file_that_differs(write, source):
    first, second = write("1.csv", "a,b\n1,x\n"), write("2.csv", "a,c\n2,y\n")
    with pytest.raises(InvalidInput, match=r"file '2.csv' has a different header.*missing \['b'\], extra \['c'\]"):
        infer_schema(source(first, second))


def test_only_first_file_has_headers(write, source):
    first, second = write("1.csv", "a,b\n1,x\n"), write("2.csv", "2,y\n3,z\n")
    src = source(first, second, header="only_first_file_has_headers")
    assert rows(src) == [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}, {"a": 3, "b": "z"}]


def test_no_headers_names_columns_by_position(write, source):
    first, second = write("1.csv", "1,x\n"), write("2.csv", "2,y\n")
    assert rows(source(first, second, header="no_headers")) == [
        {"Column1": 1, "Column2": "x"},
        {"Column1": 2, "Column2": "y"},
    ]


def test_detect_format_from_extensions_and_override():
    assert detect_format(["a.CSV", "b.txt"]) == "csv"
    assert detect_format(["a.parquet", "b.pq"]) == "parquet"
    assert detect_format(["a.ndjson"]) == "jsonl"
    assert detect_format(["a.dat"], ParseSettings(format="tsv")) == "tsv"
    with pytest.raises(InvalidInput, match="cannot tell the format of file 'a.dat'"):
        detect_format(["a.dat"])


def test_parquet_keeps_its_types(tmp_path, source):
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"n": [1, 2, None], "f": [0.5, 1.5, 2.5], "s": ["a", "12", None], "b": [True, False, True]}), path)
    schema = {c.name: c.type for c in infer_schema(source(path))}
    assert schema == {"n": "integer", "f": "decimal", "s": "string", "b": "boolean"}
    profile = {c.name: c for c in profile_source(source(path), infer_schema(source(path))).columns}
    assert profile["n"].type_counts == {"integer": 2, "null": 1} and profile["f"].mean == 1.5


def test_jsonl_lines(write, source):
    path = write("j.jsonl", "\n".join(json.dumps(r) for r in [{"a": 1, "b": "x"}, {"a": 2, "b": "2020-01-02"}]))
    assert rows(source(path)) == [{"a": 1, "b": "x"}, {"a": 2, "b": "2020-01-02"}]

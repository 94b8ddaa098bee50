"""Bad input fails with a message that names the thing and the fix."""

from __future__ import annotations

import pytest

from modelyard.data import infer_schema, profile_source, read_arrow, resolve_schema, validate
from modelyard.errors import InvalidInput
from modelyard.spec.data import ColumnOverride


def test_missing_file(tmp_path, source):
    with pytest.raises(InvalidInput, match="does not exist"):
        infer_schema(source(tmp_path / "nope.csv"))


def test_zero_byte_file_is_empty(write, source):
    with pytest.raises(InvalidInput, match="file 'e.csv' is empty"):
        infer_schema(source(write("e.csv", "")))


def test_header_only_file_has_zero_rows(write, source):
    src = source(write("h.csv", "a,b\n"))
    schema = infer_schema(src)
    assert [c.name for c in schema] == ["a", "b"] and read_arrow(src, schema).num_rows == 0
    assert profile_source(src, schema).rows == 0


def test_ragged_row_names_line_and_field_counts(write, source):
    src = source(write("r.csv", "a,b,c\n1,2,3\n4,5\n"))
    with pytest.raises(InvalidInput, match=r"line 3 of file 'r.csv' has 2 fields, expected 3"):
        infer_schema(src)


def test_undecodable_bytes_name_encoding_offset_and_suggest_latin1(write, source):
    src = source(write("u.csv", b"a,b\n1,caf\xe9\n"))
    with pytest.raises(InvalidInput, match=r"not valid utf-8: byte 0xe9 at byte offset 9 \(line 2\).*latin-1 or cp1252"):
        infer_schema(src)


def test_undecodable_bytes_in_transcoded_encoding(write, source):
    src = source(write("u.csv", b"a,b\n1,\x81\x8d\n"), encoding="cp1252")
    with pytest.raises(InvalidInput, match=r"not valid cp1252: byte 0x81 at byte offset 6 \(line 2\)"):
        infer_schema(src)


def test_unknown_encoding(write, source):
    with pytest.raises(InvalidInput, match="encoding 'klingon' is not known"):
        infer_schema(source(write("a.csv", "a\n1\n"), encoding="klingon"))


def test_duplicate_column_names_are_named(write, source):
    with pytest.raises(InvalidInput, match=r"duplicate column names: 'a' \(columns 1 and 3\)"):
        infer_schema(source(write("d.csv", "a,b,a\nx,y,z\n")))


def test_headerless_file_read_with_headers_suggests_no_headers(write, source):
    with pytest.raises(InvalidInput, match="looks like data.*set header: no_headers"):
        infer_schema(source(write("n.csv", "1,2.5,true\n3,4.5,false\n")))


def test_override_of_unknown_column_lists_columns_and_suggests(hr_csv, source):
    schema = infer_schema(source(hr_csv))
    with pytest.raises(InvalidInput, match=r"column 'Agee' is not in the data \(did you mean 'Age'\?\); columns are: Age, Attrition, "):
        resolve_schema(schema, [ColumnOverride(name="Agee", type="integer")])


def test_value_that_cannot_convert_names_column_row_and_value(write, source):
    src = source(write("c.csv", "Age,Name\n" + "".join(f"{i},n{i}\n" for i in range(11)) + "forty,x\n"))
    schema = resolve_schema(infer_schema(src), [ColumnOverride(name="Age", type="integer")])
    message = r"column 'Age' expected integer, got 'forty' at row 12"
    for action in (read_arrow, validate, profile_source):
        with pytest.raises(InvalidInput, match=message):
            action(src, schema)


def test_bad_value_in_second_file_names_the_file(write, source):
    first, second = write("1.csv", "a\n1\n2\n"), write("2.csv", "a\n3\nx\n")
    schema = resolve_schema(infer_schema(source(first, second)), [ColumnOverride(name="a", type="integer")])
    with pytest.raises(InvalidInput, match=r"got 'x' at row 2 of file '2.csv'"):
        validate(source(first, second), schema)


def test_every_column_excluded(write, source):
    src = source(write("a.csv", "a\n1\n"))
    with pytest.raises(InvalidInput, match="every column is excluded"):
        read_arrow(src, resolve_schema(infer_schema(src), [ColumnOverride(name="a", include=False)]))

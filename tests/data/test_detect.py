"""``detect_schema``, the one schema entry point: the profile path (one parse with the profile) and
the plain path (type counts only) give the same schema and row count, and refuse the same input."""

from __future__ import annotations

import pytest

from modelyard.data import detect_schema
from modelyard.errors import InvalidInput
from modelyard.spec.data import ColumnOverride

from tests.data.test_inspect import _synthetic
from tests.data.test_messy_columns import csv_text, messy


def assert_paths_agree(src, overrides=()):
    plain = detect_schema(src, overrides)
    profiled = detect_schema(src, overrides, profile=True)
    assert plain.schema == profiled.schema
    assert plain.rows == profiled.rows == profiled.profile.rows
    assert plain.profile is None
    return profiled


def test_hr_file_with_and_without_overrides(hr_csv, source):
    assert_paths_agree(source(hr_csv))
    found = assert_paths_agree(source(hr_csv), [ColumnOverride(name="EmployeeNumber", type="string"),
                                                 ColumnOverride(name="Over18", include=False)])
    assert found.rows == 1470 and {c.name: c.type for c in found.schema}["EmployeeNumber"] == "string"


def test_messy_file_dominant_types_and_errors(write, source):
    found = assert_paths_agree(source(write("m.csv", csv_text(messy()))))
    lenient = {c.name for c in found.schema if c.invalid_as_missing}
    assert lenient == {"age", "price", "flag"}


@pytest.mark.parametrize("rows", [40, 400])
def test_synthetic_file_with_misleading_first_rows(write, source, rows):
    src = source(write("s.csv", _synthetic(rows)))
    assert_paths_agree(src)
    assert_paths_agree(src, [ColumnOverride(name="id", type="decimal"), ColumnOverride(name="city", include=False),
                             ColumnOverride(name="age", type="string")])


def test_parquet(tmp_path, source):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"a": [1, 2, None, 4], "b": ["x", "1", None, "y"], "n": ["1", "2", "?", "4"]}), path)
    assert_paths_agree(source(path))


def test_both_paths_refuse_a_bad_value_in_a_typed_column(write, source):
    src = source(write("c.csv", "Age,Name\n" + "".join(f"{i},n{i}\n" for i in range(11)) + "forty,x\n"))
    typed = [ColumnOverride(name="Age", type="integer")]
    for profile in (False, True):
        with pytest.raises(InvalidInput, match=r"column 'Age' expected integer, got 'forty' at row 12"):
            detect_schema(src, typed, profile=profile)
    # a preview reads only its first rows: the plain path without validation keeps the user's type
    assert detect_schema(src, typed, validate=False).schema[0].type == "integer"


def test_both_paths_refuse_excluding_every_column(write, source):
    src = source(write("a.csv", "a\n1\n"))
    for profile in (False, True):
        with pytest.raises(InvalidInput, match="every column is excluded"):
            detect_schema(src, [ColumnOverride(name="a", include=False)], profile=profile)

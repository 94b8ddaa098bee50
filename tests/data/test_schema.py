"""Type inference (all values must agree), type counts, and user overrides."""

from __future__ import annotations

from datetime import datetime

from modelyard.data import infer_schema, iter_batches, profile_source, read_arrow, resolve_schema
from modelyard.spec.data import ColumnOverride


def test_numeric_column_with_a_question_mark_is_string_with_type_counts(write, source):
    src = source(write("q.csv", "Age,Name\n" + "".join(f"{20 + i % 40},n\n" for i in range(1469)) + "?,n\n"))
    schema = infer_schema(src)
    assert schema[0].type == "string"
    age = profile_source(src, schema).columns[0]
    assert age.type_counts == {"integer": 1469, "string": 1}
    assert age.count == 1470 and age.mean is None and age.value_counts[0].count == 37


def test_each_type_is_inferred(write, source):
    src = source(write("t.csv", "i,d,b,t,s,mixed,empty\n1,1.5,true,2020-01-02,x,1,\n-2,3,False,2021-03-04 05:06:07,y,1.5,\n"))
    assert {c.name: c.type for c in infer_schema(src)} == {
        "i": "integer", "d": "decimal", "b": "boolean", "t": "datetime", "s": "string", "mixed": "decimal", "empty": "string",
    }
    table = read_arrow(src, infer_schema(src))
    assert table.column("t").to_pylist() == [datetime(2020, 1, 2), datetime(2021, 3, 4, 5, 6, 7)]
    assert table.column("b").to_pylist() == [True, False]
    profile = {c.name: c for c in profile_source(src, infer_schema(src)).columns}
    assert profile["d"].type_counts == {"decimal": 1, "integer": 1}
    assert profile["t"].min == "2020-01-02T00:00:00" and profile["t"].max == "2021-03-04T05:06:07"
    assert profile["b"].value_counts[0].count == 1 and profile["empty"].type_counts == {"null": 2}


def test_lenient_looking_numbers_stay_strings(write, source):
    src = source(write("n.csv", "a,b,c\n1_000,0x10,nan\n"))
    assert [c.type for c in infer_schema(src)] == ["string", "string", "string"]


def test_overrides_change_type_exclude_and_parse_datetimes(write, source):
    src = source(write("o.csv", "id,when,note\n1,02/01/2020,x\n2,31/12/2021,y\n"))
    schema = resolve_schema(
        infer_schema(src),
        [ColumnOverride(name="id", type="string"), ColumnOverride(name="note", include=False),
         ColumnOverride(name="when", datetime_format="%d/%m/%Y")],
    )
    table = read_arrow(src, schema)
    assert table.column_names == ["id", "when"]
    assert table.column("id").to_pylist() == ["1", "2"]
    assert table.column("when").to_pylist() == [datetime(2020, 1, 2), datetime(2021, 12, 31)]


def test_iter_batches_streams_in_order_and_read_arrow_limits(write, source):
    src = source(write("b.csv", "a\n" + "".join(f"{i}\n" for i in range(1000))))
    schema = infer_schema(src)
    batches = list(iter_batches(src, schema, batch_rows=100))
    assert len(batches) >= 10 and [v for b in batches for v in b.column(0).to_pylist()] == list(range(1000))
    assert read_arrow(src, schema, limit=5).column(0).to_pylist() == [0, 1, 2, 3, 4]

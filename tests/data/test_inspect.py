"""inspect_source (one parse) gives the same schema and profile as infer_schema + resolve_schema +
profile_source, the same errors, and labels approximate quantiles."""

from __future__ import annotations

import math

import pytest

from modelyard.data import infer_schema, inspect_source, profile_source, resolve_schema
from modelyard.errors import InvalidInput
from modelyard.spec.data import ColumnOverride


def same(a, b, path="") -> None:
    """Equal, floats to 1e-9 relative (parallel sums may differ in the last bits)."""
    if isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (path, a, b)
    elif isinstance(a, dict) and isinstance(b, dict):
        assert a.keys() == b.keys(), (path, a.keys(), b.keys())
        for key in a:
            same(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list):
        assert len(a) == len(b), (path, a, b)
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    else:
        assert a == b, (path, a, b)


def two_step(src, overrides=()):
    schema = resolve_schema(infer_schema(src), list(overrides))
    return schema, profile_source(src, schema)


def assert_same_as_two_step(src, overrides=(), **options):
    schema, profile = inspect_source(src, list(overrides), **options)
    expected_schema, expected = two_step(src, overrides)
    assert schema == expected_schema
    assert profile.rows == expected.rows
    for got, want in zip(profile.columns, expected.columns, strict=True):
        same(got.model_dump(mode="json"), want.model_dump(mode="json"), got.name)
    return schema, profile


def test_hr_file_same_as_two_step(hr_csv, source):
    schema, profile = assert_same_as_two_step(source(hr_csv))
    assert profile.rows == 1470 and len(schema) == 35
    assert {c.name: c for c in profile.columns}["Age"].quantiles_exact is True


def test_hr_file_with_overrides_same_as_two_step(hr_csv, source):
    overrides = [ColumnOverride(name="EmployeeNumber", type="string"), ColumnOverride(name="Over18", include=False),
                 ColumnOverride(name="MonthlyIncome", type="decimal"), ColumnOverride(name="Age", include=True)]
    schema, profile = assert_same_as_two_step(source(hr_csv), overrides)
    assert "Over18" not in [c.name for c in profile.columns]
    assert {c.name: c.type for c in schema}["MonthlyIncome"] == "decimal"


def _synthetic(rows: int) -> str:
    lines = ["id,age,price,flag,when,city,late,mixed,empty,ints_then_dec"]
    for i in range(rows):
        age = "?" if i == rows - 3 else ("" if i % 7 == 0 else str(20 + i % 45))
        price = "" if i % 11 == 0 else (str(i % 50) if i % 3 == 0 else f"{i * 1.25:.2f}")
        flag = ["true", "False", "TRUE", ""][i % 4]
        when = "" if i % 13 == 0 else (f"2021-0{1 + i % 9}-1{i % 10}" if i % 2 else f"2020-12-0{1 + i % 9} 0{i % 10}:15:00")
        late = "" if i < rows // 2 else str(i)  # all null in the first rows, then integers
        mixed = "true" if i % 5 == 0 else str(i)  # boolean and integer text: string
        ints_then_dec = str(i) if i < rows - 1 else "2.5"
        lines.append(f"{i},{age},{price},{flag},{when},c{i % 6},{late},{mixed},,{ints_then_dec}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("sample_rows", [5, 20_000])
def test_synthetic_file_same_as_two_step(write, source, sample_rows):
    """Nulls, '?' in a numeric column, decimals written as integers, datetimes, booleans, and
    columns whose first rows mislead the sampled prediction (read again, same result)."""
    src = source(write("s.csv", _synthetic(400)))
    schema, profile = assert_same_as_two_step(src, sample_rows=sample_rows)
    types = {c.name: c.type for c in schema}
    assert types == {"id": "integer", "age": "string", "price": "decimal", "flag": "boolean", "when": "datetime",
                     "city": "string", "late": "integer", "mixed": "string", "empty": "string",
                     "ints_then_dec": "decimal"}
    by_name = {c.name: c for c in profile.columns}
    assert by_name["age"].type_counts == {"integer": 341, "string": 1, "null": 58}
    assert by_name["price"].type_counts["integer"] > 0 and by_name["price"].type_counts["decimal"] > 0
    assert by_name["flag"].type_counts == {"boolean": 300, "null": 100}
    assert by_name["late"].missing == 200 and by_name["late"].min == 200
    assert by_name["empty"].type_counts == {"null": 400}
    assert by_name["mixed"].type_counts == {"boolean": 80, "integer": 320}


def test_synthetic_file_with_overrides_same_as_two_step(write, source):
    src = source(write("s.csv", _synthetic(200)))
    overrides = [ColumnOverride(name="id", type="decimal"), ColumnOverride(name="flag", type="string"),
                 ColumnOverride(name="city", include=False), ColumnOverride(name="late", type="decimal"),
                 ColumnOverride(name="when", type="string")]
    assert_same_as_two_step(src, overrides, sample_rows=5)


def test_datetime_format_override(write, source):
    src = source(write("d.csv", "id,when\n1,02/01/2020\n2,31/12/2021\n3,\n"))
    schema, profile = inspect_source(src, [ColumnOverride(name="when", datetime_format="%d/%m/%Y")])
    when = profile.columns[1]
    assert schema[1].type == "datetime" and when.type_counts == {"datetime": 2, "null": 1}
    assert when.min == "2020-01-02T00:00:00" and when.max == "2021-12-31T00:00:00" and when.distinct == 2


def test_parquet_same_as_two_step(tmp_path, source):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"a": [1, 2, None, 4], "b": ["x", "1", None, "y"], "c": [None, None, None, None],
                             "d": [0.5, 1.5, 2.5, None], "e": [True, False, None, True]}), path)
    assert_same_as_two_step(source(path))
    assert_same_as_two_step(source(path), [ColumnOverride(name="a", include=False), ColumnOverride(name="d", type="string")])


@pytest.mark.parametrize("stored", [False, True], ids=["registration", "stored schema"])
def test_typed_parquet_columns_read_from_the_file_profile_as_the_same_csv(tmp_path, write, source, stored):
    """A Parquet file's typed columns are read from the file by every statistic (a view, never copied
    into the scratch table); their profile is the same data's profile from CSV text."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 300
    ints = [None if i % 7 == 0 else (i * 37) % 101 - 50 for i in range(n)]
    floats = [None if i % 5 == 0 else 1e9 + (i % 13) + 0.25 for i in range(n)]
    flags = [None if i % 11 == 0 else i % 3 == 0 for i in range(n)]
    stamps = [None if i % 4 == 0 else dt.datetime(2020, 1, 1) + dt.timedelta(hours=5 * i) for i in range(n)]
    text = lambda v: "" if v is None else ("true" if v is True else "false" if v is False else str(v))
    csv = write("t.csv", "i,f,b,t\n" + "".join(f"{text(a)},{text(b)},{text(c)},{text(d)}\n"
                                              for a, b, c, d in zip(ints, floats, flags, stamps)))
    parquet = tmp_path / "t.parquet"
    pq.write_table(pa.table({"i": ints, "f": floats, "b": flags, "t": stamps}), parquet)
    schema, from_csv = inspect_source(source(csv))
    if stored:
        from_parquet = profile_source(source(parquet), schema)
    else:
        parquet_schema, from_parquet = inspect_source(source(parquet))
        assert [(c.name, c.type) for c in parquet_schema] == [(c.name, c.type) for c in schema]
    assert [c.type for c in schema] == ["integer", "decimal", "boolean", "datetime"]
    for got, want in zip(from_parquet.columns, from_csv.columns, strict=True):
        same(got.model_dump(mode="json"), want.model_dump(mode="json"), got.name)


def test_quantiles_above_the_threshold_are_labelled_approximate(write, source):
    src = source(write("q.csv", "v,w\n" + "".join(f"{i},{i % 3}\n" for i in range(1000))))
    exact = {c.name: c for c in inspect_source(src, [])[1].columns}
    approx = {c.name: c for c in inspect_source(src, [], exact_quantile_rows=100)[1].columns}
    assert exact["v"].quantiles_exact is True and approx["v"].quantiles_exact is False
    assert set(approx["v"].quantiles) == set(exact["v"].quantiles)
    assert abs(approx["v"].quantiles["50%"] - exact["v"].quantiles["50%"]) < 20
    for name in ("v", "w"):  # everything else stays exact
        same({k: v for k, v in approx[name].model_dump(mode="json").items() if not k.startswith("quantiles")},
             {k: v for k, v in exact[name].model_dump(mode="json").items() if not k.startswith("quantiles")})


def test_unknown_override_column_same_error(hr_csv, source):
    with pytest.raises(InvalidInput, match=r"column 'Agee' is not in the data \(did you mean 'Age'\?\); columns are: Age, "):
        inspect_source(source(hr_csv), [ColumnOverride(name="Agee", type="integer")])


def test_bad_value_names_column_row_and_value(write, source):
    src = source(write("c.csv", "Age,Name\n" + "".join(f"{i},n{i}\n" for i in range(11)) + "forty,x\n"))
    with pytest.raises(InvalidInput, match=r"column 'Age' expected integer, got 'forty' at row 12"):
        inspect_source(src, [ColumnOverride(name="Age", type="integer")])


def test_bad_value_in_second_file_names_the_file(write, source):
    first, second = write("1.csv", "a\n1\n2\n"), write("2.csv", "a\n3\nx\n")
    with pytest.raises(InvalidInput, match=r"got 'x' at row 2 of file '2.csv'"):
        inspect_source(source(first, second), [ColumnOverride(name="a", type="integer")])


def test_every_column_excluded(write, source):
    with pytest.raises(InvalidInput, match="every column is excluded"):
        inspect_source(source(write("a.csv", "a\n1\n")), [ColumnOverride(name="a", include=False)])


def test_ragged_row_names_the_line(write, source):
    src = source(write("r.csv", "a,b\n1,2\n3\n"))
    with pytest.raises(InvalidInput, match=r"line 3 of file 'r.csv'"):
        inspect_source(src, [])


def test_header_only_file_has_zero_rows(write, source):
    schema, profile = inspect_source(source(write("h.csv", "a,b\n")), [])
    assert [c.type for c in schema] == ["string", "string"] and profile.rows == 0


def test_scratch_on_disk_gives_the_same_profile(write, source, monkeypatch):
    """Sources too large for memory keep the scratch table in an on-disk database."""
    from modelyard.data import _inspect

    src = source(write("s.csv", _synthetic(300)))
    expected = inspect_source(src, [], sample_rows=5)
    monkeypatch.setattr(_inspect, "SCRATCH_SHARE", 0.0)
    schema, profile = inspect_source(src, [], sample_rows=5)
    assert schema == expected[0]
    for got, want in zip(profile.columns, expected[1].columns, strict=True):
        same(got.model_dump(mode="json"), want.model_dump(mode="json"), got.name)


def test_exact_quantiles_by_default_while_a_column_fits_the_memory_share(write, source, monkeypatch):
    monkeypatch.setenv("MODELYARD_DATA_MEMORY_LIMIT", "64MB")
    src = source(write("q.csv", "v\n" + "".join(f"{i}\n" for i in range(2000))))
    assert inspect_source(src, [])[1].columns[0].quantiles_exact is True


def _settings_cases(write):
    body = "id,name,score,when\n" + "".join(f"{i},n{i % 4},{i * 0.5},2020-01-{1 + i % 28:02d}\n" for i in range(30))
    rest = "".join(f"{i},n{i % 4},{'NA' if i % 5 == 0 else i},2021-02-03\n" for i in range(30, 45))
    jsonl = "".join(f'{{"a": {i}, "b": "{"x" if i % 2 else "1"}", "c": {i / 4}, "d": null}}\n' for i in range(20))
    return {
        "two files, same headers": ([write("1.csv", body), write("2.csv", "id,name,score,when\n" + rest)],
                                    {"null_values": ["", "NA"]}),
        "only first file has headers": ([write("a.csv", body), write("b.csv", rest)],
                                        {"header": "only_first_file_has_headers", "null_values": ["NA"]}),
        "no headers, skipped rows, semicolons": ([write("n.csv", "junk\n" + body.replace(",", ";"))],
                                                 {"header": "no_headers", "skip_rows": 2}),
        "latin-1": ([write("l.csv", "name,v\nRené,1\nJosé,2\n", "latin-1")], {"encoding": "latin-1"}),
        "tsv": ([write("t.tsv", body.replace(",", "\t"))], {}),
        "jsonl": ([write("j.jsonl", jsonl)], {}),
    }


@pytest.mark.parametrize("case", ["two files, same headers", "only first file has headers",
                                  "no headers, skipped rows, semicolons", "latin-1", "tsv", "jsonl"])
def test_parse_settings_same_as_two_step(write, source, case):
    files, parse = _settings_cases(write)[case]
    assert_same_as_two_step(source(*files, **parse), sample_rows=3)


def test_bad_value_with_the_scratch_on_disk_names_column_row_and_value(write, source, monkeypatch):
    from modelyard.data import _inspect

    monkeypatch.setattr(_inspect, "SCRATCH_SHARE", 0.0)
    src = source(write("c.csv", "Age,Name\n" + "".join(f"{i},n{i}\n" for i in range(11)) + "forty,x\n"))
    with pytest.raises(InvalidInput, match=r"column 'Age' expected integer, got 'forty' at row 12"):
        inspect_source(src, [ColumnOverride(name="Age", type="integer")])

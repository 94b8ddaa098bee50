"""Messy columns (issue 12), each checked against an exact reference computed here with pandas,
numpy or exact fractions: dominant-type inference, booleans in several spellings, moments of
values with a large common offset, and the "looks like a number" rule."""

from __future__ import annotations

import math
import random
import re
from fractions import Fraction

import pytest

from modelyard.data import infer_schema, inspect_source, read_arrow
from modelyard.data._types import MAX_ERROR_SHARE, MIN_ERRORS
from modelyard.errors import InvalidInput
from modelyard.spec.data import ColumnOverride

from tests.data.test_inspect import same


def csv_text(columns: dict[str, list[str]]) -> str:
    names = list(columns)
    rows = zip(*columns.values())
    return ",".join(names) + "\n" + "".join(",".join(row) + "\n" for row in rows)


def close(got: float, want: float, rel: float = 1e-9) -> bool:
    return math.isclose(got, want, rel_tol=rel, abs_tol=1e-12)


def exact_moments(values: list[float]) -> dict[str, float]:
    """Sample variance, adjusted Fisher-Pearson skewness G1 and bias-corrected excess kurtosis G2
    (pandas' definitions), in exact rational arithmetic over the doubles given."""
    n = len(values)
    exact = [Fraction(v) for v in values]
    mean = sum(exact) / n
    m2, m3, m4 = (sum((v - mean) ** k for v in exact) / n for k in (2, 3, 4))
    g1 = float(m3) / float(m2) ** 1.5
    g2 = float(m4 / m2**2) - 3
    return {
        "mean": float(mean),
        "variance": float(m2 * n / (n - 1)),
        "skewness": math.sqrt(n * (n - 1)) / (n - 2) * g1,
        "kurtosis": ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3)),
    }


def messy(rows: int = 3000, seed: int = 12) -> dict[str, list[str]]:
    rng = random.Random(seed)
    age, price, flag, offset = [], [], [], []
    for i in range(rows):
        age.append("?" if rng.random() < 0.03 else ("" if rng.random() < 0.2 else str(rng.randint(18, 90))))
        price.append("?" if rng.random() < 0.03 else f"{rng.lognormvariate(3, 1):.4f}")
        flag.append("N/A" if rng.random() < 0.02 else rng.choice(["true", "TRUE", "False", "false", "True", ""]))
        offset.append(repr(1e9 + rng.expovariate(1.0)))  # skewed, spread ~1 around 1e9
    return {"age": age, "price": price, "flag": flag, "offset": offset}


@pytest.fixture
def messy_file(write):
    columns = messy()
    return columns, write("messy.csv", csv_text(columns))


def test_numeric_columns_with_question_marks_take_the_dominant_type(messy_file, source):
    """'?' in about 3% of an integer and a decimal column: typed by the values that parse, the
    '?' counted as errors, every statistic equal to pandas' over the parsed values."""
    import numpy as np
    import pandas as pd

    columns, path = messy_file
    schema, profile = inspect_source(source(path))
    types = {c.name: (c.type, c.invalid_as_missing) for c in schema}
    assert types["age"] == ("integer", True) and types["price"] == ("decimal", True)
    by_name = {c.name: c for c in profile.columns}
    for name in ("age", "price"):
        text = pd.Series(columns[name])
        parsed = pd.to_numeric(text.where(text != "?"), errors="raise").dropna()
        got = by_name[name]
        questions, empties = int((text == "?").sum()), int((text == "").sum())
        assert got.errors == questions > 0 and got.missing == empties
        assert got.type_counts["error"] == questions and got.type_counts.get("null", 0) == empties
        assert got.non_missing == len(text) - empties
        assert got.distinct == parsed.nunique() and got.min == parsed.min() and got.max == parsed.max()
        assert close(got.mean, parsed.mean()) and close(got.std, parsed.std()) and close(got.variance, parsed.var())
        assert close(got.skewness, parsed.skew(), 1e-7) and close(got.kurtosis, parsed.kurt(), 1e-7)
        for label, value in got.quantiles.items():
            assert close(value, float(np.quantile(parsed, float(label[:-1]) / 100))), label
        assert sum(b.count for b in got.histogram) == len(parsed)
    # reading the data: the '?' are missing values, the others as typed
    table = read_arrow(source(path), schema)
    assert table.column("age").null_count == sum(v in ("?", "") for v in columns["age"])


def test_a_type_the_user_chose_still_refuses_values_that_do_not_parse(messy_file, source):
    _, path = messy_file
    with pytest.raises(InvalidInput, match=r"column 'age' expected integer, got '\?' at row \d+"):
        inspect_source(source(path), [ColumnOverride(name="age", type="integer")])


def test_booleans_in_several_spellings_with_n_a(messy_file, source):
    columns, path = messy_file
    _, profile = inspect_source(source(path))
    flag = {c.name: c for c in profile.columns}["flag"]
    values = columns["flag"]
    trues = sum(v.lower() == "true" for v in values)
    falses = sum(v.lower() == "false" for v in values)
    assert flag.type == "boolean"
    assert flag.type_counts == {"boolean": trues + falses, "error": values.count("N/A"), "null": values.count("")}
    assert {v.value: v.count for v in flag.value_counts} == {True: trues, False: falses}


def test_moments_of_values_with_a_large_offset_are_exact(messy_file, source):
    """Values around 1e9 spread by ~1: skewness and kurtosis to 1e-9 relative of the exact value
    (summing powers of the raw values lost about 5 digits)."""
    columns, path = messy_file
    _, profile = inspect_source(source(path))
    got = {c.name: c for c in profile.columns}["offset"]
    want = exact_moments([float(v) for v in columns["offset"]])
    assert got.type == "decimal"
    for key, value in want.items():
        assert close(getattr(got, key), value), (key, getattr(got, key), value)


def _integers_with(errors: int, total: int) -> str:
    return "v\n" + "".join(f"{i}\n" for i in range(total - errors)) + "n/a\n" * errors


@pytest.mark.parametrize(("errors", "expected"), [(50, "integer"), (51, "string")])
def test_the_threshold_is_a_share_of_the_non_null_values(write, source, errors, expected):
    """At most MAX_ERROR_SHARE (5%) of the non-null values may fail to parse as the dominant type."""
    assert MAX_ERROR_SHARE == 0.05
    src = source(write("t.csv", _integers_with(errors, 1000)))
    assert infer_schema(src)[0].type == expected
    assert inspect_source(src)[0][0].type == expected


def test_a_lone_value_that_does_not_parse_keeps_the_column_string(write, source):
    """MIN_ERRORS: one odd value (a header line read as data) is shown as it is; two are errors."""
    assert MIN_ERRORS == 2
    one = source(write("one.csv", "v\nAge\n" + "".join(f"{i}\n" for i in range(999))))
    assert [(c.type, c.invalid_as_missing) for c in infer_schema(one)] == [("string", False)]
    assert read_arrow(one, infer_schema(one)).column("v")[0].as_py() == "Age"
    two = source(write("two.csv", "v\nAge\nAge\n" + "".join(f"{i}\n" for i in range(998))))
    assert [(c.type, c.invalid_as_missing) for c in infer_schema(two)] == [("integer", True)]


def test_the_type_that_takes_every_value_wins_over_a_dominant_one(write, source):
    """96% integers and 4% decimals: decimal (every value parses), not integer with errors; and with
    2% '?' more, decimal with those errors."""
    ints_and_decimals = [str(i) for i in range(96)] + [f"{i}.5" for i in range(4)]
    src = source(write("a.csv", "v\n" + "\n".join(ints_and_decimals) + "\n"))
    assert [(c.type, c.invalid_as_missing) for c in infer_schema(src)] == [("decimal", False)]
    src = source(write("b.csv", "v\n" + "\n".join(ints_and_decimals[:-2] + ["?", "?"]) + "\n"))
    schema, profile = inspect_source(src)
    assert (schema[0].type, schema[0].invalid_as_missing) == ("decimal", True)
    assert profile.columns[0].type_counts == {"integer": 96, "decimal": 2, "error": 2}


def test_a_sample_that_says_string_is_corrected_by_the_full_counts(write, source):
    """The first rows hold every '?' (the sample says string); over the whole column they are 1%."""
    text = "v\n" + "?\n" * 3 + "".join(f"{i}\n" for i in range(297))
    src = source(write("s.csv", text))
    schema, profile = inspect_source(src, sample_rows=5)
    assert schema == infer_schema(src) and schema[0].type == "integer"
    assert profile.columns[0].errors == 3 and profile.columns[0].max == 296


# -- what looks like a number -----------------------------------------------------------------------

_NUMBER = re.compile(r"\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*")
_INTEGER = re.compile(r"\s*[+-]?[0-9]+\s*")


def reference_class(text: str) -> str:
    """The documented rule (``modelyard.data._types``), in plain Python."""
    if _NUMBER.fullmatch(text) and math.isfinite(float(text)):
        if _INTEGER.fullmatch(text) and -(2**63) <= int(text) < 2**63:
            return "integer"
        return "decimal"
    return "other"


RULE_EXAMPLES = {
    "12": "integer", " -7 ": "integer", "+3": "integer", "007": "integer",
    "1.": "decimal", ".5": "decimal", "-3.25": "decimal", "1e5": "decimal", "2.5E-3": "decimal",
    "123e4567": "other",  # 1.23e4569 overflows a DOUBLE
    "123e45": "decimal", "9223372036854775808": "decimal",  # beyond BIGINT: decimal text
    "1,000": "other", "1_000": "other", "0x10": "other", "inf": "other", "nan": "other",
    "Infinity": "other", "1e400": "other", "$5": "other", "5%": "other", "1.2.3": "other", "e5": "other",
    "-": "other", ".": "other", "12a": "other",
}


def test_the_number_rule_on_examples():
    assert {text: reference_class(text) for text in RULE_EXAMPLES} == RULE_EXAMPLES


def test_number_looking_text_is_counted_by_the_documented_rule(write, source):
    """A high-cardinality text column of identifiers, hex codes and number-looking strings: its
    integer and decimal type counts equal the documented rule's, value by value."""
    rng = random.Random(7)
    values = list(RULE_EXAMPLES)
    for i in range(3000):
        kind = i % 6
        if kind == 0:
            values.append(f"{rng.getrandbits(48):012x}")  # hex identifiers: some all digits, some 'NNNeNNN'
        elif kind == 1:
            values.append(f"{rng.randint(0, 10**6)}")
        elif kind == 2:
            values.append(f"{rng.random() * 1000:.3f}")
        elif kind == 3:
            values.append(f"{rng.randint(1, 9)}e{rng.randint(0, 400)}")
        elif kind == 4:
            values.append(f"{rng.randint(1, 999)},{rng.randint(100, 999)}")
        else:
            values.append(f"item {rng.randint(0, 10**6)}")
    quoted = ['"' + v + '"' for v in values]
    src = source(write("n.csv", "v\n" + "\n".join(quoted) + "\n"))
    schema, profile = inspect_source(src)
    expected = {"integer": 0, "decimal": 0, "other": 0}
    for text in values:
        expected[reference_class(text)] += 1
    counts = profile.columns[0].type_counts
    assert schema[0].type == "string"
    assert counts.get("integer", 0) == expected["integer"] and counts.get("decimal", 0) == expected["decimal"]
    assert counts.get("integer", 0) + counts.get("decimal", 0) + counts.get("string", 0) == len(values)


@pytest.mark.parametrize("sample_rows", [5, 20_000])
def test_parquet_text_columns_profile_as_the_same_csv(write, tmp_path, source, sample_rows):
    """Parquet string columns are grouped straight from the file (not copied into the scratch
    table); the profile equals the CSV's, also where the sample misleads (the '?' first)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = messy(400)
    columns["early"] = ["?"] * 3 + [str(i) for i in range(397)]
    columns["words"] = [f"w{i % 7}" if i % 9 else "" for i in range(400)]
    csv = write("m.csv", csv_text(columns))
    parquet = tmp_path / "m.parquet"
    pq.write_table(pa.table({name: [v if v != "" else None for v in values] for name, values in columns.items()}),
                   parquet)
    from_csv = inspect_source(source(csv), sample_rows=sample_rows)
    from_parquet = inspect_source(source(parquet), sample_rows=sample_rows)
    assert from_parquet[0] == from_csv[0]
    assert {c.name: c.type for c in from_csv[0]}["early"] == "integer"
    for got, want in zip(from_parquet[1].columns, from_csv[1].columns, strict=True):
        same(got.model_dump(mode="json"), want.model_dump(mode="json"), got.name)


def test_a_stored_schema_profiles_again_with_the_same_errors(messy_file, source):
    """``profile_source`` (a registered version's profile on demand) reads the stored schema's
    ``invalid_as_missing`` columns leniently and gives the profile of the registration."""
    from modelyard.data import profile_source

    _, path = messy_file
    schema, registered = inspect_source(source(path))
    again = profile_source(source(path), schema)
    for got, want in zip(again.columns, registered.columns, strict=True):
        same(got.model_dump(mode="json"), want.model_dump(mode="json"), got.name)
    assert {c.name for c in again.columns if c.errors} == {"age", "price", "flag"}

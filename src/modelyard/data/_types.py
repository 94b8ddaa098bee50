"""How text values map to column types, as DuckDB SQL: one classifier that counts what each
value parses as, and conversions that accept exactly what the classifier accepts.

What looks like a number (``classify``): after optional spaces and a sign, digits with at most
one '.' (``12``, ``1.``, ``.5``, ``-3.25``), optionally an exponent (``1e5``, ``2.5E-3``),
optionally followed by spaces, whose DOUBLE value is finite. Integer text is the same without '.'
or exponent and within BIGINT; other number text is decimal. Not numbers: thousands separators
(``1,000``), underscores (``1_000``), hex (``0x10``), ``inf``/``nan``/``Infinity``, overflowing
text (``1e400``, ``123e4567``), currency and percent signs. So a hex identifier such as ``412e34``
is decimal text (4.12e36), as for DuckDB and Python's ``float``; ``float`` also accepts
``1_000``, ``inf``, ``nan`` and ``1e400`` (as inf), which this rule does not.

The column type (``infer_type``): the narrowest type every non-null value parses as; when no
type takes every value, the type that takes the most of them provided the others are at most
``MAX_ERROR_SHARE`` of the non-null values and at least ``MIN_ERRORS`` of them. Those others are
errors: read as missing, counted under 'error' in the profile's type counts, left out of every
statistic. A lone value that does not parse keeps the column string: placeholders for missing
values ('?', 'N/A') recur, while one odd value is more often the data's own (a header line read
as data, a code among numbers) and stays visible as it is.
"""

from __future__ import annotations

from modelyard.spec.data import ColumnSchema, ColumnType

from modelyard.data._duck import quote_literal

# Class codes returned by ``classify``; their order is the precedence when a value fits several.
TYPE_CODES: dict[int, str] = {0: "null", 1: "integer", 2: "decimal", 3: "boolean", 4: "datetime", 5: "string"}
BOOLEAN_TEXT = ("true", "false", "True", "False", "TRUE", "FALSE")

_INTEGER_PATTERN = r"'\s*[+-]?[0-9]+\s*'"
_DECIMAL_PATTERN = r"'\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*'"
_BOOLEANS = "(" + ", ".join(quote_literal(v) for v in BOOLEAN_TEXT) + ")"

ARROW_TYPE_NAMES: dict[ColumnType, str] = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "decimal": "DOUBLE",
    "boolean": "BOOLEAN",
    "datetime": "TIMESTAMP",
}


def timestamp_cast(v: str) -> str:
    """``TRY_CAST(v AS TIMESTAMP)``, tried only on text that starts with a digit (after spaces)
    and holds one of the separators DuckDB's date parser accepts after the year (' ', '-', '/',
    '\\'): the cast fails on any other text, and is the costliest step of classifying
    digit-led identifiers (hex codes, hashes). A CASE, because DuckDB evaluates both sides of
    an AND."""
    separator = " OR ".join(f"contains({v}, {quote_literal(c)})" for c in (" ", "-", "/", "\\"))
    return f"(CASE WHEN ascii(ltrim({v})) BETWEEN 48 AND 57 AND ({separator}) THEN TRY_CAST({v} AS TIMESTAMP) END)"


def _letter_led(v: str) -> str:
    """Text starting with an ASCII letter other than t/f (true/false) is no number (numbers start
    with a space, sign, dot or digit; inf/nan are not finite), no boolean and no datetime (those
    start with a digit): a cheap first test for most strings."""
    first = f"ascii({v})"
    return f"(({first} BETWEEN 65 AND 90 OR {first} BETWEEN 97 AND 122) AND {first} NOT IN (70, 84, 102, 116))"


def classify(v: str) -> str:
    """SQL giving each text value its TYPE_CODES code. The cheap DOUBLE cast screens out most
    text before the regular expressions run; the costly timestamp cast only sees digit-led text."""
    return f"""(CASE WHEN {v} IS NULL THEN 0
        WHEN {_letter_led(v)} THEN 5
        WHEN isfinite(TRY_CAST({v} AS DOUBLE)) THEN
            CASE WHEN regexp_full_match({v}, {_INTEGER_PATTERN}) AND TRY_CAST({v} AS BIGINT) IS NOT NULL THEN 1
                 WHEN regexp_full_match({v}, {_DECIMAL_PATTERN}) THEN 2 ELSE 5 END
        WHEN {v} IN {_BOOLEANS} THEN 3
        WHEN {timestamp_cast(v)} IS NOT NULL THEN 4
        ELSE 5 END)::UTINYINT"""


# A column whose values mostly parse as one type takes that type when the values that do not
# are at most this share of its non-null values (a '?' or 'N/A' among numbers or booleans).
MAX_ERROR_SHARE = 0.05
MIN_ERRORS = 2
_MEMBERS: dict[ColumnType, tuple[str, ...]] = {  # the classes each type accepts, narrowest type first
    "boolean": ("boolean",),
    "integer": ("integer",),
    "decimal": ("integer", "decimal"),
    "datetime": ("datetime",),
}


def type_errors(type_counts: dict[str, int], column_type: ColumnType) -> int:
    """How many non-null values do not parse as ``column_type``."""
    non_null = sum(count for name, count in type_counts.items() if name not in ("null", "error"))
    if column_type == "string":
        return 0
    return non_null - sum(type_counts.get(member, 0) for member in _MEMBERS[column_type])


def infer_type(type_counts: dict[str, int]) -> ColumnType:
    """The narrowest type every non-null value parses as, else the dominant one (see the module's
    docstring); string when values disagree more than that."""
    non_null = sum(count for name, count in type_counts.items() if name != "null")
    if non_null == 0:
        return "string"
    errors = {candidate: type_errors(type_counts, candidate) for candidate in _MEMBERS}
    fewest = min(errors.values())
    if fewest > MAX_ERROR_SHARE * non_null or 0 < fewest < MIN_ERRORS:
        return "string"
    return next(candidate for candidate, n in errors.items() if n == fewest)


def inferred_column(name: str, type_counts: dict[str, int]) -> ColumnSchema:
    """The inferred schema of one column from its type counts (``infer_type``)."""
    column_type = infer_type(type_counts)
    return ColumnSchema(name=name, type=column_type,
                        invalid_as_missing=type_errors(type_counts, column_type) > 0)


def convert_text(v: str, column: ColumnSchema) -> str:
    """SQL converting a text value to the column's type; NULL where it does not parse."""
    if column.type == "string":
        return v
    if column.type == "integer":
        return f"CASE WHEN regexp_full_match({v}, {_INTEGER_PATTERN}) THEN TRY_CAST({v} AS BIGINT) END"
    if column.type == "decimal":
        return f"CASE WHEN regexp_full_match({v}, {_DECIMAL_PATTERN}) THEN TRY_CAST({v} AS DOUBLE) END"
    if column.type == "boolean":
        return f"CASE WHEN {v} IN {_BOOLEANS} THEN lower({v}) = 'true' END"
    if column.datetime_format:
        return f"try_strptime({v}, {quote_literal(column.datetime_format)})::TIMESTAMP"
    return timestamp_cast(v)


def convert_native(v: str, native: ColumnType, column: ColumnSchema) -> str:
    """SQL converting an already typed value (parquet, JSON) to the column's type."""
    if native == column.type:
        return f"{v}::{ARROW_TYPE_NAMES[native]}" if native in ("integer", "decimal", "datetime") else v
    if column.type == "string":
        return f"CAST({v} AS VARCHAR)"
    return convert_text(f"CAST({v} AS VARCHAR)", column)


def convert(v: str, column: ColumnSchema, native: ColumnType | None) -> str:
    return convert_text(v, column) if native is None else convert_native(v, native, column)


def typed_value(v: str, column: ColumnSchema, native: ColumnType | None, column_index: int) -> str:
    """SQL of ``v`` as the column's type: checked (the first bad value is an error) unless the
    column reads the values that do not parse as missing (``invalid_as_missing``)."""
    converted = convert(v, column, native)
    return converted if column.invalid_as_missing else checked(v, converted, column_index)


def checked(v: str, converted: str, column_index: int) -> str:
    """``converted``, but a non-null value that did not convert aborts the query with a marker the
    reader turns into a message naming the row (see ``_read.locate_bad_value``)."""
    return (
        f"(CASE WHEN {v} IS NULL THEN NULL ELSE coalesce({converted}, "
        f"error('modelyard-bad-value:{column_index}')) END)"
    )

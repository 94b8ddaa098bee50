"""Columns: the schema of a DataFrame, and Azure's column selector resolved against a schema."""

from __future__ import annotations

import difflib
from typing import Any

from modelyard.errors import InvalidInput
from modelyard.spec.designer import SELECTOR_TYPES, ColumnRule, ColumnSelection, Schema

NUMERIC = ("integer", "decimal")
# the dtype an empty frame of each schema type gets (SQL's schema flow runs the query on one)
DTYPES = {"integer": "int64", "decimal": "float64", "string": "object", "boolean": "bool",
          "datetime": "datetime64[ns]", "categorical": "category"}


class ColumnNotFound(InvalidInput):
    """A parameter names columns that the input does not have."""

    def __init__(self, parameter: str, missing: list[str], available: list[str]) -> None:
        self.parameter, self.missing, self.available = parameter, missing, available
        hints = [f"'{name}' (did you mean '{close[0]}'?)" if (close := difflib.get_close_matches(name, available, 1))
                 else f"'{name}'" for name in missing]
        noun = "column" if len(missing) == 1 else "columns"
        shown = ", ".join(available[:40]) + (", ..." if len(available) > 40 else "")
        super().__init__(f"{noun} {', '.join(hints)} not in the input; its columns are: {shown or 'none'}")


def column_type(dtype: Any) -> str:
    import pandas as pd

    if isinstance(dtype, pd.CategoricalDtype):
        return "categorical"
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "decimal"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    return "string"


def schema_of(frame) -> Schema:
    return {str(name): column_type(dtype) for name, dtype in frame.dtypes.items()}


def empty_frame(schema: Schema):
    import pandas as pd

    return pd.DataFrame({name: pd.Series([], dtype=DTYPES.get(kind, "object")) for name, kind in schema.items()})


def _indexes(text: str, count: int, parameter: str) -> list[int]:
    """0-based positions of a 1-based list like '1-3,5'."""
    positions = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise InvalidInput(f"parameter '{parameter}': column index '{part}' is not a number or range like '2-5'")
        first, last = int(low), int(high or low)
        if not 1 <= first <= last <= count:
            raise InvalidInput(f"parameter '{parameter}': column indexes {part} are outside 1-{count}")
        positions += range(first - 1, last)
    return positions


def _matches(rule: ColumnRule, schema: Schema, parameter: str) -> list[str]:
    names = list(schema)
    if rule.rule_type == "AllColumns":
        return names
    if rule.rule_type == "ColumnNames":
        missing = [name for name in rule.columns if name not in schema]
        if missing:
            raise ColumnNotFound(parameter, missing, names)
        return list(rule.columns)
    if rule.rule_type == "ColumnIndexes":
        return [names[i] for i in _indexes(rule.column_indexes, len(names), parameter)]
    wanted = {kind for name in rule.column_types or ["All"] for kind in SELECTOR_TYPES[name]}
    return [name for name in names if schema[name] in wanted]


def select(selection: Any, schema: Schema, parameter: str = "column selection") -> list[str]:
    """The column names a selector picks from ``schema``, in the rules' order (ColumnNotFound when a
    rule names a column the schema lacks)."""
    parsed = ColumnSelection.parse(selection)
    chosen: list[str] = [] if not parsed.rules[0].exclude else list(schema)
    for rule in parsed.rules:
        picked = _matches(rule, schema, parameter)
        if rule.exclude:
            chosen = [name for name in chosen if name not in set(picked)]
        else:
            chosen += [name for name in picked if name not in chosen]
    return chosen


def require_columns(names: list[str], schema: Schema, parameter: str) -> list[str]:
    missing = [name for name in names if name not in schema]
    if missing:
        raise ColumnNotFound(parameter, missing, list(schema))
    return names


def numeric_only(names: list[str], schema: Schema, parameter: str, fix: str) -> list[str]:
    """``names`` when every one is numeric; else InvalidInput naming the others and the fix."""
    other = [f"'{name}' ({schema[name]})" for name in names if schema[name] not in NUMERIC]
    if other:
        raise InvalidInput(f"parameter '{parameter}' selects non-numeric columns {', '.join(other)}; {fix}")
    return names

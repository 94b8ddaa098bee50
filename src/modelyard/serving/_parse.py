"""Request bodies → validated, coerced columns (no DataFrame: one list per column).

Accepted bodies (a JSON object):

- ``{"data": [records]}`` / ``{"input_data": [records]}`` — records are objects keyed by column;
  lists of values in schema order are read positionally; ``input_data`` may also be split-shaped.
- ``{"dataframe_records": [records]}`` and ``{"dataframe_split": {"columns": [...], "data": [[...]]}}``
  (MLflow's scoring protocol).
- ``"method": "predict" | "predict_proba"`` in the body (or ``?proba=true`` / ``?method=...``).
- ``"explain": true`` (or ``?explain=true``), with ``"explain_top": k | "all"``: each row's contributions
  too, where the deployment explains (see ``_explain``).

Coercion rules (a value readable as the column's type is read as that type, anything else is 400
naming the column, the row and the value):

- integer/long: JSON integers; floats with no fractional part; numeric strings ("41", "41.0");
  booleans as 0/1.
- float/double: any JSON number; numeric strings; ``null`` is read as a missing value (NaN),
  which the model may or may not accept.
- string: strings as they are; a number is read as its text (``1`` → ``"1"``, ``2.0`` → ``"2"``,
  ``2.5`` → ``"2.5"``), a boolean as ``"True"``/``"False"`` — so the workshop's ``"OverTime": 1``
  reaches the model as the string ``"1"``, an unseen category (one-hot encoders that ignore
  unknown categories score it as neither Yes nor No).
- boolean: true/false, 0/1, "true"/"false"/"yes"/"no"/"1"/"0".
- ``null`` in a required column other than a float is refused; in an optional column it is kept.
- objects and arrays are refused in any scalar column.

Columns the model does not read are ignored; a missing required column is 400 naming it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import orjson

from modelyard.serving._errors import RequestError
from modelyard.serving._schema import FLOAT_TYPES, INTEGER_TYPES, Schema

METHODS = ("predict", "predict_proba")
DEFAULT_EXPLAIN_TOP = 5
_MISSING = object()
_TRUE = frozenset({"true", "yes", "y", "1", "t"})
_FALSE = frozenset({"false", "no", "n", "0", "f"})


@dataclass
class ParsedRequest:
    """A validated request: one coerced list per schema column, the row count and the method."""

    columns: dict[str, list]
    n_rows: int
    method: str = "predict"
    records: list | None = None  # the raw records, kept only when the model has no schema
    explain_top: int | None = None  # contributions asked per row (0: all of them); None: no explanation asked


def _show(value: Any) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    try:
        text = orjson.dumps(value).decode()
    except TypeError:  # nested deeper than orjson writes
        return f"(a {type(value).__name__} nested too deep to show)"
    return text if len(text) <= 80 else text[:77] + "..."


def _bad(column: str, row: int, value: Any, kind: str) -> RequestError:
    return RequestError(400, f"column '{column}', row {row}: value {_show(value)} cannot be read as {kind}")


def _to_int(v: Any) -> int:
    t = type(v)
    if t is int:
        return v
    if t is bool:
        return int(v)
    if t is float:
        if v.is_integer():
            return int(v)
        raise ValueError
    if t is str:
        s = v.strip()
        try:
            return int(s)
        except ValueError:
            f = float(s)
            if f.is_integer():
                return int(f)
            raise
    raise ValueError


def _to_float(v: Any) -> float:
    t = type(v)
    if t is float or t is int or t is bool:
        return float(v)
    if t is str:
        return float(v.strip())
    raise ValueError


def _to_str(v: Any) -> str:
    t = type(v)
    if t is str:
        return v
    if t is int or t is bool:
        return str(v)
    if t is float:
        return str(int(v)) if v.is_integer() else repr(v)
    raise ValueError


def _to_bool(v: Any) -> bool:
    t = type(v)
    if t is bool:
        return v
    if t is int and v in (0, 1):
        return bool(v)
    if t is float and v in (0.0, 1.0):
        return bool(v)
    if t is str:
        s = v.strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
    raise ValueError


def _to_any(v: Any) -> Any:
    if isinstance(v, (dict, list)):
        raise ValueError
    return v


def _to_datetime(v: Any) -> Any:
    import numpy as np

    if type(v) is not str:
        raise ValueError
    return np.datetime64(v.strip().replace("Z", ""))


_CONVERTERS = {"integer": (_to_int, "an integer"), "long": (_to_int, "an integer"),
               "float": (_to_float, "a number"), "double": (_to_float, "a number"),
               "string": (_to_str, "a string"), "boolean": (_to_bool, "a boolean"),
               "datetime": (_to_datetime, "a date-time string"), "binary": (_to_any, "a scalar"),
               "any": (_to_any, "a scalar")}


def _coerce_column(name: str, kind: str, required: bool, values: list) -> list:
    """The column's values read as ``kind``; RequestError naming the first value that cannot be."""
    # fast paths: the common, already well-typed column is checked in one pass
    if kind in INTEGER_TYPES:
        if all(type(v) is int for v in values):
            return values
    elif kind in FLOAT_TYPES:
        if all(type(v) is float or type(v) is int for v in values):
            return values
    elif kind == "string":
        if all(type(v) is str for v in values):
            return values
    convert, label = _CONVERTERS.get(kind, _CONVERTERS["any"])
    out = []
    for row, v in enumerate(values):
        if v is _MISSING:
            raise RequestError(400, f"missing required column '{name}' in row {row}")
        if v is None:
            if kind in FLOAT_TYPES:
                out.append(math.nan)
                continue
            if not required or kind == "any":
                out.append(None)
                continue
            raise RequestError(400, f"column '{name}', row {row}: null is not allowed (expected {label})")
        try:
            out.append(convert(v))
        except (ValueError, TypeError, OverflowError):
            raise _bad(name, row, v, label) from None
    return out


def _rows_of(body: dict) -> list:
    """The list of rows in any accepted body shape (records, positional lists, or split → lists)."""
    if "dataframe_split" in body:
        return _split_rows(body["dataframe_split"], "dataframe_split")
    for key in ("data", "input_data", "dataframe_records", "instances", "inputs"):
        if key in body:
            rows = body[key]
            if isinstance(rows, dict) and "columns" in rows and "data" in rows:
                return _split_rows(rows, key)
            if isinstance(rows, dict):
                return [rows]  # a single record
            if not isinstance(rows, list):
                raise RequestError(400, f"'{key}' must be a list of records (got {type(rows).__name__})")
            return rows
    raise RequestError(400, "the body has no 'data' (or 'input_data', 'dataframe_records', "
                            "'dataframe_split') field")


def _split_rows(split: Any, key: str) -> list:
    if not isinstance(split, dict) or not isinstance(split.get("columns"), list) \
            or not isinstance(split.get("data"), list):
        raise RequestError(400, f"'{key}' must be an object with 'columns' and 'data' lists")
    columns = split["columns"]
    rows = []
    for i, values in enumerate(split["data"]):
        if not isinstance(values, list) or len(values) != len(columns):
            raise RequestError(400, f"'{key}' row {i} must be a list of {len(columns)} values")
        rows.append(dict(zip(columns, values)))
    return rows


def method_of(body: dict | None, query: dict[str, str] | None = None) -> str:
    """``predict`` or ``predict_proba`` from the body's ``method`` or the query string."""
    method = None
    if query:
        if query.get("proba", "").lower() in ("1", "true", "yes"):
            method = "predict_proba"
        method = query.get("method") or method
    if body is not None and "method" in body:
        method = body["method"]
    method = method or "predict"
    if method not in METHODS:
        raise RequestError(400, f"unknown method {_show(method)} (use 'predict' or 'predict_proba')")
    return method


def explain_of(body: dict, query: dict[str, str] | None = None) -> int | None:
    """How many contributions per row the request asks for (``"explain": true`` or ``?explain=true``, and
    ``explain_top``: a count, or ``all`` for every feature; 5 by default); None when it asks for none."""
    query = query or {}
    asked = body.get("explain", query.get("explain", False))
    if type(asked) is str and asked.strip().lower() in _TRUE | _FALSE:
        asked = asked.strip().lower() in _TRUE
    if type(asked) is not bool:
        raise RequestError(400, f"'explain' must be true or false, got {_show(asked)}")
    if not asked:
        return None
    top = body.get("explain_top", query.get("explain_top", DEFAULT_EXPLAIN_TOP))
    if type(top) is str and top.strip().lower() == "all":
        return 0
    if type(top) is str and top.strip().isdigit():
        top = int(top)
    if type(top) is not int or top < 1:
        raise RequestError(400, f"'explain_top' must be a count of at least 1 or \"all\", got {_show(top)}")
    return top


def load_body(body: bytes | str | dict) -> dict:
    """The body as a JSON object, or RequestError(400) saying why it is not one."""
    if isinstance(body, (bytes, bytearray, memoryview, str)):
        try:
            body = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise RequestError(400, f"malformed JSON: {exc}") from None
    if not isinstance(body, dict):
        raise RequestError(400, f"the body must be a JSON object (got {type(body).__name__})")
    return body


def parse_request(body: bytes | str | dict, schema: Schema | None,
                  query: dict[str, str] | None = None) -> ParsedRequest:
    """Validate and coerce a scoring request against ``schema``; RequestError(400) on bad input.

    With no schema the records are kept as given (each must be an object or a list).
    """
    body = load_body(body)
    method = method_of(body, query)
    explain_top = explain_of(body, query)
    rows = _rows_of(body)
    if not rows:
        raise RequestError(400, "'data' is empty: send at least one record")
    if schema is None:
        for i, row in enumerate(rows):
            if not isinstance(row, (dict, list)):
                raise RequestError(400, f"row {i} must be an object (got {type(row).__name__})")
        return ParsedRequest({}, len(rows), method, records=rows, explain_top=explain_top)
    names = schema.names
    width = len(names)
    records = rows
    if type(rows[0]) is not dict:
        records = []
        for i, row in enumerate(rows):
            if isinstance(row, list) and len(row) == width:
                records.append(dict(zip(names, row)))
            elif isinstance(row, list):
                raise RequestError(400, f"row {i} has {len(row)} values; the model reads {width} columns "
                                        f"({', '.join(names)})")
            else:
                raise RequestError(400, f"row {i} must be an object (got {type(row).__name__})")
    else:
        for i, row in enumerate(rows):
            if type(row) is not dict:
                raise RequestError(400, f"row {i} must be an object (got {type(row).__name__})")
    missing_required = []
    columns: dict[str, list] = {}
    for col in schema.columns:
        name = col.name
        values = [r.get(name, _MISSING) for r in records]
        if not col.required:
            values = [None if v is _MISSING else v for v in values]
        elif any(v is _MISSING for v in values):
            first = next(i for i, v in enumerate(values) if v is _MISSING)
            missing_required.append((name, first))
            continue
        columns[name] = _coerce_column(name, col.type, col.required, values)
    if missing_required:
        listed = ", ".join(f"'{n}'" for n, _ in missing_required)
        first_row = missing_required[0][1]
        noun = "column" if len(missing_required) == 1 else "columns"
        raise RequestError(400, f"missing required {noun} {listed} (first in row {first_row})")
    return ParsedRequest(columns, len(records), method, explain_top=explain_top)

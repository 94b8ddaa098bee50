"""Cohorts: rows picked by saved filters (column, operator, value; all or any of them), and the model's metrics
on each cohort beside its metrics on the whole data."""

from __future__ import annotations

import operator as op
from typing import Any, Iterable

import numpy as np
import pandas as pd

from modelyard.errors import InvalidInput
from modelyard.explain._scores import score_model

NUMERIC_TYPES = ("long", "integer", "double", "float")
ORDERING = {"<": op.lt, "<=": op.le, ">": op.gt, ">=": op.ge}


def check_filter(column: str, operator: str, value: Any, kind: str | None, where: str) -> None:
    """InvalidInput naming the filter when ``value`` cannot be compared with a column of type ``kind`` (a signature
    type: long, double, string, boolean ...; None: unknown)."""
    values = value if isinstance(value, list) else [value]
    if operator in ("in", "not in") and not isinstance(value, list):
        raise InvalidInput(f"filter on {column!r}: '{operator}' takes a list of values, got {value!r}")
    if operator not in ("in", "not in") and isinstance(value, list):
        raise InvalidInput(f"filter on {column!r}: '{operator}' takes one value, got a list; use 'in' for several")
    numeric = kind in NUMERIC_TYPES
    for v in values:
        if numeric and (isinstance(v, bool) or not isinstance(v, (int, float))):
            raise InvalidInput(f"filter on {column!r}: the column holds numbers ({kind} in {where}); "
                               f"value {v!r} is not one")
        if kind == "string" and not isinstance(v, str):
            raise InvalidInput(f"filter on {column!r}: the column holds text in {where}; write the value "
                               f"{v!r} as a string")


def _kind(values: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(values):
        return "boolean"
    return "double" if pd.api.types.is_numeric_dtype(values) else "string"


def cohort_mask(frame: pd.DataFrame, filters: Iterable[Any], combine: str = "and") -> np.ndarray:
    """Which rows of ``frame`` the filters pick (objects with column, operator, value); InvalidInput naming an
    unknown column or a value of the wrong type."""
    masks = []
    for f in filters:
        if f.column not in frame.columns:
            raise InvalidInput(f"filter column {f.column!r} is not in the data; columns are "
                               f"{', '.join(map(str, frame.columns))}")
        values = frame[f.column]
        check_filter(f.column, f.operator, f.value, _kind(values), "the data")
        if f.operator in ("in", "not in"):
            picked = values.isin(f.value)
            masks.append(picked if f.operator == "in" else ~picked & values.notna())
        elif f.operator in ("==", "!="):
            masks.append(values == f.value if f.operator == "==" else (values != f.value) & values.notna())
        else:
            masks.append(ORDERING[f.operator](values, f.value))
    if not masks:
        raise InvalidInput("a cohort needs at least one filter")
    stacked = np.column_stack([np.asarray(m.fillna(False) if hasattr(m, "fillna") else m, dtype=bool)
                               for m in masks])
    return stacked.all(axis=1) if combine == "and" else stacked.any(axis=1)


def cohort_metrics(model, data: pd.DataFrame, *, target: str, mask: np.ndarray | None = None) -> tuple[int, dict]:
    """Rows and the model's metrics on the rows ``mask`` picks (all rows without one); no metrics without rows."""
    rows = data if mask is None else data[mask]
    labelled = rows[rows[target].notna()] if target in rows.columns else rows
    if len(labelled) == 0:
        return len(rows), {}
    metrics = score_model(model, rows, target=target)
    return len(rows), {k: float(v) for k, v in metrics.items() if v is not None and np.isfinite(v)}

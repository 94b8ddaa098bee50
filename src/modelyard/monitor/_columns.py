"""One column of one side, compressed once: its valid values with their counts, its nulls and type errors.

Every metric reads these summaries, never the rows again. Compressing is the only pass over the rows:
integers with a small range are counted with ``bincount`` (one linear pass, no sort), other numbers
with ``np.unique``, categories with pandas' hashed ``value_counts``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modelyard.monitor._metrics import NumericValues

BINCOUNT_MAX_RANGE = 4_000_000


@dataclass(frozen=True)
class NumericColumn:
    values: NumericValues
    rows: int
    nulls: int
    type_errors: int = 0  # values that do not read as a finite number

    @property
    def valid(self) -> int:
        return self.values.n


@dataclass(frozen=True)
class CategoricalColumn:
    counts: dict  # category -> count, nulls left out
    rows: int
    nulls: int
    type_errors: int = 0  # values whose type differs from the reference's

    @property
    def valid(self) -> int:
        return sum(self.counts.values())


def is_numerical(series) -> bool:
    """How a reference column is compared: numbers (not booleans) are numerical, the rest categorical."""
    from pandas.api import types

    return types.is_numeric_dtype(series.dtype) and not types.is_bool_dtype(series.dtype)


def distinct_counts(numbers: np.ndarray) -> NumericValues:
    """Sorted distinct values of an integer array, or of a float array without NaN, and their counts."""
    if len(numbers) == 0:
        return NumericValues(np.empty(0), np.empty(0, dtype=np.int64))
    low, high = numbers.min(), numbers.max()
    integers = numbers.dtype.kind in "iu" or np.array_equal(numbers, np.floor(numbers))
    if integers and float(high) - float(low) < BINCOUNT_MAX_RANGE:  # as floats: no int64 overflow
        counts = np.bincount((numbers - low).astype(np.int64, copy=False))
        present = np.flatnonzero(counts)
        return NumericValues((present + low).astype(np.float64), counts[present])
    values, counts = np.unique(numbers, return_counts=True)
    return NumericValues(values.astype(np.float64), counts)


def numeric_column(series) -> NumericColumn:
    import pandas as pd
    from pandas.api import types

    rows = len(series)
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iu":  # no nulls possible: no float copy
        return NumericColumn(distinct_counts(series.to_numpy()), rows, 0)
    if types.is_numeric_dtype(series.dtype) and not types.is_bool_dtype(series.dtype):
        numbers = series.to_numpy(dtype=np.float64, na_value=np.nan)
        nulls = np.isnan(numbers)
        type_errors = 0
    else:
        numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
        nulls = series.isna().to_numpy()
        type_errors = int(np.count_nonzero(np.isnan(numbers) & ~nulls))
    finite = np.isfinite(numbers)
    type_errors += int(np.count_nonzero(~finite)) - int(np.count_nonzero(np.isnan(numbers)))  # +-inf
    return NumericColumn(distinct_counts(numbers[finite]), rows, int(np.count_nonzero(nulls)), type_errors)


def categorical_column(series, expected: type | None = None) -> CategoricalColumn:
    """``expected``: the Python type the reference's categories have; values of another type are type errors."""
    counts = series.value_counts(dropna=True, sort=False)
    pairs = dict(zip(counts.index.tolist(), counts.to_numpy().tolist()))
    type_errors = 0 if expected is None else sum(n for value, n in pairs.items() if not isinstance(value, expected))
    return CategoricalColumn(pairs, len(series), len(series) - sum(pairs.values()), type_errors)


def category_type(column: CategoricalColumn) -> type | None:
    """The one Python type of a reference's categories (str, bool, ...); None when they mix."""
    kinds = {str if isinstance(value, str) else type(value) for value in column.counts}
    return kinds.pop() if len(kinds) == 1 else None

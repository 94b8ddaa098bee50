"""What flows between lowered stages, and the two ways lowering says no."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np


class Unsupported(Exception):
    """The model has a part this package does not lower."""


class Fallback(Exception):
    """This batch must go through the model (whose own behaviour, error included, is the contract)."""


# A stage maps ("raw", [list per column]) or ("num", 2-D float array) to the same kinds.
Data = tuple[str, Any]
Stage = Callable[[Data], Data]


def num(data: Data) -> np.ndarray:
    """The data as a 2-D float matrix (Fallback when a value is not a number)."""
    kind, value = data
    if kind == "num":
        return value
    try:
        return np.array(value, dtype=np.float64).T
    except (TypeError, ValueError):
        raise Fallback("non-numeric value in a numeric column") from None


def raw(data: Data) -> list[list]:
    """The data as one list of values per column."""
    kind, value = data
    if kind == "raw":
        return value
    return [value[:, j].tolist() for j in range(value.shape[1])]


def is_missing(v: Any) -> bool:
    return v is None or (type(v) is float and math.isnan(v))


def chain(stages: list[Stage]) -> Stage:
    def run(data: Data) -> Data:
        for stage in stages:
            data = stage(data)
        return data

    return run

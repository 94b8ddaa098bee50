"""The one conversion of numpy and pandas values to plain JSON values.

Every JSON column of the store serialises through ``dumps`` (the engine's ``json_serializer``), and
whatever goes to MLflow as JSON (``charts.json``, the leaderboard) or as a metric passes ``plain``
first, so an ``np.int64`` class label or a ``pd.Timestamp`` never reaches ``json.dumps`` raw.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from typing import Any


def plain(value: Any) -> Any:
    """``value`` with numpy/pandas scalars and arrays turned into Python ones (dicts and lists walked)."""
    module = type(value).__module__ or ""
    if module.startswith("numpy") and hasattr(value, "tolist"):   # scalars and arrays alike
        return plain(value.tolist())
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dict):
        return {_key(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if module.startswith("pandas"):
        if _is_missing(value):
            return None
        if hasattr(value, "isoformat"):
            return value.isoformat()
        if hasattr(value, "tolist"):            # Series, Index, extension arrays
            return plain(value.tolist())
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if _is_missing(value):
        return None
    return value


def _key(key: Any) -> Any:
    key = plain(key)
    return key if isinstance(key, (str, int, float, bool)) or key is None else str(key)


def _is_missing(value: Any) -> bool:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas ships with modelyard
        return False
    try:
        return value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    except TypeError:
        return False


def dumps(value: Any) -> str:
    """JSON text of ``value`` (numpy/pandas values converted); what the store writes into JSON columns."""
    return json.dumps(plain(value))

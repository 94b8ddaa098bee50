"""Which raw column each engineered column came from, read off the fitted pipeline.

The first ``ColumnTransformer`` of the transform steps decides: each of its transformers turns some
raw columns into some engineered ones (a one-hot group, a scaled copy, calendar parts, TF-IDF
terms). Steps after it must keep the column count (scalers), so the mapping carries through.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _column_names(columns, names_in: list[str]) -> list[str]:
    """A ColumnTransformer column spec (names, indices, a mask or a slice) as raw column names."""
    if isinstance(columns, str):
        return [columns]
    if isinstance(columns, slice):
        return names_in[columns]
    values = list(np.asarray(columns).ravel()) if not callable(columns) else []
    if values and all(isinstance(v, (bool, np.bool_)) for v in values):
        return [n for n, keep in zip(names_in, values) if keep]
    if values and all(isinstance(v, (int, np.integer)) for v in values):
        return [names_in[int(v)] for v in values]
    return [str(v) for v in values]


def _owner(name: str, columns: list[str]) -> str | None:
    """The raw column an output column of a multi-column transformer belongs to, by its name."""
    if name in columns:
        return name
    if name.startswith("missingindicator_") and name[len("missingindicator_"):] in columns:
        return name[len("missingindicator_"):]
    prefixed = [c for c in columns if name.startswith(f"{c}_")]
    return max(prefixed, key=len) if prefixed else None


def _transformer_outputs(transformer, columns: list[str]) -> list[str] | None:
    if transformer == "passthrough":
        return list(columns)
    try:
        return [str(n) for n in transformer.get_feature_names_out(columns)]
    except (AttributeError, ValueError, TypeError):
        return None


def column_transformer_sources(ct, names_in: list[str]) -> list[str] | None:
    """Raw source per output column of a fitted ColumnTransformer, or None when one cannot be traced."""
    sources: list[str] = []
    for name, transformer, columns in ct.transformers_:
        if transformer == "drop":
            continue
        cols = _column_names(columns, names_in)
        if not cols:
            continue
        outputs = _transformer_outputs(transformer, cols)
        if outputs is None:
            return None
        if len(cols) == 1:
            sources.extend(cols * len(outputs))
            continue
        owners = [_owner(o, cols) for o in outputs]
        if any(o is None for o in owners):
            if len(outputs) != len(cols):
                return None
            owners = cols  # one-to-one under new names (a scaler, an encoder that renames)
        sources.extend(owners)
    return sources


def raw_sources(transforms: list[Any], input_columns: list[str] | None, n_engineered: int) -> list[str] | None:
    """Raw column per engineered column, or None when the pipeline's columns cannot be traced back."""
    from sklearn.compose import ColumnTransformer

    if not transforms:
        return list(input_columns) if input_columns and len(input_columns) == n_engineered else None
    first = transforms[0]
    if not isinstance(first, ColumnTransformer) or input_columns is None:
        return None
    names_in = getattr(first, "feature_names_in_", None)
    sources = column_transformer_sources(first, [str(c) for c in (input_columns if names_in is None else names_in)])
    if sources is None or len(sources) != n_engineered:
        return None  # a later step changed the column count (PCA, polynomial features): no raw view
    return sources


def group_matrix(sources: list[str]) -> tuple[list[str], np.ndarray]:
    """Raw column names (first-seen order) and a 0/1 matrix (engineered x raw) that sums columns into them."""
    raw = list(dict.fromkeys(sources))
    index = {name: i for i, name in enumerate(raw)}
    matrix = np.zeros((len(sources), len(raw)))
    matrix[np.arange(len(sources)), [index[s] for s in sources]] = 1.0
    return raw, matrix

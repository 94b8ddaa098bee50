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


def _transformer_outputs(transformer, columns: list[str], width: int) -> list[str]:
    """Output names of one fitted transformer; when it cannot name them (a FunctionTransformer before a
    TF-IDF vectorizer), its last step's names or numbered ones, prefixed by the raw column when single."""
    if transformer == "passthrough":
        return list(columns)
    prefix = columns[0] if len(columns) == 1 else None
    try:
        names = [str(n) for n in transformer.get_feature_names_out(columns)]
    except (AttributeError, ValueError, TypeError):
        try:
            names = [f"{prefix}_{n}" for n in transformer[-1].get_feature_names_out()]
        except (AttributeError, ValueError, TypeError, IndexError, KeyError):
            names = [f"{prefix or 'x'}_{i}" for i in range(width)]
    return names if len(names) == width else [f"{prefix or 'x'}_{i}" for i in range(width)]


def trace_column_transformer(ct, names_in: list[str]) -> tuple[list[str], list[str] | None]:
    """Names of a fitted ColumnTransformer's output columns and the raw source of each (None when untraceable)."""
    names: list[str] = []
    sources: list[str] | None = []
    verbose = getattr(ct, "verbose_feature_names_out", True)
    for name, transformer, columns in ct.transformers_:
        width = ct.output_indices_[name].stop - ct.output_indices_[name].start
        if transformer == "drop" or width == 0:
            continue
        cols = _column_names(columns, names_in)
        outputs = _transformer_outputs(transformer, cols, width)
        names.extend(f"{name}__{o}" if verbose else o for o in outputs)
        if sources is None:
            continue
        owners = [_owner(o, cols) for o in outputs] if len(cols) > 1 else cols * width
        if any(o is None for o in owners):
            # one-to-one under new names (a scaler, an encoder that renames), else untraceable
            owners = cols if len(outputs) == len(cols) else None
        sources = None if owners is None else sources + owners
    return names, sources


def trace(transforms: list[Any], input_columns: list[str] | None,
          n_engineered: int) -> tuple[list[str] | None, list[str] | None]:
    """Engineered column names (None when unknown) and the raw column of each (None when untraceable)."""
    from sklearn.compose import ColumnTransformer

    if not transforms:
        known = input_columns and len(input_columns) == n_engineered
        return (list(input_columns), list(input_columns)) if known else (None, None)
    first = transforms[0]
    if not isinstance(first, ColumnTransformer):
        return None, None
    names_in = getattr(first, "feature_names_in_", input_columns)
    if names_in is None:
        return None, None
    names, sources = trace_column_transformer(first, [str(c) for c in names_in])
    if len(names) != n_engineered:
        return None, None  # a later step changed the column count (PCA, polynomial features)
    return names, sources


def engineered_features(unwrapped, width: int) -> tuple[list[str], list[str] | None]:
    """Names of the ``width`` engineered columns a model's estimator reads, and the raw column of each (None
    when untraceable): the pipeline's own names when it gives them, else the traced or numbered ones."""
    traced_names, sources = trace(unwrapped.transforms, unwrapped.input_columns, width)
    names = unwrapped.engineered_names()
    if len(names) != width:
        names = traced_names or [f"x{i}" for i in range(width)]
    return names, sources


def group_matrix(sources: list[str]) -> tuple[list[str], np.ndarray]:
    """Raw column names (first-seen order) and a 0/1 matrix (engineered x raw) that sums columns into them."""
    raw = list(dict.fromkeys(sources))
    index = {name: i for i, name in enumerate(raw)}
    matrix = np.zeros((len(sources), len(raw)))
    matrix[np.arange(len(sources)), [index[s] for s in sources]] = 1.0
    return raw, matrix

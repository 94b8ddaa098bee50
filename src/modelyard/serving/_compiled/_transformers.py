"""Fitted transformers lowered to stages on plain lists and numpy arrays.

scikit-learn's encoders, imputers and scalers (alone, in Pipelines, in a ColumnTransformer) and the
featurizer AutoML builds (``modelyard.automl._featurize``: its column functions, one-hot, target and
hash encoding, datetime parts, TF-IDF) each become a stage that computes what ``transform`` would,
without input validation or DataFrames.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from modelyard.serving._compiled._data import Data, Fallback, Stage, Unsupported, chain, is_missing, num, raw

QUANTILE_BOUNDS = 1e-7  # sklearn.preprocessing._data.BOUNDS_THRESHOLD


def _identity(data: Data) -> Data:
    return data


def _lut(categories: np.ndarray) -> dict:
    lut = {}
    for i, c in enumerate(categories.tolist()):
        if is_missing(c):
            raise Unsupported("a category is a missing value")
        lut.setdefault(c, i)
    return lut


def _one_hot(enc) -> Stage:
    if getattr(enc, "_infrequent_enabled", False):
        raise Unsupported("OneHotEncoder with infrequent categories")
    ignore = enc.handle_unknown in ("ignore", "infrequent_if_exist", "warn")
    luts = [_lut(c) for c in enc.categories_]
    sizes = [len(c) for c in enc.categories_]
    drop = getattr(enc, "drop_idx_", None)
    keep = []
    offset = 0
    for j, size in enumerate(sizes):
        d = None if drop is None else drop[j]
        keep.extend(offset + k for k in range(size) if d is None or k != d)
        offset += size
    keep_idx = np.asarray(keep, dtype=np.intp)
    total = offset
    dtype = enc.dtype

    def stage(data: Data) -> Data:
        cols = raw(data)
        n = len(cols[0])
        out = np.zeros((n, total), dtype=dtype)
        rows = np.arange(n)
        off = 0
        for j, values in enumerate(cols):
            lut = luts[j]
            idx = np.fromiter((lut.get(v, -1) for v in values), dtype=np.intp, count=n)
            bad = idx < 0
            if bad.any():
                if not ignore or any(is_missing(v) for v in values):
                    raise Fallback("unknown or missing category")
                out[rows[~bad], off + idx[~bad]] = 1
            else:
                out[rows, off + idx] = 1
            off += sizes[j]
        return "num", out if len(keep_idx) == total else out[:, keep_idx]

    return stage


def _ordinal(enc) -> Stage:
    if getattr(enc, "_infrequent_enabled", False):
        raise Unsupported("OrdinalEncoder with infrequent categories")
    luts = [_lut(c) for c in enc.categories_]
    unknown = enc.unknown_value if enc.handle_unknown == "use_encoded_value" else None
    dtype = enc.dtype

    def stage(data: Data) -> Data:
        cols = raw(data)
        n = len(cols[0])
        out = np.empty((n, len(cols)), dtype=dtype)
        for j, values in enumerate(cols):
            lut = luts[j]
            codes = [lut.get(v, -1) for v in values]
            if -1 in codes:
                if unknown is None or any(is_missing(v) for v in values):
                    raise Fallback("unknown or missing category")
                codes = [unknown if c == -1 else c for c in codes]
            out[:, j] = codes
        return "num", out

    return stage


def _target(enc) -> Stage:
    """TargetEncoder.transform (not fit_transform's cross-fitting): the category's encoding,
    the target mean for an unseen one; one column per class when the target is multiclass."""
    luts = [_lut(c) for c in enc.categories_]
    k = len(enc.classes_) if enc.target_type_ == "multiclass" else 1
    mean = np.atleast_1d(np.asarray(enc.target_mean_, dtype=np.float64))
    # per feature: one row per category, and a last row (the target mean) for unseen ones
    tables = [np.vstack([np.column_stack([enc.encodings_[f * k + c] for c in range(k)]), mean])
              for f in range(len(luts))]

    def stage(data: Data) -> Data:
        cols = raw(data)
        n = len(cols[0])
        out = np.empty((n, len(cols) * k), dtype=np.float64)
        for f, values in enumerate(cols):
            if any(is_missing(v) for v in values):
                raise Fallback("missing category")
            unseen = len(tables[f]) - 1
            idx = np.fromiter((luts[f].get(v, unseen) for v in values), dtype=np.intp, count=n)
            out[:, f * k:(f + 1) * k] = tables[f][idx]
        return "num", out

    return stage


def _hasher(hasher) -> Stage:
    """FeatureHasher over one string token per row and column (what ``as_hash_tokens`` makes)."""
    from sklearn.utils import murmurhash3_32

    if hasher.input_type != "string":
        raise Unsupported("FeatureHasher not on strings")
    n_features = hasher.n_features
    memo: dict[str, tuple[int, float]] = {}

    def slot(token: str) -> tuple[int, float]:
        found = memo.get(token)
        if found is None:
            h = murmurhash3_32(token, seed=0)
            index = (2147483647 - (n_features - 1)) % n_features if h == -2147483648 else abs(h) % n_features
            found = (index, -1.0 if hasher.alternate_sign and h < 0 else 1.0)
            if len(memo) < 100_000:
                memo[token] = found
        return found

    def stage(data: Data) -> Data:
        cols = raw(data)
        out = np.zeros((len(cols[0]), n_features), dtype=hasher.dtype)
        for values in cols:
            for i, token in enumerate(values):
                j, sign = slot(token)
                out[i, j] += sign
        return "num", out

    return stage


def _vectorizer(vectorizer) -> Stage:
    """A text vectorizer's own transform on the strings (what ``as_text`` makes), densified."""
    def stage(data: Data) -> Data:
        return "num", vectorizer.transform(raw(data)[0]).toarray()

    return stage


def _imputer(imp) -> Stage:
    mv = imp.missing_values
    if not (mv is None or (isinstance(mv, float) and math.isnan(mv))):
        raise Unsupported("SimpleImputer with a custom missing_values")
    stats = imp.statistics_.tolist()
    if any(is_missing(s) for s in stats) or len(stats) != getattr(imp, "n_features_in_", len(stats)):
        raise Unsupported("SimpleImputer dropping empty features")
    fill = np.asarray(stats, dtype=np.float64) if imp.add_indicator or all(
        isinstance(s, (int, float)) for s in stats) else None
    flagged = imp.indicator_.features_ if imp.add_indicator else None

    def stage(data: Data) -> Data:
        kind, value = data
        if kind == "raw" and flagged is None:
            return "raw", [[s if is_missing(v) else v for v in col] for col, s in zip(value, stats)]
        if fill is None:
            raise Fallback("non-numeric values in a numeric imputer")
        x = num(data)
        mask = np.isnan(x)
        imputed = np.where(mask, fill, x) if mask.any() else x
        if flagged is None:
            return "num", imputed
        return "num", np.hstack([imputed, mask[:, flagged]])

    return stage


def _affine(sub: np.ndarray | None, div: np.ndarray | None, mul=None, add=None, clip=None) -> Stage:
    def stage(data: Data) -> Data:
        x = np.array(num(data), dtype=np.float64, copy=True)
        if sub is not None:
            x -= sub
        if div is not None:
            x /= div
        if mul is not None:
            x *= mul
        if add is not None:
            x += add
        if clip is not None:
            np.clip(x, clip[0], clip[1], out=x)
        return "num", x

    return stage


def _interp(x: np.ndarray, xp: np.ndarray, fp: np.ndarray, j: np.ndarray) -> np.ndarray:
    """``np.interp`` of every column ``x[:, c]`` on ``(xp[:, c], fp)`` at once, given ``j``, the
    number of ``xp[:, c]`` at or below each value minus one (the rules of numpy's C loop)."""
    top = len(xp) - 1
    at = np.clip(j, 0, top - 1)
    cols = np.arange(xp.shape[1])
    x0, x1, f0, f1 = xp[at, cols], xp[at + 1, cols], fp[at], fp[at + 1]
    with np.errstate(all="ignore"):
        slope = (f1 - f0) / (x1 - x0)
        y = slope * (x - x0) + f0
        if np.isnan(y).any():  # nan one way: try the other; then the flat segment's value
            y = np.where(np.isnan(y), slope * (x - x1) + f1, y)
            y = np.where(np.isnan(y) & (f0 == f1), f0, y)
    y = np.where(x == x0, f0, y)
    return np.where(j < 0, fp[0], np.where(j >= top, fp[-1], y))


def _quantile(qt) -> Stage:
    """QuantileTransformer.transform (``_transform_col``'s rules), all columns at once."""
    from scipy.special import ndtri

    normal = qt.output_distribution == "normal"
    q = np.asarray(qt.quantiles_, dtype=np.float64)
    refs = np.asarray(qt.references_, dtype=np.float64)
    q_back, refs_back = -q[::-1], -refs[::-1]
    low = ndtri(QUANTILE_BOUNDS - np.spacing(1))
    high = ndtri(1 - (QUANTILE_BOUNDS - np.spacing(1)))
    chunk = max(1, 2_000_000 // q.size)  # rows compared against every quantile at once

    def transform(x: np.ndarray) -> np.ndarray:
        at_or_below = (x[None, :, :] >= q[:, None, :]).sum(axis=0)
        below = (x[None, :, :] > q[:, None, :]).sum(axis=0)
        y = 0.5 * (_interp(x, q, refs, at_or_below - 1) - _interp(-x, q_back, refs_back, len(q) - below - 1))
        with np.errstate(invalid="ignore"):
            if normal:
                lower, upper = x - QUANTILE_BOUNDS < q[0], x + QUANTILE_BOUNDS > q[-1]
            else:
                lower, upper = x == q[0], x == q[-1]
        y[np.isnan(x)] = np.nan
        y[upper] = 1
        y[lower] = 0
        if normal:
            with np.errstate(invalid="ignore", divide="ignore"):
                y = np.clip(ndtri(y), low, high)
        return y

    def stage(data: Data) -> Data:
        x = num(data)
        if len(x) <= chunk:
            return "num", transform(x)
        return "num", np.vstack([transform(x[i:i + chunk]) for i in range(0, len(x), chunk)])

    return stage


def _function(ft) -> Stage:
    """FunctionTransformer: the identity, or one of AutoML's column functions."""
    if ft.func is None and not ft.validate:
        return _identity  # what ColumnTransformer makes of remainder="passthrough"
    if ft.validate:
        raise Unsupported("FunctionTransformer with validate=True")
    lowered = _automl_functions().get(ft.func)
    if lowered is None:
        raise Unsupported(f"FunctionTransformer({getattr(ft.func, '__qualname__', ft.func)})")
    return lowered(ft.kw_args or {})


def _automl_functions() -> dict[Callable, Callable[[dict], Stage]]:
    from modelyard.automl import _featurize as f

    def category_strings(kw: dict) -> Stage:
        return lambda data: ("raw", [[f.MISSING if is_missing(v) else str(v) for v in col] for col in raw(data)])

    def text(kw: dict) -> Stage:
        return lambda data: ("raw", [["" if is_missing(v) else str(v) for v in col] for col in raw(data)])

    def datetime_parts(kw: dict) -> Stage:
        import pandas as pd

        def stage(data: Data) -> Data:
            frame = pd.DataFrame({f"c{j}": values for j, values in enumerate(raw(data))})
            return "num", f.datetime_parts(frame, **kw)

        return stage

    return {f.as_numbers: lambda kw: lambda data: ("num", num(data)),
            f.as_category_strings: category_strings,
            f.as_hash_tokens: category_strings,
            f.as_text: text,
            f.datetime_parts: datetime_parts}


def _pipeline(steps: list) -> Stage:
    from sklearn.feature_extraction import FeatureHasher
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import FunctionTransformer

    from modelyard.automl import _featurize as f

    stages = []
    before = None
    for step in steps:
        # the hasher and the vectorizer read one token / one document per row: only after the
        # AutoML function that makes exactly that
        needs = {FeatureHasher: f.as_hash_tokens, TfidfVectorizer: f.as_text}.get(type(step))
        if needs is not None and not (type(before) is FunctionTransformer and before.func is needs):
            raise Unsupported(f"{type(step).__name__} outside AutoML's featurizer")
        stages.append(lower_transformer(step))
        before = step
    return chain(stages)


def lower_transformer(step: Any) -> Stage:
    """One fitted transformer as a stage; Unsupported when it is not one this module knows."""
    from sklearn.feature_extraction import FeatureHasher
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import (FunctionTransformer, MaxAbsScaler, MinMaxScaler, OneHotEncoder,
                                       OrdinalEncoder, QuantileTransformer, RobustScaler, StandardScaler,
                                       TargetEncoder)

    if step == "passthrough" or step is None:
        return _identity
    t = type(step)
    if t is Pipeline:
        return _pipeline([s for _, s in step.steps])
    if t is StandardScaler:
        return _affine(step.mean_ if step.with_mean else None, step.scale_ if step.with_std else None)
    if t is RobustScaler:
        return _affine(step.center_ if step.with_centering else None, step.scale_ if step.with_scaling else None)
    if t is MaxAbsScaler:
        return _affine(None, step.scale_)
    if t is MinMaxScaler:
        return _affine(None, None, step.scale_, step.min_, step.feature_range if step.clip else None)
    lowerings = {FunctionTransformer: _function, OneHotEncoder: _one_hot, OrdinalEncoder: _ordinal,
                 TargetEncoder: _target, SimpleImputer: _imputer, QuantileTransformer: _quantile,
                 FeatureHasher: _hasher, TfidfVectorizer: _vectorizer}
    if t not in lowerings:
        raise Unsupported(f"transformer {t.__module__}.{t.__name__}")
    return lowerings[t](step)


def lower_column_transformer(ct) -> Callable[[dict], np.ndarray]:
    """A fitted ColumnTransformer as a function of the request's columns (name -> list)."""
    names = [str(n) for n in ct.feature_names_in_]
    indices = getattr(ct, "_transformer_to_input_indices", None)
    if indices is None:
        raise Unsupported("ColumnTransformer without resolved input indices")
    if getattr(ct, "_output_config", {}).get("transform") not in (None, "default"):
        raise Unsupported("ColumnTransformer with set_output")
    blocks = []
    for name, trans, _ in ct.transformers_:
        cols = [names[i] for i in indices.get(name, [])]
        if trans == "drop" or not cols:
            continue
        blocks.append((cols, lower_transformer(trans)))

    def transform(columns: dict) -> np.ndarray:
        parts = [num(stage(("raw", [columns[c] for c in cols]))) for cols, stage in blocks]
        return np.hstack(parts) if len(parts) > 1 else np.asarray(parts[0], dtype=np.float64)

    return transform

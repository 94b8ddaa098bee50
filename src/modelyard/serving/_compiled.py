"""A compiled scoring path: a fitted scikit-learn pipeline lowered to plain numpy.

Most of a pipeline's ``predict`` time on a few rows is per-call overhead (input validation,
pandas indexing, dataframe conversion), not arithmetic. This module re-expresses the common
preprocessing (ColumnTransformer of OneHotEncoder / OrdinalEncoder / SimpleImputer / scalers /
passthrough, possibly inside Pipelines) as numpy operations on the request's columns, then either
evaluates a LogisticRegression by hand (``X @ coef.T + intercept``, expit/softmax as sklearn does)
or hands the numeric matrix to the final estimator (e.g. LightGBM) directly.

It is only used after :func:`compile_model`'s result has been checked against the model itself on
probe rows (identical predictions, probabilities within 1e-6, see ``_model.py``). Anything it does
not know raises :class:`Unsupported` at compile time; an input it cannot score exactly as the
model would (an unknown category where the encoder errors, a missing value) raises
:class:`Fallback` at run time and that batch goes through the model.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np


class Unsupported(Exception):
    """The model has a part this module does not lower."""


class Fallback(Exception):
    """This batch must go through the model (whose own behaviour, error included, is the contract)."""


# A stage maps ("raw", [list per column]) or ("num", 2-D float array) to the same kinds.
Data = tuple[str, Any]
Stage = Callable[[Data], Data]


def _num(data: Data) -> np.ndarray:
    kind, value = data
    if kind == "num":
        return value
    try:
        return np.array(value, dtype=np.float64).T
    except (TypeError, ValueError):
        raise Fallback("non-numeric value in a numeric column") from None


def _raw(data: Data) -> list[list]:
    kind, value = data
    if kind == "raw":
        return value
    return [value[:, j].tolist() for j in range(value.shape[1])]


def _is_missing(v: Any) -> bool:
    return v is None or (type(v) is float and math.isnan(v))


def _lut(categories: np.ndarray) -> dict:
    lut = {}
    for i, c in enumerate(categories.tolist()):
        if _is_missing(c):
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
        cols = _raw(data)
        n = len(cols[0])
        out = np.zeros((n, total), dtype=dtype)
        rows = np.arange(n)
        off = 0
        for j, values in enumerate(cols):
            lut = luts[j]
            idx = np.fromiter((lut.get(v, -1) for v in values), dtype=np.intp, count=n)
            bad = idx < 0
            if bad.any():
                if not ignore or any(_is_missing(v) for v in values):
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
        cols = _raw(data)
        n = len(cols[0])
        out = np.empty((n, len(cols)), dtype=dtype)
        for j, values in enumerate(cols):
            lut = luts[j]
            codes = [lut.get(v, -1) for v in values]
            if -1 in codes:
                if unknown is None or any(_is_missing(v) for v in values):
                    raise Fallback("unknown or missing category")
                codes = [unknown if c == -1 else c for c in codes]
            out[:, j] = codes
        return "num", out

    return stage


def _imputer(imp) -> Stage:
    if getattr(imp, "add_indicator", False):
        raise Unsupported("SimpleImputer with add_indicator")
    mv = imp.missing_values
    if not (mv is None or (isinstance(mv, float) and math.isnan(mv))):
        raise Unsupported("SimpleImputer with a custom missing_values")
    stats = imp.statistics_.tolist()
    if any(_is_missing(s) for s in stats) or len(stats) != getattr(imp, "n_features_in_", len(stats)):
        raise Unsupported("SimpleImputer dropping empty features")

    def stage(data: Data) -> Data:
        kind, value = data
        if kind == "num":
            mask = np.isnan(value)
            if mask.any():
                value = np.where(mask, np.asarray(imp.statistics_, dtype=np.float64), value)
            return "num", value
        return "raw", [[s if _is_missing(v) else v for v in col] for col, s in zip(value, stats)]

    return stage


def _affine(sub: np.ndarray | None, div: np.ndarray | None, mul=None, add=None, clip=None) -> Stage:
    def stage(data: Data) -> Data:
        x = np.array(_num(data), dtype=np.float64, copy=True)
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


def _lower(step) -> Stage:
    """One transformer as a stage; Unsupported when it is not one this module knows."""
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import (MaxAbsScaler, MinMaxScaler, OneHotEncoder, OrdinalEncoder,
                                       RobustScaler, StandardScaler)
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import FunctionTransformer

    if step == "passthrough" or step is None:
        return lambda data: data
    if type(step) is Pipeline:
        stages = [_lower(s) for _, s in step.steps]

        def chain(data: Data) -> Data:
            for s in stages:
                data = s(data)
            return data

        return chain
    t = type(step)
    if t is FunctionTransformer:
        # what ColumnTransformer makes of remainder="passthrough": the identity
        if step.func is None and not step.validate:
            return lambda data: data
        raise Unsupported("FunctionTransformer with a function")
    if t is OneHotEncoder:
        return _one_hot(step)
    if t is OrdinalEncoder:
        return _ordinal(step)
    if t is SimpleImputer:
        return _imputer(step)
    if t is StandardScaler:
        return _affine(step.mean_ if step.with_mean else None, step.scale_ if step.with_std else None)
    if t is RobustScaler:
        return _affine(step.center_ if step.with_centering else None, step.scale_ if step.with_scaling else None)
    if t is MaxAbsScaler:
        return _affine(None, step.scale_)
    if t is MinMaxScaler:
        return _affine(None, None, step.scale_, step.min_, step.feature_range if step.clip else None)
    raise Unsupported(f"transformer {t.__module__}.{t.__name__}")


def _column_transformer(ct) -> Callable[[dict], np.ndarray]:
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
        blocks.append((cols, _lower(trans)))

    def transform(columns: dict) -> np.ndarray:
        parts = []
        for cols, stage in blocks:
            out = _num(stage(("raw", [columns[c] for c in cols])))
            parts.append(out)
        return np.hstack(parts) if len(parts) > 1 else np.asarray(parts[0], dtype=np.float64)

    return transform


class CompiledModel:
    """A lowered pipeline: ``predict(columns, n)`` and ``predict_proba(columns, n)`` on coerced columns."""

    def __init__(self, transform: Callable[[dict], np.ndarray], estimator: Any, description: str) -> None:
        from sklearn.linear_model import LogisticRegression

        self._transform = transform
        self._estimator = estimator
        self.description = description
        self.classes_ = getattr(estimator, "classes_", None)
        self._linear = type(estimator) is LogisticRegression
        if self._linear:
            self._coef_t = np.ascontiguousarray(estimator.coef_.T)
            self._intercept = estimator.intercept_
        elif getattr(estimator, "feature_names_in_", None) is not None:
            raise Unsupported("final estimator fitted with feature names")
        self.has_proba = hasattr(estimator, "predict_proba")
        # LightGBM: the Booster itself, one thread (the sklearn wrapper's validation costs ~1 ms a call)
        self._booster = None
        kind = type(estimator)
        if kind.__module__.startswith("lightgbm") and kind.__name__ in ("LGBMClassifier", "LGBMRegressor") \
                and not callable(getattr(estimator, "objective", None)):
            self._booster = estimator.booster_
            self._classifier = kind.__name__ == "LGBMClassifier"

    def _matrix(self, columns: dict) -> np.ndarray:
        x = self._transform(columns)
        if self._linear and np.isnan(x).any():
            raise Fallback("missing value reaching a linear model")
        return x

    def _decision(self, x: np.ndarray) -> np.ndarray:
        scores = x @ self._coef_t + self._intercept
        return scores.reshape(-1) if scores.ndim > 1 and scores.shape[1] == 1 else scores

    @property
    def fast(self) -> bool:
        """Cheap enough (tens of microseconds a batch) to run on the event loop."""
        return self._linear or self._booster is not None

    def _lgbm_proba(self, x: np.ndarray) -> np.ndarray:
        p = self._booster.predict(x, num_threads=1)
        return np.vstack([1.0 - p, p]).T if p.ndim == 1 else p

    def predict(self, columns: dict) -> np.ndarray:
        x = self._matrix(columns)
        if self._booster is not None:
            if not self._classifier:
                return self._booster.predict(x, num_threads=1)
            return self.classes_.take(np.argmax(self._lgbm_proba(x), axis=1), axis=0)
        if not self._linear:
            return self._estimator.predict(x)
        scores = self._decision(x)
        idx = (scores > 0).astype(np.intp) if scores.ndim == 1 else scores.argmax(axis=1)
        return self.classes_.take(idx, axis=0)

    def predict_proba(self, columns: dict) -> np.ndarray:
        x = self._matrix(columns)
        if self._booster is not None and self._classifier:
            return self._lgbm_proba(x)
        if not self._linear:
            return self._estimator.predict_proba(x)
        scores = self._decision(x)
        if scores.ndim == 1:
            from scipy.special import expit

            p = expit(scores)
            return np.vstack([1 - p, p]).T
        from sklearn.utils.extmath import softmax

        return softmax(scores, copy=False)


def compile_model(model: Any, input_names: list[str]) -> CompiledModel:
    """Lower ``model`` (a Pipeline ending in an estimator, or a bare LogisticRegression) reading
    ``input_names``; Unsupported when any part is not known."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline

    if type(model) is Pipeline:
        *pre, (_, final) = model.steps
        pre = [s for _, s in pre]
    else:
        pre, final = [], model
    if final == "passthrough" or not hasattr(final, "predict"):
        raise Unsupported("no final estimator")
    stages: list[Stage] = []
    first: Callable[[dict], np.ndarray]
    if pre and type(pre[0]) is ColumnTransformer:
        first = _column_transformer(pre[0])
        pre = pre[1:]
    else:
        names = list(input_names)

        def first(columns: dict) -> np.ndarray:
            return _num(("raw", [columns[c] for c in names]))

        if pre:
            # a leading non-ColumnTransformer step reads the raw columns in order
            s0 = _lower(pre[0])
            pre = pre[1:]

            def first(columns: dict, _s0=s0) -> np.ndarray:  # noqa: F811
                return _num(_s0(("raw", [columns[c] for c in names])))
    stages = [_lower(s) for s in pre]

    def transform(columns: dict) -> np.ndarray:
        data: Data = ("num", first(columns))
        for s in stages:
            data = s(data)
        return _num(data)

    kind = type(final)
    return CompiledModel(transform, final, f"numpy preprocessing + {kind.__module__.split('.')[0]}.{kind.__name__}")

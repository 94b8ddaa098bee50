"""A compiled scoring path: a fitted pipeline lowered to plain numpy.

Most of a pipeline's ``predict`` time on a few rows is per-call overhead (input validation,
pandas indexing, dataframe conversion), not arithmetic. This package re-expresses the
preprocessing (a ColumnTransformer of encoders / imputers / scalers, or AutoML's featurizer) as
stages on the request's columns (``_transformers``) and the final estimator (linear models,
boosters, AutoML's single models and ensembles) as a function of the resulting matrix
(``_estimators``).

It is only used after :func:`compile_model`'s result has been checked against the model itself on
probe rows (identical predictions, probabilities within 1e-6, see ``serving/_model.py``). Anything
it does not know raises :class:`Unsupported` at compile time; an input it cannot score exactly as
the model would (an unknown category where the encoder errors, a missing value before a linear
model, a non-number in a numeric column) raises :class:`Fallback` at run time and that batch goes
through the model.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from modelyard.serving._compiled._data import Data, Fallback, Unsupported, chain, num
from modelyard.serving._compiled._estimators import Lowered, lower_estimator
from modelyard.serving._compiled._transformers import lower_column_transformer, lower_transformer

__all__ = ["CompiledModel", "Fallback", "Unsupported", "compile_model"]


class CompiledModel:
    """A lowered pipeline: ``predict(columns)`` and ``predict_proba(columns)`` on coerced columns."""

    def __init__(self, transform: Callable[[dict], np.ndarray], final: Lowered, description: str) -> None:
        self._transform = transform
        self._final = final
        self.description = description
        self.classes_ = final.classes_
        self.has_proba = final.has_proba

    @property
    def fast(self) -> bool:
        """Cheap enough (tens of microseconds a batch) to run on the event loop."""
        return self._final.fast

    def transform(self, columns: dict) -> np.ndarray:
        """The matrix the final estimator reads."""
        return self._transform(columns)

    def predict(self, columns: dict) -> np.ndarray:
        return self._final.predict(self._transform(columns))

    def predict_proba(self, columns: dict) -> np.ndarray:
        return self._final.predict_proba(self._transform(columns))


def compile_model(model: Any, input_names: list[str]) -> CompiledModel:
    """Lower ``model`` (a Pipeline ending in an estimator, or a bare estimator) reading
    ``input_names``; Unsupported when any part is not known."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline

    if type(model) is Pipeline:
        *pre, (_, final) = model.steps
        pre = [s for _, s in pre]
    else:
        pre, final = [], model
    on_columns = []
    while pre and callable(getattr(pre[0], "lower_columns", None)):
        on_columns.append(_column_stage(pre.pop(0).lower_columns()))
    if pre and type(pre[0]) is ColumnTransformer:
        first = lower_column_transformer(pre[0])
        pre = pre[1:]
    else:
        names = list(input_names)
        # a leading step that is not a ColumnTransformer reads the raw columns in order
        lead = lower_transformer(pre.pop(0)) if pre else None

        def first(columns: dict) -> np.ndarray:
            data: Data = ("raw", [columns[c] for c in names])
            return num(lead(data) if lead else data)

    rest = chain([lower_transformer(s) for s in pre])
    lowered = lower_estimator(final)

    def transform(columns: dict) -> np.ndarray:
        for stage in on_columns:
            columns = stage(columns)
        return num(rest(("num", first(columns))))

    kind = type(final)
    return CompiledModel(transform, lowered, f"numpy preprocessing + {kind.__module__.split('.')[0]}.{kind.__name__}")


def _column_stage(function: Callable[[dict], dict]) -> Callable[[dict], dict]:
    """A leading step that lowers itself (``lower_columns()``: request columns -> columns, e.g. the Designer's
    fitted transformations); any error it raises sends the batch through the model."""
    def stage(columns: dict) -> dict:
        try:
            return function(columns)
        except (TypeError, ValueError, KeyError) as error:
            raise Fallback(f"a column step refused the batch: {error}") from None

    return stage

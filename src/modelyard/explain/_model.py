"""A fitted model seen as what explanations need: the transform steps, the final estimator, the labels.

Pipelines are flattened (AutoML's ``SingleModel`` unwraps to the estimator it holds, which may be a
scaler + linear pipeline), so the final estimator is the one that tree or linear SHAP can read, and
every step before it is a transform whose output columns are the engineered features.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from modelyard.errors import InvalidInput


@dataclass
class UnwrappedModel:
    model: Any                       # what the user gave
    transforms: list[Any]            # fitted transformers, in order
    estimator: Any                   # the last step
    classes: list[Any] | None        # labels in predict_proba's column order; None for regression
    input_columns: list[str] | None  # the raw columns the model expects, when it recorded them

    @property
    def is_classifier(self) -> bool:
        return self.classes is not None

    def transform(self, frame: pd.DataFrame):
        X = frame
        for step in self.transforms:
            X = step.transform(X)
        if hasattr(X, "toarray"):
            X = X.toarray()
        return np.asarray(X, dtype=float)

    def engineered_names(self) -> list[str]:
        names = list(self.input_columns or [])
        for step in self.transforms:
            try:
                names = [str(n) for n in step.get_feature_names_out(names or None)]
            except (AttributeError, ValueError, TypeError):
                names = []
        return names


def _steps(model) -> list[Any]:
    from sklearn.pipeline import Pipeline

    if isinstance(model, Pipeline):
        return [s for _, step in model.steps if step not in (None, "passthrough") for s in _steps(step)]
    inner = _wrapped_estimator(model)
    return _steps(inner) if inner is not None else [model]


def _wrapped_estimator(model):
    """The estimator inside AutoML's single-model wrappers (they only relabel its output)."""
    from modelyard.automl._model import SingleModel, SingleRegressor

    if isinstance(model, (SingleModel, SingleRegressor)):
        return model.estimator_
    return None


def _classes(model, estimator) -> list[Any] | None:
    classes = getattr(model, "classes_", None)
    if classes is None:
        classes = getattr(estimator, "classes_", None)
    if classes is None:
        return None
    return list(classes)


def unwrap(model) -> UnwrappedModel:
    steps = _steps(model)
    estimator = steps[-1]
    columns = getattr(model, "feature_names_in_", None)
    return UnwrappedModel(model, steps[:-1], estimator, _classes(model, estimator),
                          None if columns is None else [str(c) for c in columns])


def check_columns(unwrapped: UnwrappedModel, data: pd.DataFrame) -> pd.DataFrame:
    """The data with the model's columns in the model's order; InvalidInput naming any that are missing."""
    if not isinstance(data, pd.DataFrame):
        raise InvalidInput(f"data must be a pandas DataFrame with the model's columns, got {type(data).__name__}")
    if len(data) == 0:
        raise InvalidInput("data has no rows; give at least one row to explain or assess")
    if unwrapped.input_columns is None:
        return data
    missing = [c for c in unwrapped.input_columns if c not in data.columns]
    if missing:
        raise InvalidInput(f"data lacks the model's column(s) {', '.join(map(repr, missing))}; the model was "
                           f"trained on {', '.join(unwrapped.input_columns)}")
    return data[unwrapped.input_columns]


def positive_scores(unwrapped: UnwrappedModel, frame: pd.DataFrame, label) -> np.ndarray:
    """P(label) per row, from the whole model's predict_proba."""
    if not hasattr(unwrapped.model, "predict_proba"):
        raise InvalidInput(f"model {type(unwrapped.model).__name__} has no predict_proba; probabilities are "
                           "needed here (use a classifier that predicts probabilities)")
    proba = np.asarray(unwrapped.model.predict_proba(frame), dtype=float)
    return proba[:, unwrapped.classes.index(label)]

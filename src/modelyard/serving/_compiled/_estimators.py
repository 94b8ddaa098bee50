"""Final estimators lowered to functions of the featurized matrix.

Linear models are evaluated by hand (``x @ coef.T + intercept``, expit/softmax as scikit-learn
does); LightGBM and XGBoost through their boosters' native predict on one thread; AutoML's final
steps (one model, a voting or a stack ensemble, see ``modelyard.automl._model``) combine their
lowered members with AutoML's own combining code; any other estimator answers through its own
predict on the matrix, which skips the DataFrame work but not the estimator's validation.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from modelyard.serving._compiled._data import Fallback, Unsupported, chain, num


def offers_proba(estimator: Any) -> bool:
    """Whether ``estimator`` (or a Pipeline's last step) answers predict_proba: a classifier with
    the method; AutoML's final steps carry their task (their regressors lack the regressor tag), and
    the Designer's trained models theirs (binary, multiclass)."""
    from sklearn.base import is_regressor

    final = estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator
    return hasattr(final, "predict_proba") and not is_regressor(final) \
        and getattr(final, "task", "classification") in ("classification", "binary", "multiclass")


class Lowered:
    """An estimator on the featurized matrix: ``predict(x)``, ``predict_proba(x)``, ``classes_``.

    ``fast``: a batch costs tens of microseconds (so it may run on the event loop).
    """

    fast = True

    def __init__(self, estimator: Any) -> None:
        self.estimator = estimator
        self.classes_ = getattr(estimator, "classes_", None)
        self.has_proba = offers_proba(estimator)
        present = getattr(estimator, "_modelyard_classes", None)  # AutoML: fitted on a subset of the classes
        if present is not None:
            self._modelyard_classes = present

    def predict(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _label(self, proba: np.ndarray) -> np.ndarray:
        return np.asarray(self.classes_).take(np.argmax(proba, axis=1), axis=0)


class OwnPredict(Lowered):
    """The estimator's own predict on the matrix (tree ensembles, anything not lowered further)."""

    fast = False

    def __init__(self, estimator: Any) -> None:
        if getattr(estimator, "feature_names_in_", None) is not None:
            raise Unsupported("final estimator fitted with feature names")
        super().__init__(estimator)

    def predict(self, x):
        return self.estimator.predict(x)

    def predict_proba(self, x):
        return self.estimator.predict_proba(x)


class LinearClassifier(Lowered):
    """LogisticRegression(CV): decision ``x @ coef.T + intercept``, expit (binary) or softmax."""

    def __init__(self, estimator: Any) -> None:
        super().__init__(estimator)
        self._coef_t = np.ascontiguousarray(estimator.coef_.T)
        self._intercept = estimator.intercept_

    def _decision(self, x: np.ndarray) -> np.ndarray:
        if np.isnan(x).any():
            raise Fallback("missing value reaching a linear model")
        scores = x @ self._coef_t + self._intercept
        return scores.reshape(-1) if scores.ndim > 1 and scores.shape[1] == 1 else scores

    def predict(self, x):
        scores = self._decision(x)
        idx = (scores > 0).astype(np.intp) if scores.ndim == 1 else scores.argmax(axis=1)
        return self.classes_.take(idx, axis=0)

    def predict_proba(self, x):
        scores = self._decision(x)
        if scores.ndim == 1:
            from scipy.special import expit

            p = expit(scores)
            return np.vstack([1 - p, p]).T
        from sklearn.utils.extmath import softmax

        return softmax(scores, copy=False)


class LinearRegressor(Lowered):
    """LinearRegression, Ridge(CV), Lasso, ElasticNet: ``x @ coef.T + intercept``."""

    def __init__(self, estimator: Any) -> None:
        super().__init__(estimator)
        self._coef_t = np.ascontiguousarray(estimator.coef_.T)
        self._intercept = estimator.intercept_

    def predict(self, x):
        if np.isnan(x).any():
            raise Fallback("missing value reaching a linear model")
        return x @ self._coef_t + self._intercept


class LightGBMBooster(Lowered):
    """LGBMClassifier/LGBMRegressor through the Booster on one thread (the wrapper's checks cost ~1 ms)."""

    def __init__(self, estimator: Any) -> None:
        if callable(getattr(estimator, "objective", None)):
            raise Unsupported("LightGBM with a custom objective")
        super().__init__(estimator)
        self._booster = estimator.booster_
        self._classifier = type(estimator).__name__ == "LGBMClassifier"

    def predict_proba(self, x):
        p = self._booster.predict(x, num_threads=1)
        return np.vstack([1.0 - p, p]).T if p.ndim == 1 else p

    def predict(self, x):
        if not self._classifier:
            return self._booster.predict(x, num_threads=1)
        return self._label(self.predict_proba(x))


class XGBoostBooster(Lowered):
    """XGBClassifier/XGBRegressor through a one-thread copy of the Booster's ``inplace_predict``,
    with the iteration range and missing value the wrapper would use."""

    def __init__(self, estimator: Any) -> None:
        if estimator.booster == "gblinear" or estimator.objective == "multi:softmax" \
                or callable(estimator.objective):
            raise Unsupported(f"XGBoost with booster={estimator.booster!r}, objective={estimator.objective!r}")
        super().__init__(estimator)
        self._booster = estimator.get_booster().copy()
        self._booster.set_param({"nthread": 1})
        self._range = estimator._get_iteration_range(None)
        self._missing = estimator.missing
        self._classifier = type(estimator).__name__ == "XGBClassifier"

    def _value(self, x: np.ndarray) -> np.ndarray:
        return self._booster.inplace_predict(x, iteration_range=self._range, predict_type="value",
                                             missing=self._missing, validate_features=False)

    def predict_proba(self, x):
        p = self._value(x)
        return p if p.ndim == 2 and p.shape[1] == len(self.classes_) else np.vstack((1.0 - p, p)).transpose()

    def predict(self, x):
        p = self._value(x)
        if not self._classifier:
            return p
        idx = p.argmax(axis=1) if p.ndim == 2 else (p > 0.5).astype(np.intp)
        return np.asarray(self.classes_).take(idx, axis=0)


class Piped(Lowered):
    """A Pipeline of transformers ending in an estimator, on the matrix (AutoML's scaler + linear model)."""

    def __init__(self, pipeline: Any) -> None:
        from modelyard.serving._compiled._transformers import lower_transformer

        super().__init__(pipeline)
        *pre, (_, final) = pipeline.steps
        self._stages = chain([lower_transformer(s) for _, s in pre])
        self._final = lower_estimator(final)
        self.fast = self._final.fast

    def predict(self, x):
        return self._final.predict(num(self._stages(("num", x))))

    def predict_proba(self, x):
        return self._final.predict_proba(num(self._stages(("num", x))))


class AutoMLFinal(Lowered):
    """AutoML's final step with its members (``estimator_``, ``estimators_``, ``meta_``) lowered: a
    shallow copy of the step holding the lowered members, so AutoML's own code combines them
    (the class index mapping, the voting weights, the stack features) exactly as the model does."""

    MEMBERS = ("estimator_", "estimators_", "meta_")

    def __init__(self, final: Any) -> None:
        super().__init__(final)
        self._shadow = copy.copy(final)
        lowered: list[Lowered] = []
        for name in self.MEMBERS:
            value = getattr(final, name, None)
            if isinstance(value, (list, tuple)):
                members = [lower_estimator(m) for m in value]
                setattr(self._shadow, name, members)
                lowered.extend(members)
            elif value is not None:
                member = lower_estimator(value)
                setattr(self._shadow, name, member)
                lowered.append(member)
        self.fast = all(m.fast for m in lowered)

    def predict(self, x):
        return self._shadow.predict(x)

    def predict_proba(self, x):
        return self._shadow.predict_proba(x)


def lower_estimator(estimator: Any) -> Lowered:
    """``estimator`` as a :class:`Lowered`; Unsupported when it cannot be."""
    from sklearn.linear_model import (ElasticNet, Lasso, LinearRegression, LogisticRegression, LogisticRegressionCV,
                                      Ridge, RidgeCV)
    from sklearn.pipeline import Pipeline

    from modelyard.automl._model import SingleModel, SingleRegressor, StackModel, VotingModel

    kind = type(estimator)
    if estimator == "passthrough" or not hasattr(estimator, "predict"):
        raise Unsupported("no final estimator")
    if kind in (LogisticRegression, LogisticRegressionCV):
        return LinearClassifier(estimator)
    if kind in (LinearRegression, Ridge, RidgeCV, Lasso, ElasticNet):
        return LinearRegressor(estimator)
    if kind is Pipeline:
        return Piped(estimator)
    if kind in (SingleModel, SingleRegressor, VotingModel, StackModel):
        return AutoMLFinal(estimator)
    if kind.__module__.startswith("lightgbm") and kind.__name__ in ("LGBMClassifier", "LGBMRegressor"):
        return LightGBMBooster(estimator)
    if kind.__module__.startswith("xgboost") and kind.__name__ in ("XGBClassifier", "XGBRegressor"):
        return XGBoostBooster(estimator)
    return OwnPredict(estimator)

"""The fitted models AutoML hands back: ``Pipeline([("featurize", ...), ("model", ...)])`` on raw columns.

The final step is one of these estimators, all fitted on the featurizer's output. Classifiers
predict the original labels and expose ``classes_`` in the order of ``predict_proba``'s columns.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin

from modelyard.automl._estimators import predict_matrix


class _Combined(BaseEstimator):
    task = "classification"

    def fit(self, X, y=None, **fit_params):
        """Already fitted: AutoML fits the members; this step only combines them."""
        return self

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def _matrix(self, estimator, X):
        return predict_matrix(estimator, X, self.task, len(getattr(self, "classes_", [])) or 1)

    def predict(self, X):
        if self.task == "classification":
            return np.asarray(self.classes_)[self.predict_proba(X).argmax(axis=1)]
        return self._combine(X)

    def predict_proba(self, X):
        if self.task != "classification":
            raise AttributeError("predict_proba is only available for classification")
        return self._combine(X)


class SingleModel(_Combined, ClassifierMixin):
    """One fitted classifier trained on class indices; predicts the original labels."""

    def __init__(self, estimator=None, classes=None):
        self.estimator = estimator
        self.classes = classes
        self.classes_ = np.asarray(classes, dtype=object if classes is not None and
                                   any(isinstance(c, str) for c in classes) else None)
        self.estimator_ = estimator

    def _combine(self, X):
        return self._matrix(self.estimator_, X)


class VotingModel(_Combined):
    """Weighted average of member predictions; weights from greedy ensemble selection."""

    def __init__(self, estimators=None, weights=None, classes=None, task="classification"):
        self.estimators = estimators
        self.weights = weights
        self.classes = classes
        self.task = task
        self.estimators_ = estimators
        self.weights_ = np.asarray(weights, dtype=float) / float(np.sum(weights))
        if task == "classification":
            self.classes_ = np.asarray(classes, dtype=object if any(isinstance(c, str) for c in classes) else None)

    def _combine(self, X):
        return sum(w * self._matrix(est, X) for est, w in zip(self.estimators_, self.weights_))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier" if self.task == "classification" else "regressor"
        return tags


class StackModel(_Combined):
    """A meta-learner over the members' predictions (logits of probabilities, or raw values)."""

    def __init__(self, estimators=None, meta=None, classes=None, task="classification"):
        self.estimators = estimators
        self.meta = meta
        self.classes = classes
        self.task = task
        self.estimators_ = estimators
        self.meta_ = meta
        if task == "classification":
            self.classes_ = np.asarray(classes, dtype=object if any(isinstance(c, str) for c in classes) else None)

    def _combine(self, X):
        blocks = [self._matrix(est, X) for est in self.estimators_]
        features = stack_features(blocks, self.task)
        if self.task == "classification":
            return predict_matrix(self.meta_, features, "classification", len(self.classes_))
        return np.asarray(self.meta_.predict(features), dtype=float)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier" if self.task == "classification" else "regressor"
        return tags


def stack_features(blocks: list[np.ndarray], task: str) -> np.ndarray:
    """Meta-features: logit of P(positive) for binary, log-probabilities for multiclass, values for regression."""
    if task != "classification":
        return np.column_stack(blocks)
    eps = 1e-6
    if blocks[0].shape[1] == 2:
        cols = [np.clip(b[:, 1], eps, 1 - eps) for b in blocks]
        return np.column_stack([np.log(c / (1 - c)) for c in cols])
    return np.hstack([np.log(np.clip(b, eps, 1)) for b in blocks])


def pipeline(featurizer, final):
    from sklearn.pipeline import Pipeline

    return Pipeline([("featurize", featurizer), ("model", final)])


class SingleRegressor(_Combined, RegressorMixin):
    """One fitted regressor (kept as a class so every final step has the same shape)."""

    task = "regression"

    def __init__(self, estimator=None):
        self.estimator = estimator
        self.estimator_ = estimator

    def _combine(self, X):
        return np.asarray(self.estimator_.predict(X), dtype=float)


ENSEMBLES = ("VotingEnsemble", "StackEnsemble")


def final_pipeline(featurizer, task: str, classes, algorithm: str, estimators: list, weights=None, meta=None):
    """The model of a trial on raw columns: its one fitted estimator, or an ensemble over its fitted members."""
    if algorithm == "VotingEnsemble":
        return pipeline(featurizer, VotingModel(estimators, weights, classes, task))
    if algorithm == "StackEnsemble":
        return pipeline(featurizer, StackModel(estimators, meta, classes, task))
    (estimator,) = estimators
    if task == "classification":
        return pipeline(featurizer, SingleModel(estimator, classes))
    return pipeline(featurizer, SingleRegressor(estimator))

"""``mitigate_thresholds``: fairlearn's ``ThresholdOptimizer`` over a fitted binary classifier, for one sensitive
feature; the mitigated model and the disparities before and after, on the same rows.

The mitigated model picks a decision threshold per group of the sensitive feature (randomising between two
where the constraint needs it), so it must be given that feature when it scores: its input is the original
model's columns plus the sensitive column (already one of them, usually). Its randomisation is seeded, so the
same rows always get the same decisions: fairlearn's own ``predict(..., random_state=seed)``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from modelyard._json import plain
from modelyard.errors import InvalidInput
from modelyard.explain._fairness import _assess, _auc, sensitive_groups
from modelyard.explain._model import check_columns, positive_scores, unwrap
from modelyard.spec.explain import FairnessMitigation, MitigationSide

CONSTRAINTS = ("demographic_parity", "equalized_odds", "true_positive_rate_parity", "false_positive_rate_parity",
               "false_negative_rate_parity", "true_negative_rate_parity")
OBJECTIVES = ("accuracy_score", "balanced_accuracy_score", "selection_rate", "true_positive_rate",
              "true_negative_rate")


class ThresholdMitigatedModel:
    """A fitted ``ThresholdOptimizer`` as a scikit-learn style classifier reading one DataFrame: the model's
    columns and the sensitive feature. ``predict`` is fairlearn's, seeded; ``predict_proba`` the probability of
    each label under its randomised thresholds."""

    def __init__(self, optimizer, model_columns: list[str], sensitive: str, bins: list[float] | None,
                 classes: list[Any], positive_label, seed: int) -> None:
        self.optimizer = optimizer
        self.model_columns = model_columns
        self.sensitive = sensitive
        self.bins = bins
        self.classes_ = np.asarray(classes)
        self.positive_label = positive_label
        self.seed = seed
        self.feature_names_in_ = np.asarray(model_columns + ([] if sensitive in model_columns else [sensitive]),
                                            dtype=object)

    def _inputs(self, X: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
        missing = [c for c in self.feature_names_in_ if c not in X.columns]
        if missing:
            raise ValueError(f"the mitigated model reads the column(s) {', '.join(missing)} (the sensitive feature "
                             f"{self.sensitive!r} included: its decision threshold depends on it)")
        return X[self.model_columns], sensitive_groups(X, self.sensitive, self.bins)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        rows, groups = self._inputs(X)
        decided = np.asarray(self.optimizer.predict(rows, sensitive_features=groups, random_state=self.seed))
        negative = next(c for c in self.classes_ if c != self.positive_label)
        return np.where(decided == 1, self.positive_label, negative)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        rows, groups = self._inputs(X)
        positive = np.asarray(self.optimizer._pmf_predict(rows, sensitive_features=groups))[:, 1]
        return np.column_stack([1 - positive, positive]) if self.classes_[1] == self.positive_label \
            else np.column_stack([positive, 1 - positive])


def _side(y_true: np.ndarray, decisions: np.ndarray, scores: np.ndarray, groups: pd.Series) -> MitigationSide:
    from fairlearn.metrics import MetricFrame

    auc_frame = MetricFrame(metrics=_auc, y_true=y_true, y_pred=scores, sensitive_features=groups)
    overall, by_group, disparities = _assess(y_true, decisions.astype(float), groups, 0.5, auc_frame)
    return MitigationSide(overall=overall, groups=by_group, disparities=disparities)


def mitigate_thresholds(model, data: pd.DataFrame, *, target: str, sensitive: str, bins: list[float] | None = None,
                        constraints: str = "demographic_parity", objective: str = "accuracy_score",
                        positive_label=None, threshold: float = 0.5,
                        seed: int = 0) -> tuple[ThresholdMitigatedModel, FairnessMitigation]:
    """Fit a ThresholdOptimizer over ``model`` on ``data`` (which holds the true ``target``); the mitigated model
    and the fairness of both on ``data`` (the original's decisions at ``threshold``)."""
    from fairlearn.postprocessing import ThresholdOptimizer

    unwrapped = unwrap(model)
    if not unwrapped.is_classifier or len(unwrapped.classes) != 2:
        raise InvalidInput(f"threshold mitigation needs a binary classifier; {type(model).__name__} is not one")
    if constraints not in CONSTRAINTS:
        raise InvalidInput(f"constraints {constraints!r} is unknown; use one of {', '.join(CONSTRAINTS)}")
    if objective not in OBJECTIVES:
        raise InvalidInput(f"objective {objective!r} is unknown; use one of {', '.join(OBJECTIVES)}")
    if target not in data.columns:
        raise InvalidInput(f"target column {target!r} is not in the data; columns are "
                           f"{', '.join(map(str, data.columns))}")
    positive_label = unwrapped.classes[1] if positive_label is None else positive_label
    if positive_label not in unwrapped.classes:
        raise InvalidInput(f"positive label {positive_label!r} is not one of the model's classes "
                           f"{', '.join(map(repr, unwrapped.classes))}")
    groups = sensitive_groups(data, sensitive, bins)
    rows = check_columns(unwrapped, data.drop(columns=[target]))
    y_true = (data[target] == positive_label).astype(int).to_numpy()
    if len(np.unique(y_true)) < 2:
        raise InvalidInput(f"target column {target!r} holds one label only; mitigation needs both classes")
    scores = positive_scores(unwrapped, rows, positive_label)
    before = _side(y_true, (scores >= threshold).astype(int), scores, groups)
    # the model's probabilities of the positive label, as the optimizer's scores
    scorer = _PositiveScores(model, unwrapped.classes.index(positive_label))
    optimizer = ThresholdOptimizer(estimator=scorer, constraints=constraints, objective=objective, prefit=True,
                                   predict_method="predict_proba")
    optimizer.fit(rows, y_true, sensitive_features=groups)
    columns = list(rows.columns)
    mitigated = ThresholdMitigatedModel(optimizer, columns, sensitive, bins, list(unwrapped.classes),
                                        positive_label, seed)
    frame = data.drop(columns=[target])
    decisions = (mitigated.predict(frame) == positive_label).astype(int)
    after = _side(y_true, decisions, mitigated.predict_proba(frame)[:, list(mitigated.classes_).index(positive_label)],
                  groups)
    report = FairnessMitigation(feature=sensitive, bins=bins, constraints=constraints, objective=objective,
                                positive_label=plain(positive_label), threshold=threshold, rows=len(data), seed=seed,
                                before=before, after=after)
    return mitigated, report


class _PositiveScores(ClassifierMixin, BaseEstimator):
    """The wrapped model seen by ThresholdOptimizer: ``predict_proba`` with the positive label's column last, as it
    reads column 1 (fitted already: ``prefit``)."""

    def __init__(self, model=None, positive: int = 1) -> None:
        self.model = model
        self.positive = positive
        self.classes_ = np.array([0, 1])

    def fit(self, X, y):  # never called: prefit
        raise NotImplementedError("the model is fitted already")

    def predict(self, X):
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)

    def predict_proba(self, X):
        p = np.asarray(self.model.predict_proba(X), dtype=float)[:, self.positive]
        return np.column_stack([1 - p, p])

    def __sklearn_is_fitted__(self) -> bool:
        return True

"""``assess_fairness``: a binary classifier's metrics per group of each sensitive feature (fairlearn's MetricFrame),
the disparities between groups, at the decision threshold and across a grid of thresholds."""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pandas as pd

from modelyard._json import plain
from modelyard.errors import InvalidInput
from modelyard.explain._model import check_columns, positive_scores, unwrap
from modelyard.spec.explain import (Disparities, FairnessReport, GroupMetrics, SensitiveFeatureReport,
                                    ThresholdPoint)

MAX_GROUPS = 10                              # distinct numeric values above which a feature needs bins
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.1, 0.95, 0.1))
MISSING = "(missing)"


def _auc(y_true, y_score) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y_true, y_score)) if len(np.unique(y_true)) == 2 else math.nan


def _decision_metrics() -> dict:
    from fairlearn.metrics import count, false_negative_rate, false_positive_rate, selection_rate
    from sklearn.metrics import accuracy_score, precision_score, recall_score

    return {"count": count, "selection_rate": selection_rate, "accuracy": accuracy_score,
            "precision": partial(precision_score, zero_division=np.nan),
            "recall": partial(recall_score, zero_division=np.nan),
            "false_positive_rate": false_positive_rate, "false_negative_rate": false_negative_rate}


def _number(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _metrics(group: str, row: pd.Series, auc) -> GroupMetrics:
    fields = {name: _number(row[name]) for name in _decision_metrics() if name != "count"}
    return GroupMetrics(group=group, count=int(row["count"]), auc=_number(auc), **fields)


def _bin_labels(edges: list[float]) -> list[str]:
    bounds = [-math.inf, *edges, math.inf]
    shown = ["-inf" if b == -math.inf else "inf" if b == math.inf else f"{b:g}" for b in bounds]
    return [f"[{lo}, {hi})" for lo, hi in zip(shown, shown[1:])]


def sensitive_groups(data: pd.DataFrame, feature: str, edges: list[float] | None) -> pd.Series:
    """Each row's group label for one sensitive feature: its value, or its bin when ``edges`` are given."""
    if feature not in data.columns:
        raise InvalidInput(f"sensitive feature {feature!r} is not a column of the data; columns are "
                           f"{', '.join(map(str, data.columns))}")
    values = data[feature]
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if edges is not None:
        if not numeric:
            raise InvalidInput(f"bins were given for sensitive feature {feature!r}, but its values are "
                               f"{values.dtype}, not numbers; give bins only for numeric features")
        if not edges or any(b <= a for a, b in zip(edges, edges[1:])):
            raise InvalidInput(f"bins for {feature!r} must be increasing numbers, got {edges}")
        groups = pd.cut(values, [-math.inf, *edges, math.inf], right=False, labels=_bin_labels(edges))
        return groups.astype(object).where(values.notna(), MISSING).astype(str)
    if numeric and values.nunique() > MAX_GROUPS:
        example = ",".join(f"{q:g}" for q in np.unique(np.nanquantile(values, [0.25, 0.5, 0.75])))
        raise InvalidInput(f"sensitive feature {feature!r} is continuous ({values.nunique()} distinct values); "
                           f"give bins for it, e.g. bins={{'{feature}': [{example}]}}")
    return values.astype(object).where(values.notna(), MISSING).astype(str)


def _assess(y_true, scores, groups: pd.Series, threshold: float, auc_frame) -> tuple:
    from fairlearn.metrics import (MetricFrame, demographic_parity_difference, demographic_parity_ratio,
                                   equalized_odds_difference)

    y_pred = (scores >= threshold).astype(int)
    frame = MetricFrame(metrics=_decision_metrics(), y_true=y_true, y_pred=y_pred, sensitive_features=groups)
    overall = _metrics("overall", frame.overall, auc_frame.overall)
    by_group = [_metrics(str(g), row, auc_frame.by_group[g]) for g, row in frame.by_group.iterrows()]
    disparities = Disparities(
        demographic_parity_difference=demographic_parity_difference(y_true, y_pred, sensitive_features=groups),
        demographic_parity_ratio=demographic_parity_ratio(y_true, y_pred, sensitive_features=groups),
        equalized_odds_difference=equalized_odds_difference(y_true, y_pred, sensitive_features=groups))
    return overall, by_group, disparities


def assess_fairness(model, data: pd.DataFrame, *, target: str, sensitive: list[str],
                    bins: dict[str, list[float]] | None = None, positive_label=None, threshold: float = 0.5,
                    thresholds: list[float] | tuple[float, ...] = THRESHOLDS) -> FairnessReport:
    """Per-group metrics and disparities of a binary classifier's decisions (P(positive) >= threshold)."""
    from fairlearn.metrics import MetricFrame

    unwrapped = unwrap(model)
    if not unwrapped.is_classifier or len(unwrapped.classes) != 2:
        raise InvalidInput("fairness assessment needs a binary classifier (selection rate, false positive and "
                           f"false negative rates are defined for two classes); {type(model).__name__} is not one")
    if target not in data.columns:
        raise InvalidInput(f"target column {target!r} is not in the data; columns are "
                           f"{', '.join(map(str, data.columns))}")
    if not sensitive:
        raise InvalidInput("name at least one sensitive feature, e.g. sensitive=['Gender']")
    bins = dict(bins or {})
    unknown = [f for f in bins if f not in sensitive]
    if unknown:
        raise InvalidInput(f"bins were given for {', '.join(map(repr, unknown))}, which is not among the sensitive "
                           f"features {', '.join(map(repr, sensitive))}")
    if positive_label is None:
        positive_label = unwrapped.classes[1]
    if positive_label not in unwrapped.classes:
        raise InvalidInput(f"positive label {positive_label!r} is not one of the model's classes "
                           f"{', '.join(map(repr, unwrapped.classes))}")
    if not 0 <= threshold <= 1 or any(not 0 <= t <= 1 for t in thresholds):
        raise InvalidInput("thresholds are probabilities: give values between 0 and 1")
    groups = {feature: sensitive_groups(data, feature, bins.get(feature)) for feature in sensitive}
    scores = positive_scores(unwrapped, check_columns(unwrapped, data), positive_label)
    y_true = (data[target] == positive_label).astype(int).to_numpy()
    features = []
    for feature, labels in groups.items():
        auc_frame = MetricFrame(metrics=_auc, y_true=y_true, y_pred=scores, sensitive_features=labels)
        overall, by_group, disparities = _assess(y_true, scores, labels, threshold, auc_frame)
        points = [ThresholdPoint(threshold=float(t), **dict(zip(("overall", "groups", "disparities"),
                                                                 _assess(y_true, scores, labels, t, auc_frame))))
                  for t in thresholds]
        features.append(SensitiveFeatureReport(feature=feature, bins=bins.get(feature), overall=overall,
                                               groups=by_group, disparities=disparities, thresholds=points))
    return FairnessReport(positive_label=plain(positive_label), threshold=threshold, rows=len(data), features=features)

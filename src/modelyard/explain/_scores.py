"""``score_model``: every Azure AutoML metric of a fitted model on labelled rows (AutoML's own metric code)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from modelyard.errors import InvalidInput
from modelyard.explain._model import check_columns, unwrap


def score_model(model, data: pd.DataFrame, *, target: str) -> dict[str, float]:
    """The classification metrics (AUC_weighted, accuracy, ...) of a classifier, or the regression metrics
    (r2_score, normalized_root_mean_squared_error, ...) of a regressor, over ``data``'s ``target`` column."""
    from modelyard.automl._metrics import classification_metrics, regression_metrics

    if target not in data.columns:
        raise InvalidInput(f"target column {target!r} is not in the data; columns are "
                           f"{', '.join(map(str, data.columns))}")
    labelled = data[data[target].notna()]
    unwrapped = unwrap(model)
    rows = check_columns(unwrapped, labelled.drop(columns=[target]))
    truth = labelled[target]
    if not unwrapped.is_classifier:
        return regression_metrics(np.asarray(truth, dtype=float), np.asarray(model.predict(rows), dtype=float))
    if not hasattr(model, "predict_proba"):
        raise InvalidInput(f"model {type(model).__name__} has no predict_proba; the classification metrics need "
                           "probabilities")
    index = {label: i for i, label in enumerate(unwrapped.classes)}
    unknown = sorted({str(v) for v in truth if v not in index})
    if unknown:
        raise InvalidInput(f"target column {target!r} holds label(s) {', '.join(unknown[:5])} that the model never "
                           f"learned; its classes are {', '.join(map(str, unwrapped.classes))}")
    y = np.asarray([index[v] for v in truth])
    return classification_metrics(y, np.asarray(model.predict_proba(rows), dtype=float))

"""``RowExplainer``: a tree model's exact per-row contributions, prepared once and applied to a few rows at a time.

What an online endpoint needs to explain each request: everything that does not depend on the rows (the
unwrapped pipeline, the engineered names, the engineered-to-raw grouping, shap's TreeExplainer for
scikit-learn trees, LightGBM's trees ready for Linear TreeSHAP) is done when the model loads. The values are ``explain_model``'s for the same rows
(same method, same output, same raw grouping).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from modelyard.errors import InvalidInput
from modelyard.explain import _methods
from modelyard.explain._model import check_columns, unwrap
from modelyard.explain._raw_features import engineered_features, group_matrix

FEW_ROWS = 64   # up to this many rows, one thread beats starting a team of them (by ~5x on one row)


@dataclass
class RowContributions:
    features: list[str]       # the raw columns when the pipeline traces back to them, else the engineered ones
    view: str                 # "raw" or "engineered"
    values: np.ndarray        # (rows, features, outputs)
    base: np.ndarray          # (outputs,)
    outputs: list[str]        # the positive class of a binary classifier; every class; or "prediction"
    method: str
    model_output: str         # log_odds, raw, probability or prediction


class RowExplainer:
    """Exact (tree SHAP) contributions of a fitted tree model or pipeline ending in one.

    InvalidInput, saying why, for a model without a fast exact method: a linear model's exact values need
    a background sample, and the model-agnostic methods take seconds a row.
    """

    def __init__(self, model) -> None:
        unwrapped = unwrap(model)
        estimator = unwrapped.estimator
        if not _methods.is_tree(estimator):
            raise InvalidInput(f"per-request explanations need a tree model (LightGBM, XGBoost, scikit-learn trees "
                               f"and forests), whose exact contributions take microseconds; this model's estimator "
                               f"is {type(estimator).__name__} (explain it offline with `modelyard model explain`)")
        width = getattr(estimator, "n_features_in_", None)
        if width is None:
            raise InvalidInput(f"{type(estimator).__name__} does not record how many columns it reads "
                               "(n_features_in_); it cannot be explained per request")
        self.unwrapped = unwrapped
        self.engineered, sources = engineered_features(unwrapped, int(width))
        self._grouping = None
        self.features, self.view = self.engineered, "engineered"
        if sources is not None:
            self.features, self._grouping = group_matrix(sources)
            self.view = "raw"
        self._tree_explainer = _methods.tree_explainer(estimator)
        self.explain(np.zeros((1, int(width))))   # the first request does not wait for numba to compile

    def transform(self, frame: pd.DataFrame) -> np.ndarray:
        """The engineered matrix the estimator reads (InvalidInput naming missing columns)."""
        return self.unwrapped.transform(check_columns(self.unwrapped, frame))

    def explain(self, X: np.ndarray) -> RowContributions:
        """Contributions of the rows of the engineered matrix ``X``, summed to raw columns when traceable."""
        contributions = _methods.tree_contributions(self.unwrapped.estimator, X, self.unwrapped.classes,
                                                    self._tree_explainer, threads=1 if len(X) <= FEW_ROWS else 0)
        values = contributions.values
        if self._grouping is not None:
            values = np.einsum("nfk,fr->nrk", values, self._grouping)
        return RowContributions(self.features, self.view, values, contributions.base, contributions.outputs,
                                contributions.method, contributions.model_output)

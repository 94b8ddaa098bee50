"""SHAP contributions of a final estimator on its (engineered) input matrix, by the best method it allows.

- tree: for LightGBM, Linear TreeSHAP over its trees (``_linear_tree_shap``: the values of its own
  ``pred_contrib``, which remains for the boosters that algorithm does not cover); XGBoost's
  ``pred_contribs``; shap's ``TreeExplainer`` for scikit-learn trees (path-dependent, no background);
- linear: exact interventional linear SHAP, ``coef * (x - mean(background))``, on the margin;
- permutation / kernel: model-agnostic estimates over a background sample (``_permutation``; shap's
  ``KernelExplainer``), for the rest (voting and stack ensembles, kernels, neighbours) and for
  probability explanations.

Every method returns values shaped ``(rows, features, outputs)`` with one base value per output;
binary classifiers have one output, the positive class.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modelyard.errors import InvalidInput

AGNOSTIC = ("permutation", "kernel")
SKLEARN_TREES = ("DecisionTree", "RandomForest", "ExtraTrees", "GradientBoosting", "IsolationForest")


@dataclass
class Contributions:
    values: np.ndarray        # (rows, features, outputs)
    base: np.ndarray          # (outputs,)
    outputs: list[str]
    method: str
    model_output: str
    background_rows: int = 0


def _output_labels(classes, n_outputs: int) -> list[str]:
    if classes is None:
        return ["prediction"]
    if len(classes) == 2 and n_outputs == 1:
        return [str(classes[1])]
    return [str(c) for c in classes]


def _binary_positive(values: np.ndarray, base: np.ndarray, classes) -> tuple[np.ndarray, np.ndarray]:
    """Keep the positive class only where a binary model's output came per class."""
    if classes is not None and len(classes) == 2 and values.shape[2] == 2:
        return values[:, :, 1:], base[1:]
    return values, base


def is_tree(estimator) -> bool:
    name = type(estimator).__name__
    module = type(estimator).__module__
    if name.startswith("HistGradientBoosting"):  # shap reads its categorical splits wrongly (not additive)
        categorical = getattr(estimator, "is_categorical_", None)
        return categorical is None or not categorical.any()
    return module.startswith(("lightgbm", "xgboost")) or name.startswith(SKLEARN_TREES)


def is_linear(estimator) -> bool:
    linear = type(estimator).__module__.startswith("sklearn.linear_model") or \
        type(estimator).__name__ in ("LinearSVC", "LinearSVR")
    return linear and hasattr(estimator, "coef_") and hasattr(estimator, "intercept_")


class LightGBMExplainer:
    """A LightGBM model's exact contributions: Linear TreeSHAP where it applies, else LightGBM's
    ``pred_contrib`` (same values, several times the CPU time); ``fallback`` says why it was needed."""

    def __init__(self, booster) -> None:
        from modelyard.explain._lightgbm_trees import NotApplicable
        from modelyard.explain._linear_tree_shap import LinearTreeShap

        self.booster = booster
        try:
            self.linear, self.fallback = LinearTreeShap(booster), None
        except NotApplicable as reason:
            self.linear, self.fallback = None, str(reason)

    def contributions(self, X: np.ndarray, threads: int = 0) -> np.ndarray:
        """As ``pred_contrib``: (rows, outputs * (features + 1)). ``threads``: 0 for all cores, or 1."""
        if self.linear is None:
            from lightgbm.basic import LightGBMError

            try:
                return np.asarray(self.booster.predict(X, pred_contrib=True, num_threads=threads), dtype=float)
            except LightGBMError as error:   # e.g. linear trees, which LightGBM does not explain either
                raise InvalidInput(f"LightGBM cannot compute this model's contributions: {error} Explain it with "
                                   "method permutation or kernel.") from None
        expected = self.linear.trees.n_features
        if X.shape[1] != expected:
            raise InvalidInput(f"the data has {X.shape[1]} feature column(s) where the LightGBM model was trained "
                               f"on {expected}; give the columns the model was trained on")
        return self.linear.contributions(X, parallel=threads != 1)


def tree_explainer(estimator):
    """What explains a tree model, prepared once: ``LightGBMExplainer``, shap's TreeExplainer for
    scikit-learn trees, None for XGBoost (its booster explains itself)."""
    module = type(estimator).__module__
    if module.startswith("lightgbm"):
        return LightGBMExplainer(estimator.booster_)
    if module.startswith("xgboost"):
        return None
    import shap

    return shap.TreeExplainer(estimator)


def tree_contributions(estimator, X: np.ndarray, classes, explainer=None, threads: int = 0) -> Contributions:
    """``explainer``: the estimator's prepared ``tree_explainer``, else one is built;
    ``threads``: 0 for all cores, 1 for one (much faster on a few rows)."""
    module = type(estimator).__module__
    n, f = X.shape
    if module.startswith("lightgbm"):
        raw = (explainer or tree_explainer(estimator)).contributions(X, threads)
        per_output = raw.reshape(n, -1, f + 1).transpose(0, 2, 1)            # (n, f+1, outputs)
    elif module.startswith("xgboost"):
        import xgboost as xgb

        booster = estimator.get_booster()
        matrix = xgb.DMatrix(X, feature_names=booster.feature_names)
        raw = np.asarray(booster.predict(matrix, pred_contribs=True), dtype=float)
        per_output = raw[:, :, None] if raw.ndim == 2 else raw.transpose(0, 2, 1)
    else:
        explainer = explainer or tree_explainer(estimator)
        values = np.asarray(explainer.shap_values(X, check_additivity=False), dtype=float)
        values = values[:, :, None] if values.ndim == 2 else values
        base = np.atleast_1d(np.asarray(explainer.expected_value, dtype=float))
        values, base = _binary_positive(values, base, classes)
        output = "prediction" if classes is None else \
            "log_odds" if "GradientBoosting" in type(estimator).__name__ else "probability"
        return Contributions(values, base, _output_labels(classes, values.shape[2]), "tree", output)
    values, base = per_output[:, :f, :], per_output[0, f, :]
    output = "log_odds" if classes is not None else "raw"
    return Contributions(values, base, _output_labels(classes, values.shape[2]), "tree", output)


def linear_contributions(estimator, X: np.ndarray, background: np.ndarray, classes) -> Contributions:
    coef = np.atleast_2d(np.asarray(estimator.coef_, dtype=float))            # (outputs, f)
    intercept = np.atleast_1d(np.asarray(estimator.intercept_, dtype=float))
    mean = background.mean(axis=0)
    values = (X - mean)[:, :, None] * coef.T[None, :, :]
    base = intercept + coef @ mean
    if classes is None:
        output = "prediction"
    else:
        output = "log_odds" if hasattr(estimator, "predict_proba") else "raw"
    return Contributions(values, base, _output_labels(classes, values.shape[2]), "linear", output,
                         background_rows=len(background))


def _agnostic_function(estimator, classes, output: str):
    """The function a model-agnostic explainer perturbs, and what its values are."""
    if classes is None:
        return (lambda X: np.asarray(estimator.predict(X), dtype=float)), "prediction"
    binary = len(classes) == 2
    if hasattr(estimator, "predict_proba") and (output == "probability" or not hasattr(estimator, "decision_function")):
        return (lambda X: np.asarray(estimator.predict_proba(X), dtype=float)[:, 1] if binary
                else np.asarray(estimator.predict_proba(X), dtype=float)), "probability"
    if output == "probability":
        raise InvalidInput(f"model {type(estimator).__name__} has no predict_proba, so its probabilities cannot "
                           "be explained; ask for output='raw' to explain its decision function")
    if hasattr(estimator, "decision_function"):
        return (lambda X: np.asarray(estimator.decision_function(X), dtype=float)), "raw"
    raise InvalidInput(f"classifier {type(estimator).__name__} has neither predict_proba nor decision_function; "
                       "there is no score to explain")


def agnostic_contributions(estimator, X: np.ndarray, background: np.ndarray, classes, method: str,
                           output: str, seed: int) -> Contributions:
    function, model_output = _agnostic_function(estimator, classes, output)
    if method == "kernel":
        import shap

        explainer = shap.KernelExplainer(function, background, seed=seed)
        raw = explainer.shap_values(X, silent=True)
        values = np.asarray(raw, dtype=float)
        base = np.atleast_1d(np.asarray(explainer.expected_value, dtype=float))
    else:
        from modelyard.explain._permutation import permutation_values

        values, base = permutation_values(function, X, background, seed)
    values = values[:, :, None] if values.ndim == 2 else values
    return Contributions(values, base, _output_labels(classes, values.shape[2]), method, model_output,
                         background_rows=len(background))

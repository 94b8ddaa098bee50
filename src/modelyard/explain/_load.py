"""The fitted estimator inside a saved model (an MLflow folder or a pickle), through the serving engine's loader."""

from __future__ import annotations

import os

from modelyard.errors import InvalidInput


def load_explainable(model_dir: str | os.PathLike, *, trusted_types: tuple[str, ...] = ()):
    """The scikit-learn compatible model saved at ``model_dir``, ready for ``explain_model`` and friends."""
    from modelyard.serving._model import ModelLoadError, load_model

    try:
        scorer = load_model(model_dir, compile=False, trusted_types=trusted_types)
    except ModelLoadError as error:
        raise InvalidInput(f"cannot load the model to explain: {error}") from None
    if scorer.model is None:
        raise InvalidInput(f"the model at {model_dir} is an MLflow {scorer.source} model without a scikit-learn "
                           "flavour; explanations, fairness and error analysis need the fitted estimator "
                           "(save it with mlflow.sklearn or as a pickle)")
    return scorer.model

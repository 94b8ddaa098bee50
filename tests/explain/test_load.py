"""Saved models (MLflow folders in either format, pickles) load into the same explanations as the fitted object."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from modelyard.automl._mlflow import requirements
from modelyard.errors import InvalidInput
from modelyard.explain import explain_model, load_explainable


def _save(model, X, path: Path, how: str) -> Path:
    if how == "pickle":
        import joblib

        path.mkdir()
        joblib.dump(model, path / "model.pkl")
        return path
    import mlflow.sklearn

    mlflow.sklearn.save_model(model, str(path), serialization_format=how, input_example=X.head(3),
                              pip_requirements=requirements())
    return path


@pytest.mark.parametrize("how", ["skops", "cloudpickle", "pickle"])
def test_a_saved_model_explains_like_the_fitted_one(how, tmp_path, hr_xy, lr_pipeline):
    X, _ = hr_xy
    loaded = load_explainable(_save(lr_pipeline, X, tmp_path / how, how))
    ours = explain_model(loaded, X.head(50))
    reference = explain_model(lr_pipeline, X.head(50))
    assert ours.method == "linear"
    np.testing.assert_array_equal(np.asarray(ours.raw.outputs[0].contributions),
                                  np.asarray(reference.raw.outputs[0].contributions))


def test_a_folder_without_a_model_is_invalid_input(tmp_path):
    with pytest.raises(InvalidInput, match=r"cannot load the model to explain: .*holds no MLmodel file"):
        load_explainable(tmp_path)

"""Saving an AutoML model as an MLflow model (sklearn flavour, signature, input example).

Policy: AutoML models are saved with ``serialization_format="cloudpickle"``. MLflow 3.17's default
(skops) refuses pipelines that hold LightGBM/XGBoost objects and our own final steps unless each
type is listed as trusted; cloudpickle stores them as they are. ``mlflow.sklearn.load_model``
reads either format, so models saved by users with skops still load. Loading needs modelyard
importable (the final step is ``modelyard.automl._model``'s), which it is wherever modelyard runs.
"""

from __future__ import annotations

import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

SERIALIZATION_FORMAT = "cloudpickle"
EXAMPLE_ROWS = 5


def _model_of(trial_or_model) -> Any:
    model = getattr(trial_or_model, "model", trial_or_model)
    if model is None:
        raise ValueError(f"trial {getattr(trial_or_model, 'trial_id', '?')} has no fitted model")
    return model


def requirements() -> list[str]:
    """Pinned requirements of an AutoML model (given explicitly: inferring them loads the model in a subprocess)."""
    out = []
    for dist in ("modelyard", "scikit-learn", "pandas", "numpy", "scipy", "cloudpickle", "lightgbm", "xgboost"):
        try:
            out.append(f"{dist}=={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            continue
    return out


def _used_columns(model) -> set | None:
    """The raw columns the model's featurizer reads (None when it is not AutoML's ColumnTransformer)."""
    featurizer = getattr(model, "named_steps", {}).get("featurize")
    if featurizer is None or not hasattr(featurizer, "transformers_"):
        return None
    used = set()
    for _, transformer, columns in featurizer.transformers_:
        if transformer != "drop" and isinstance(columns, (list, tuple)):
            used.update(columns)
    return used


def _optional_unused(signature, model, example):
    """Mark the columns the model does without (identifiers, constants it dropped) as not required,
    so a request may leave them out, as the workshop's 30-column body does."""
    from mlflow.types.schema import ColSpec, Schema

    used = _used_columns(model)
    unused = set(example.columns) - used if used is not None else set()
    try:   # one prediction checks the featurizer's answer; else each column is tried alone
        model.predict(example.drop(columns=list(unused)))
    except Exception:
        unused = set()
        for column in example.columns:
            try:
                model.predict(example.drop(columns=[column]))
            except Exception:  # the model needs this column
                continue
            unused.add(column)
    if unused:
        signature.inputs = Schema([ColSpec(spec.type, spec.name, required=spec.name not in unused)
                                   for spec in signature.inputs.inputs])
    return signature


def save_model(trial, path, input_example) -> Path:
    """Save ``trial.model`` (or a fitted pipeline) as an MLflow sklearn model at ``path``."""
    import mlflow.sklearn
    from mlflow.models import infer_signature

    model = _model_of(trial)
    example = input_example.head(EXAMPLE_ROWS).copy()
    signature = _optional_unused(infer_signature(example, model.predict(example)), model, example)
    mlflow.sklearn.save_model(model, str(path), serialization_format=SERIALIZATION_FORMAT, signature=signature,
                              input_example=example, pip_requirements=requirements())
    return Path(path)


def log_model_to_run(trial, run_id: str, artifact_path: str = "model", input_example=None) -> str:
    """Save the model under ``artifact_path`` of MLflow run ``run_id``; returns ``runs:/<run_id>/<artifact_path>``."""
    from mlflow import MlflowClient

    if input_example is None:
        raise ValueError("input_example (a few raw rows, target removed) is required for the signature")
    with tempfile.TemporaryDirectory(prefix="modelyard-model-") as tmp:
        local = Path(tmp) / "model"
        save_model(trial, local, input_example)
        MlflowClient().log_artifacts(run_id, str(local), artifact_path)
    return f"runs:/{run_id}/{artifact_path}"

"""What flows along the edges besides DataFrames: untrained models, trained models, fitted transformations.

A trained model (ModelDirectory) is one scikit-learn estimator that holds the fitted transformations
that run in front of it and the featurized learner, so an inference pipeline is the trained model
with the training run's transformations chained in front (``with_transformations``) and saves as one
MLflow model: a deployment scores raw rows in one call.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from modelyard.errors import InvalidInput

MLFLOW_TYPES = {"integer": "long", "decimal": "double", "string": "string", "boolean": "boolean",
                "datetime": "datetime", "categorical": "string"}


@dataclass(frozen=True)
class UntrainedModel:
    """A learner and its parameters; ``build(parameters)`` makes a fresh scikit-learn estimator.
    ``ranges`` holds the values to sweep when the learner was made in "Parameter Range" mode (``range_mode``)."""

    module: str
    display_name: str
    task: str
    parameters: dict[str, Any]
    build: Callable[[dict[str, Any]], Any]
    scaler: str | None = None  # "maxabs" or "minmax": how Train Model scales numeric features first
    ranges: dict[str, list[Any]] = field(default_factory=dict)
    range_mode: bool = False
    raw_features: bool = False  # the learner takes the columns as they are (Create Python Model)

    def estimator(self, overrides: dict[str, Any] | None = None):
        return self.build({**self.parameters, **(overrides or {})})

    def with_parameters(self, overrides: dict[str, Any]) -> "UntrainedModel":
        return replace(self, parameters={**self.parameters, **overrides})


class Transformation(TransformerMixin, BaseEstimator):
    """A fitted DataFrame -> DataFrame step (TransformationDirectory). ``fit`` does nothing: the
    module that made it fitted it, so it can sit in a scikit-learn Pipeline as it is."""

    def fit(self, X, y=None):
        return self

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def transform(self, frame):
        raise NotImplementedError


class TrainedModel(BaseEstimator):
    """A trained learner on raw columns (ModelDirectory): transformations, then the featurized estimator."""

    def __init__(self, learner: str = "", task: str = "binary", label_column: str = "",
                 feature_columns: list[str] | None = None, classes: list[Any] | None = None,
                 estimator: Any = None, transformations: tuple = (), feature_types: dict[str, str] | None = None):
        self.learner = learner
        self.task = task
        self.label_column = label_column
        self.feature_columns = feature_columns
        self.classes = classes
        self.estimator = estimator
        self.transformations = transformations
        self.feature_types = feature_types
        if classes is not None:
            self.classes_ = np.asarray(classes, dtype=object)

    def fit(self, X, y=None):
        """Already trained by Train Model."""
        return self

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def with_transformations(self, *transformations: Transformation) -> "TrainedModel":
        """The same model with ``transformations`` run, in order, before the ones it already has."""
        return TrainedModel(self.learner, self.task, self.label_column, self.feature_columns, self.classes,
                            self.estimator, tuple(transformations) + tuple(self.transformations), self.feature_types)

    def features(self, frame):
        for step in self.transformations:
            frame = step.transform(frame)
        missing = [name for name in self.feature_columns if name not in frame.columns]
        if missing:
            raise InvalidInput(f"the model was trained on columns the data lacks: {', '.join(missing)}; "
                               "score data with the training data's columns")
        return frame[self.feature_columns]

    def predict(self, frame):
        """Labels, numbers (regression) or cluster numbers (clustering) of raw rows."""
        if self.task == "clustering":
            return np.asarray(self.estimator.predict(self.features(frame)))
        if self.task == "regression":
            return np.asarray(self.estimator.predict(self.features(frame)), dtype=float)
        return np.asarray(self.classes, dtype=object)[self.predict_proba(frame).argmax(axis=1)]

    def predict_proba(self, frame):
        if self.task not in ("binary", "multiclass"):
            raise AttributeError(f"a {self.task} model has no class probabilities")
        return self.estimator.predict_proba(self.features(frame))

    def summary(self) -> dict[str, Any]:
        """What a user reads of a trained model: learner, task, label, features, classes and parameters."""
        learner = self.estimator.named_steps["learner"]
        return {"learner": self.learner, "task": self.task, "label_column": self.label_column,
                "feature_columns": self.feature_columns, "classes": self.classes,
                "transformations": [type(step).__name__ for step in self.transformations],
                "parameters": {key: value for key, value in learner.get_params(deep=False).items()
                               if isinstance(value, (str, int, float, bool, type(None)))}}

    def _feature_signature(self):
        """The signature of the columns the model reads, from their types at training; None when
        transformations run first (the request's columns are then theirs, known from an input example)."""
        from mlflow.models import ModelSignature
        from mlflow.types.schema import ColSpec, Schema

        if self.transformations or not self.feature_types:
            return None
        return ModelSignature(inputs=Schema([ColSpec(MLFLOW_TYPES.get(self.feature_types[name], "string"), name)
                                             for name in self.feature_columns]))

    def save(self, path, input_example=None):
        """Save as an MLflow sklearn model (cloudpickle, as AutoML's models) at ``path``; its signature is
        inferred from ``input_example`` (raw rows) when given, else taken from the training columns."""
        if input_example is not None:
            input_example = input_example.drop(columns=[self.label_column], errors="ignore")
        return save_sklearn(self, path, input_example, self._feature_signature())


def save_sklearn(model, path, input_example=None, signature=None):
    """Save scikit-learn ``model`` as an MLflow sklearn model (cloudpickle, as AutoML's models) at ``path``;
    its signature inferred from ``input_example`` (raw rows) when given."""
    import mlflow.sklearn
    from mlflow.models import infer_signature

    from modelyard.automl._mlflow import SERIALIZATION_FORMAT, requirements

    if input_example is not None:
        input_example = input_example.head(5)
        signature = infer_signature(input_example, model.predict(input_example))
    mlflow.sklearn.save_model(model, str(path), serialization_format=SERIALIZATION_FORMAT, signature=signature,
                              input_example=input_example, pip_requirements=requirements())
    return path


class ModuleStep(Transformation):
    """A table module (one DataFrame in, one out; Select Columns, Edit Metadata, Apply Math Operation, ...)
    run with fixed parameters as a step, so an inference pipeline can chain it in front of a model."""

    def __init__(self, module: str = "", parameters=None, input_port: str = "dataset", output_port: str | None = None):
        self.module = module
        self.parameters = parameters or {}
        self.input_port = input_port
        self.output_port = output_port

    def transform(self, frame):
        from modelyard.designer._run import run_module

        outputs = run_module(self.module, {self.input_port: frame}, self.parameters)
        return outputs[self.output_port] if self.output_port else next(iter(outputs.values()))

"""Model Training and Scoring: Train Model and Score Model.

Train Model learns from every column but the label: numeric and boolean columns as numbers (scaled
by their largest absolute value for the learners that Azure normalizes), text and categorical
columns one-hot encoded (a level unseen in training scores as all zeros). Missing values and
datetime columns are refused with the module that fixes them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modelyard.errors import InvalidInput

from modelyard.designer._columns import NUMERIC, require_columns, schema_of
from modelyard.designer._registry import column, module, parameter, port
from modelyard.designer._values import TrainedModel, UntrainedModel

SCORED_LABELS, SCORED_PROBABILITIES = "Scored Labels", "Scored Probabilities"
SCORE_ATTR = "modelyard.designer.scores"  # frame.attrs key: what Evaluate Model needs to know of the scores


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def featurizer(schema: dict[str, str], scaler: str | None):
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, OneHotEncoder

    numeric = [name for name, kind in schema.items() if kind in NUMERIC or kind == "boolean"]
    categorical = [name for name, kind in schema.items() if kind in ("string", "categorical")]
    scaling = {"maxabs": MaxAbsScaler(), "minmax": MinMaxScaler()}.get(scaler, "passthrough")
    return ColumnTransformer([("numeric", scaling, numeric),
                              ("categorical", OneHotEncoder(handle_unknown="ignore"), categorical)],
                             sparse_threshold=0)


def check_labels(learner: UntrainedModel, labels, label_column: str) -> None:
    if learner.task == "clustering":
        raise InvalidInput(f"{learner.display_name} learns without a label; train it with Train Clustering Model")
    if labels.isna().any():
        raise InvalidInput(f"label column '{label_column}' has {int(labels.isna().sum())} missing values; remove "
                           "those rows first (Clean Missing Data with 'Remove entire row' on the label)")
    distinct = labels.nunique()
    if learner.task == "binary" and distinct != 2:
        raise InvalidInput(f"{learner.display_name} learns two classes, but label column '{label_column}' has "
                           f"{distinct}; use the Multiclass learner or pick a two-valued label")
    if learner.task == "regression" and schema_of(labels.to_frame())[label_column] not in NUMERIC:
        raise InvalidInput(f"{learner.display_name} predicts numbers, but label column '{label_column}' is "
                           f"{labels.dtype}; pick a numeric label or a classifier")


def check_features(schema: dict[str, str]) -> None:
    dates = [name for name, kind in schema.items() if kind == "datetime"]
    if dates:
        raise InvalidInput(f"datetime columns {', '.join(dates)} cannot be features; remove them with Select "
                           "Columns in Dataset or turn them into numbers with Edit Metadata")


def fit_model(learner: UntrainedModel, dataset, label_column: str, overrides: dict | None = None) -> TrainedModel:
    """Fit ``learner`` on every column of ``dataset`` but ``label_column``."""
    from sklearn.pipeline import Pipeline

    require_columns([label_column], schema_of(dataset), "label_column")
    features = dataset.drop(columns=[label_column])
    schema = schema_of(features)
    check_labels(learner, dataset[label_column], label_column)
    if not learner.raw_features:
        check_features(schema)
        missing = [name for name in features.columns if features[name].isna().any()]
        if missing:
            raise InvalidInput(f"columns {', '.join(missing)} have missing values; clean them first with Clean "
                               "Missing Data")
    labels = dataset[label_column]
    if learner.task != "regression":
        labels = labels.astype(object).map(_plain)
    estimator = Pipeline([("featurize", "passthrough" if learner.raw_features else featurizer(schema, learner.scaler)),
                          ("learner", learner.estimator(overrides))])
    try:
        estimator.fit(features, labels)
    except InvalidInput:
        raise
    except ValueError as error:
        raise InvalidInput(f"{learner.display_name} could not learn from this data: {error}") from None
    classes = None if learner.task == "regression" else [_plain(c) for c in estimator.classes_]
    return TrainedModel(learner.display_name, learner.task, label_column, list(features.columns), classes, estimator,
                        feature_types=schema)


def train_schema(inputs, params):
    learner, data = inputs.get("untrained_model"), inputs.get("dataset")
    if data is None or params.get("label_column") not in data:
        return {}
    return {"trained_model": {"task": (learner or {}).get("task", ""), "label": params["label_column"],
                              "label_type": data[params["label_column"]]}}


@module("train_model", "Train Model", "Model Training", "Trains an untrained model on a labelled dataset.",
        inputs=[port("untrained_model", "Untrained model", "UntrainedModel"), port("dataset", "Dataset")],
        outputs=[port("trained_model", "Trained model", "ModelDirectory")],
        parameters=[column("label_column", "Label column")], schema=train_schema)
def train_model(untrained_model, dataset, *, label_column):
    return fit_model(untrained_model, dataset, label_column)


def score(model: TrainedModel, dataset, append: bool = True):
    """``dataset`` with "Scored Labels" (and, for classifiers, "Scored Probabilities") appended, as Azure names them."""
    import pandas as pd

    if model.task == "clustering":
        raise InvalidInput(f"{model.learner} is a clustering model; assign rows to its clusters with Assign Data to "
                           "Clusters")
    scores = pd.DataFrame(index=dataset.index)
    try:
        if not len(dataset):  # an empty table scores as an empty table
            model.features(dataset)
            predicted = np.empty(0) if model.task == "regression" else np.empty((0, len(model.classes)))
        else:
            predicted = model.predict(dataset) if model.task == "regression" else model.predict_proba(dataset)
    except InvalidInput:
        raise
    except ValueError as error:  # scikit-learn's word on the rows (missing values, wrong types)
        raise InvalidInput(f"the model cannot score these rows: {str(error).splitlines()[0]}; give them the "
                           "training data's columns and cleaning (Apply Transformation)") from None
    if model.task == "regression":
        scores[SCORED_LABELS] = predicted
    else:
        proba = predicted
        labels = np.asarray(model.classes, dtype=object)[proba.argmax(axis=1)]
        scores[SCORED_LABELS] = pd.Series(labels, index=dataset.index).infer_objects()
        if model.task == "binary":
            scores[SCORED_PROBABILITIES] = proba[:, 1]
        else:
            for i, name in enumerate(model.classes):
                scores[f"{SCORED_PROBABILITIES}_{name}"] = proba[:, i]
    out = pd.concat([dataset, scores], axis=1) if append else scores
    out.attrs[SCORE_ATTR] = {"label": model.label_column, "task": model.task, "classes": model.classes}
    return out


def score_schema(inputs, params):
    data, model = inputs.get("dataset"), inputs.get("trained_model")
    if data is None or not model:
        return {}
    scores = {SCORED_LABELS: "decimal" if model["task"] == "regression" else model["label_type"]}
    if model["task"] == "binary":
        scores[SCORED_PROBABILITIES] = "decimal"
    return {"scored_dataset": {**(data if params["append_score_columns_to_output"] else {}), **scores}}


@module("score_model", "Score Model", "Model Scoring & Evaluation",
        "Appends a trained model's predictions: 'Scored Labels' and, for classifiers, 'Scored Probabilities'.",
        inputs=[port("trained_model", "Trained model", "ModelDirectory"), port("dataset", "Dataset")],
        outputs=[port("scored_dataset", "Scored dataset")],
        parameters=[parameter("boolean", "append_score_columns_to_output", "Append score columns to output", True)],
        schema=score_schema)
def score_model(trained_model, dataset, *, append_score_columns_to_output):
    return score(trained_model, dataset, append_score_columns_to_output)

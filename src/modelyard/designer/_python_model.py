"""Create Python Model: Azure's ``AzureMLModel`` contract as a two-class learner.

The script defines ``class AzureMLModel`` with ``train(self, df_train, df_label)`` and
``predict(self, df)``, which returns a DataFrame with "Scored Labels" and, for the positive class,
"Scored Probabilities" (without it, the probability is 1 for the predicted class). Train Model hands
it the raw feature columns (no encoding, no scaling); its errors name the method that raised.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from modelyard.errors import InvalidInput

from modelyard.designer._registry import module, parameter, port
from modelyard.designer._script import call_user, load_entry
from modelyard.designer._values import UntrainedModel

TEMPLATE = '''import pandas as pd
from sklearn.naive_bayes import GaussianNB


class AzureMLModel:
    def __init__(self):
        self.model = GaussianNB()
        self.feature_column_names = list()

    def train(self, df_train, df_label):
        self.feature_column_names = df_train.select_dtypes("number").columns.tolist()
        self.model.fit(df_train[self.feature_column_names], df_label)

    def predict(self, df):
        features = df[self.feature_column_names]
        return pd.DataFrame({"Scored Labels": self.model.predict(features),
                             "Scored Probabilities": self.model.predict_proba(features)[:, 1]})
'''


class PythonModel(ClassifierMixin, BaseEstimator):
    """A user's AzureMLModel as a scikit-learn classifier on raw DataFrame columns."""

    def __init__(self, python_script: str = TEMPLATE):
        self.python_script = python_script

    def fit(self, X, y):
        import pandas as pd

        model_class = load_entry(self.python_script, "AzureMLModel", "class AzureMLModel")
        self.model_ = call_user(model_class, who="AzureMLModel()")
        labels = pd.Series(np.asarray(y, dtype=object), index=X.index)
        call_user(self.model_.train, X.copy(), labels, who="AzureMLModel.train")
        self.classes_ = np.asarray(sorted(labels.unique()), dtype=object)
        return self

    def _predicted(self, X):
        import pandas as pd

        out = call_user(self.model_.predict, X.copy(), who="AzureMLModel.predict")
        if not isinstance(out, pd.DataFrame) or "Scored Labels" not in out.columns or len(out) != len(X):
            raise InvalidInput("AzureMLModel.predict must return a DataFrame with a 'Scored Labels' column and one "
                               "row per input row ('Scored Probabilities' for the positive class optional)")
        return out

    def predict(self, X):
        return np.asarray(self._predicted(X)["Scored Labels"], dtype=object)

    def predict_proba(self, X):
        out = self._predicted(X)
        if "Scored Probabilities" in out.columns:
            positive = np.asarray(out["Scored Probabilities"], dtype=float)
            return np.column_stack([1 - positive, positive])
        labels = np.asarray(out["Scored Labels"], dtype=object)
        return np.column_stack([(labels == c).astype(float) for c in self.classes_])


def python_model(params: dict[str, Any]) -> PythonModel:
    return PythonModel(params["python_script"])


@module("create_python_model", "Create Python Model", "Python Language",
        "A two-class learner written in Python: class AzureMLModel with train(df_train, df_label) and predict(df).",
        outputs=[port("untrained_model", "Untrained model", "UntrainedModel")],
        parameters=[parameter("script", "python_script", "Python script", TEMPLATE)],
        schema=lambda _inputs, _params: {"untrained_model": {"task": "binary"}})
def create_python_model(*, python_script):
    return UntrainedModel("create_python_model", "Create Python Model", "binary", {"python_script": python_script},
                          python_model, raw_features=True)

"""Create Python Model: Azure's AzureMLModel contract trained, scored, saved, and its errors."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics
from sklearn.naive_bayes import GaussianNB

from modelyard.designer import run_module
from modelyard.designer._script import ScriptFailed

from tests.designer.conftest import train_and_score


def test_the_default_model_is_gaussian_naive_bayes_on_the_numeric_columns(workshop, tmp_path):
    import mlflow.sklearn

    learner = run_module("create_python_model")["untrained_model"]
    model, scored = train_and_score(learner, workshop["train"], workshop["test"], "Attrition")
    numeric = [c for c in workshop["train"].select_dtypes("number").columns]
    expected = GaussianNB().fit(workshop["train"][numeric], workshop["train"]["Attrition"])
    assert np.allclose(scored["Scored Probabilities"], expected.predict_proba(workshop["test"][numeric])[:, 1])
    result = run_module("evaluate_model", {"scored_dataset": scored})["evaluation_results"]["left"]["metrics"]
    truth = (workshop["test"]["Attrition"] == "Yes").astype(int)
    assert result["AUC"] == pytest.approx(metrics.roc_auc_score(truth, scored["Scored Probabilities"]))
    model.save(tmp_path / "model")
    loaded = mlflow.sklearn.load_model(str(tmp_path / "model"))
    assert np.allclose(loaded.predict_proba(workshop["test"])[:, 1], scored["Scored Probabilities"])


def test_a_model_without_probabilities_scores_its_labels(workshop):
    script = ("import pandas as pd\n\nclass AzureMLModel:\n    def train(self, df_train, df_label):\n"
              "        self.cut = df_train['Age'].median()\n"
              "    def predict(self, df):\n"
              "        return pd.DataFrame({'Scored Labels': ['Yes' if a < self.cut else 'No' for a in df['Age']]})\n")
    learner = run_module("create_python_model", parameters={"python_script": script})["untrained_model"]
    _, scored = train_and_score(learner, workshop["train"], workshop["test"], "Attrition")
    assert ((scored["Scored Probabilities"] == 1) == (scored["Scored Labels"] == "Yes")).all()


def test_errors_in_train_and_predict_name_the_method(workshop):
    raising = ("class AzureMLModel:\n    def train(self, df_train, df_label):\n        raise ValueError('no data')\n"
               "    def predict(self, df):\n        return df\n")
    learner = run_module("create_python_model", parameters={"python_script": raising})["untrained_model"]
    with pytest.raises(ScriptFailed, match="Train Model: AzureMLModel.train raised ValueError: no data"):
        train_and_score(learner, workshop["train"], workshop["test"], "Attrition")
    wrong = raising.replace("raise ValueError('no data')", "pass")
    learner = run_module("create_python_model", parameters={"python_script": wrong})["untrained_model"]
    with pytest.raises(Exception, match="Score Model: AzureMLModel.predict must return a DataFrame with a 'Scored "
                                        "Labels' column"):
        train_and_score(learner, workshop["train"], workshop["test"], "Attrition")

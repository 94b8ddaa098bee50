"""The v1 interpretability calls over the explain engine, without a server: global and local explanations in v1's
shapes, a mimic explainer's surrogate arguments warned about, and bad input refused with the fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modelyard.azureml import V1ArgumentWarning
from modelyard.azureml.interpret import ExplanationClient, MimicExplainer, TabularExplainer
from modelyard.azureml.interpret.ext.glassbox import LGBMExplainableModel
from modelyard.errors import InvalidInput


@pytest.fixture(scope="module")
def regression():
    from sklearn.linear_model import LinearRegression

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=200), "b": rng.normal(size=200), "c": rng.normal(size=200)})
    model = LinearRegression().fit(frame, 3 * frame["a"] - frame["b"] + 0.01 * frame["c"])
    return model, frame


def test_global_importance_ranks_the_features_as_the_model_weighs_them(regression):
    model, frame = regression
    explanation = TabularExplainer(model, frame).explain_global(frame)
    assert explanation.get_ranked_global_names() == ["a", "b", "c"]
    assert list(explanation.get_feature_importance_dict(top_k=2)) == ["a", "b"]
    values = explanation.get_ranked_global_values()
    assert values == sorted(values, reverse=True) and values[0] > 2 * values[1] > 0
    assert explanation.features == ["a", "b", "c"] and explanation.classes is None


def test_local_explanations_are_per_row_and_add_up_to_the_prediction(regression):
    model, frame = regression
    rows = frame.to_numpy()[:4]  # an array, named by features=
    explanation = TabularExplainer(model, frame, features=["a", "b", "c"]).explain_local(rows)
    contributions = np.array(explanation.local_importance_values)
    assert contributions.shape == (4, 3)
    assert contributions.sum(axis=1) + explanation.expected_values == pytest.approx(model.predict(frame[:4]))
    assert explanation.get_ranked_local_names()[0][0] == ["a", "b", "c"][int(np.argmax(np.abs(contributions[0])))]


@pytest.fixture(scope="module")
def attrition_like():
    """A binary problem with string labels, like the workshop's Attrition."""
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300), "c": rng.normal(size=300)})
    labels = np.where(frame["a"] - 0.5 * frame["b"] + rng.normal(scale=0.3, size=300) > 0, "Yes", "No")
    return frame, labels


def test_a_binary_classifier_is_explained_per_class_as_interpret_community_does_in_log_odds(attrition_like):
    """interpret-community's tree explainer gives a binary classifier whose SHAP output is one margin (XGBoost)
    two classes, ``[-values, values]`` with expected values ``(-base, base)``: so does the shim, for every model
    whose explanation is one output."""
    from lightgbm import LGBMClassifier

    frame, labels = attrition_like
    model = LGBMClassifier(n_estimators=30, verbose=-1).fit(frame, labels)
    explanation = TabularExplainer(model, frame).explain_local(frame[:5])
    assert explanation.classes == ["No", "Yes"]
    local = np.array(explanation.local_importance_values)
    assert local.shape == (2, 5, 3)
    assert local[0] == pytest.approx(-local[1])
    expected = explanation.expected_values
    assert len(expected) == 2 and expected[0] == pytest.approx(-expected[1])
    log_odds = np.log(model.predict_proba(frame[:5])[:, 1] / model.predict_proba(frame[:5])[:, 0])
    assert local[1].sum(axis=1) + expected[1] == pytest.approx(log_odds, abs=1e-6)
    assert local[0].sum(axis=1) + expected[0] == pytest.approx(-log_odds, abs=1e-6)
    names = explanation.get_ranked_local_names()
    assert len(names) == 2 and len(names[0]) == 5 and names[0] == names[1]


def test_a_binary_classifier_in_probability_space_has_complementary_expected_values(attrition_like):
    from sklearn.ensemble import RandomForestClassifier

    frame, labels = attrition_like
    model = RandomForestClassifier(n_estimators=20, random_state=0).fit(frame, labels)
    explanation = TabularExplainer(model, frame).explain_global(frame)
    assert explanation.classes == ["No", "Yes"]
    expected = explanation.expected_values
    assert expected[0] + expected[1] == pytest.approx(1.0)
    local = np.array(explanation.local_importance_values)
    assert local.shape == (2, 300, 3) and local[0] == pytest.approx(-local[1])
    proba = model.predict_proba(frame)
    assert local[0].sum(axis=1) + expected[0] == pytest.approx(proba[:, 0], abs=1e-6)
    per_class = np.array(explanation.per_class_values)
    assert per_class.shape == (2, 3) and per_class[0] == pytest.approx(per_class[1])
    assert explanation.get_ranked_per_class_names()[1][0] == "a"
    assert explanation.get_ranked_global_names()[0] == "a"


def test_a_multiclass_classifier_keeps_one_entry_per_class():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(2)
    frame = pd.DataFrame({"a": rng.normal(size=150), "b": rng.normal(size=150)})
    labels = np.select([frame["a"] > 0.5, frame["a"] < -0.5], ["high", "low"], "mid")
    explanation = TabularExplainer(LogisticRegression().fit(frame, labels), frame).explain_local(frame[:4])
    assert explanation.classes == ["high", "low", "mid"]
    assert np.array(explanation.local_importance_values).shape == (3, 4, 2)
    assert np.array(explanation.per_class_values).shape == (3, 2)


def test_a_stored_binary_explanation_without_its_classes_says_how_to_fix_it(attrition_like):
    from sklearn.linear_model import LogisticRegression

    from modelyard.azureml.interpret._explanation import V1Explanation

    frame, labels = attrition_like
    record = TabularExplainer(LogisticRegression().fit(frame, labels), frame).explain_global(frame).explanation
    with pytest.raises(InvalidInput, match="does not record its classes .*'Yes'.*explain the model again"):
        V1Explanation(record).local_importance_values


def test_a_mimic_explainer_says_its_surrogate_is_not_trained(regression):
    model, frame = regression
    with pytest.warns(V1ArgumentWarning, match="explainable_model=.*LGBMExplainableModel.* no surrogate is trained"):
        mimic = MimicExplainer(model, frame, LGBMExplainableModel, augment_data=False)
    assert mimic.explain_global(frame).get_ranked_global_names() == ["a", "b", "c"]


def test_bad_interpretability_input_is_refused_with_the_fix(regression):
    model, frame = regression
    with pytest.raises(InvalidInput, match="transformations: a list is not supported; pass the fitted .*"
                                           "ColumnTransformer"):
        TabularExplainer(model, frame, transformations=[(["a"], None)])
    with pytest.raises(InvalidInput, match="evaluation_examples has 2 columns but features names 3"):
        TabularExplainer(model, frame, features=["a", "b", "c"]).explain_global(np.zeros((2, 2)))
    with pytest.raises(InvalidInput, match="explanation: a dict is not an explanation"):
        ExplanationClient(run=None).upload_model_explanation({"a": 1.0})
    with pytest.raises(NotImplementedError, match="TabularExplainer.explain_subset_features is not part of"):
        TabularExplainer(model, frame).explain_subset_features

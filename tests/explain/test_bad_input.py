"""Bad input to the explain engine: a clear InvalidInput that names the offending thing and the fix."""

from __future__ import annotations

import pytest

from modelyard.errors import InvalidInput
from modelyard.explain import analyze_errors, assess_fairness, explain_model


@pytest.fixture(scope="module")
def svm_pipeline(hr_xy, fit_pipeline):
    """A classifier with a decision function and no predict_proba."""
    from sklearn.svm import LinearSVC

    X, y = hr_xy
    return fit_pipeline(LinearSVC(), X, y)


def test_data_missing_the_models_columns_names_them(hr, lgbm_pipeline):
    data = hr.drop(columns=["Age", "OverTime"])
    for call in (lambda: explain_model(lgbm_pipeline, data),
                 lambda: assess_fairness(lgbm_pipeline, data, target="Attrition", sensitive=["Gender"]),
                 lambda: analyze_errors(lgbm_pipeline, data, target="Attrition")):
        with pytest.raises(InvalidInput, match=r"lacks the model's column\(s\) 'Age', 'OverTime'"):
            call()


def test_a_sensitive_feature_that_is_not_a_column(hr, lr_pipeline):
    with pytest.raises(InvalidInput, match=r"sensitive feature 'Sex' is not a column of the data; columns are .*Gender"):
        assess_fairness(lr_pipeline, hr, target="Attrition", sensitive=["Gender", "Sex"])


def test_a_continuous_sensitive_feature_needs_bins(hr, lr_pipeline):
    with pytest.raises(InvalidInput, match=r"sensitive feature 'Age' is continuous .*give bins for it, e\.g\. "
                                           r"bins=\{'Age': \["):
        assess_fairness(lr_pipeline, hr, target="Attrition", sensitive=["Age"])
    with pytest.raises(InvalidInput, match=r"bins were given for sensitive feature 'Gender', but its values are"):
        assess_fairness(lr_pipeline, hr, target="Attrition", sensitive=["Gender"], bins={"Gender": [1, 2]})
    with pytest.raises(InvalidInput, match=r"bins for 'Age' must be increasing"):
        assess_fairness(lr_pipeline, hr, target="Attrition", sensitive=["Age"], bins={"Age": [40, 30]})


def test_probability_explanations_need_predict_proba(hr_xy, svm_pipeline):
    X, _ = hr_xy
    with pytest.raises(InvalidInput, match=r"model Pipeline has no predict_proba, so its probabilities cannot be "
                                           r"explained; ask for output='raw'"):
        explain_model(svm_pipeline, X, output="probability")
    with pytest.raises(InvalidInput, match=r"has no predict_proba"):
        assess_fairness(svm_pipeline, X.assign(Attrition="No"), target="Attrition", sensitive=["Gender"])
    explanation = explain_model(svm_pipeline, X, local_rows=5)   # its raw margin is exactly linear
    assert (explanation.method, explanation.model_output) == ("linear", "raw")


def test_exact_methods_refuse_models_they_cannot_read(hr_xy, lr_pipeline, lgbm_pipeline):
    X, _ = hr_xy
    with pytest.raises(InvalidInput, match=r"the tree method needs a tree model .* not LogisticRegression"):
        explain_model(lr_pipeline, X, method="tree")
    with pytest.raises(InvalidInput, match=r"the linear method needs a scikit-learn linear model, not LGBMClassifier"):
        explain_model(lgbm_pipeline, X, method="linear")
    with pytest.raises(InvalidInput, match=r"explanation method 'magic' is unknown"):
        explain_model(lr_pipeline, X, method="magic")
    with pytest.raises(InvalidInput, match=r"for probabilities use method permutation or kernel"):
        explain_model(lgbm_pipeline, X, method="tree", output="probability")


def test_fairness_and_error_analysis_need_the_target_column(hr_xy, lr_pipeline):
    X, _ = hr_xy
    with pytest.raises(InvalidInput, match=r"target column 'Attrition' is not in the data"):
        assess_fairness(lr_pipeline, X, target="Attrition", sensitive=["Gender"])
    with pytest.raises(InvalidInput, match=r"target column 'Attrition' is not in the data"):
        analyze_errors(lr_pipeline, X, target="Attrition")


def test_explanation_options_out_of_range(hr_xy, fit_pipeline, lr_pipeline):
    from sklearn.linear_model import Ridge

    X, _ = hr_xy
    with pytest.raises(InvalidInput, match=r"local_rows must be at least 1, got 0"):
        explain_model(lr_pipeline, X, local_rows=0)
    regressor = fit_pipeline(Ridge(), X.drop(columns=["Age"]), X["Age"])
    with pytest.raises(InvalidInput, match=r"model Pipeline is a regressor: it has no probabilities"):
        explain_model(regressor, X, output="probability")

"""Explanations: additive, equal to shap's own explainers, raw views that are sums of engineered columns."""

from __future__ import annotations

import numpy as np
import pytest

from modelyard.explain import explain_model

ALL_ROWS = 10_000


def _local(explanation, view="engineered", output=0):
    view = getattr(explanation, view).outputs[output]
    return view.base_value, np.asarray(view.contributions)


def _lgbm_margin(model, X):
    *steps, (_, clf) = model.steps
    from sklearn.pipeline import Pipeline

    return clf.predict(Pipeline(steps).transform(X), raw_score=True)


def _automl_inner(model, X):
    """AutoML's final estimator and its input matrix."""
    featurizer, wrapper = model.named_steps["featurize"], model.named_steps["model"]
    return wrapper.estimator_, featurizer.transform(X)


@pytest.mark.parametrize("name", ["lr", "lgbm", "automl_lgbm", "automl_lr"])
def test_base_plus_contributions_is_the_raw_output_for_every_row(name, hr_xy, lr_pipeline, lgbm_pipeline,
                                                                  automl_models):
    X, _ = hr_xy
    if name == "lr":
        model, margin = lr_pipeline, lr_pipeline.decision_function(X)
    elif name == "lgbm":
        model, margin = lgbm_pipeline, _lgbm_margin(lgbm_pipeline, X)
    elif name == "automl_lgbm":
        model = automl_models["LightGBM"]
        inner, matrix = _automl_inner(model, X)
        margin = inner.predict(matrix, raw_score=True)
    else:
        model = automl_models["LogisticRegression"]
        inner, matrix = _automl_inner(model, X)
        margin = inner.decision_function(matrix)
    explanation = explain_model(model, X, local_rows=ALL_ROWS)
    assert explanation.method == ("linear" if name.endswith("lr") else "tree")
    assert explanation.model_output == "log_odds"
    assert explanation.local_rows == list(range(len(X))) and not explanation.sampled
    for view in ("engineered", "raw"):
        base, contributions = _local(explanation, view)
        np.testing.assert_allclose(base + contributions.sum(axis=1), margin, rtol=0, atol=1e-6)


def test_tree_contributions_equal_shap_tree_explainer(hr_xy, lgbm_pipeline):
    import shap

    X, _ = hr_xy
    matrix = lgbm_pipeline[:-1].transform(X)
    reference = shap.TreeExplainer(lgbm_pipeline[-1])
    expected = np.asarray(reference.shap_values(matrix))
    explanation = explain_model(lgbm_pipeline, X, local_rows=ALL_ROWS)
    base, contributions = _local(explanation)
    np.testing.assert_allclose(contributions, expected.reshape(contributions.shape), rtol=0, atol=1e-6)
    assert base == pytest.approx(float(np.ravel(reference.expected_value)[-1]), abs=1e-6)


def test_linear_contributions_equal_shap_linear_explainer(hr_xy, lr_pipeline):
    import shap

    X, _ = hr_xy
    matrix = lr_pipeline[:-1].transform(X)
    matrix = matrix.toarray() if hasattr(matrix, "toarray") else matrix
    # every row as the background (shap's default keeps a 100-row sample of it)
    reference = shap.LinearExplainer(lr_pipeline[-1], shap.maskers.Independent(matrix, max_samples=len(matrix)))
    explanation = explain_model(lr_pipeline, X, local_rows=ALL_ROWS)
    base, contributions = _local(explanation)
    np.testing.assert_allclose(contributions, reference.shap_values(matrix), rtol=0, atol=1e-6)
    assert base == pytest.approx(float(np.ravel(reference.expected_value)[0]), abs=1e-6)


def test_raw_contributions_are_sums_of_their_engineered_columns(hr_xy, lr_pipeline):
    X, _ = hr_xy
    explanation = explain_model(lr_pipeline, X, local_rows=50)
    assert explanation.raw_features["Gender"] == ["cat__Gender_Female", "cat__Gender_Male"]
    assert explanation.raw_features["Age"] == ["num__Age"]
    assert sorted(explanation.raw.features) == sorted(X.columns)
    engineered = dict(zip(explanation.engineered.features, np.asarray(explanation.engineered.outputs[0].contributions).T))
    raw = dict(zip(explanation.raw.features, np.asarray(explanation.raw.outputs[0].contributions).T))
    for column, parts in explanation.raw_features.items():
        np.testing.assert_allclose(raw[column], sum(engineered[p] for p in parts), rtol=0, atol=1e-12)
    first = explanation.local_rows[0]
    row = dict(zip(explanation.raw.features, explanation.raw.data[0]))
    assert row["Gender"] == X["Gender"].iloc[first] and row["Age"] == X["Age"].iloc[first]


def test_automl_featurizer_columns_trace_back_to_raw_columns(hr_xy, automl_models):
    X, _ = hr_xy
    explanation = explain_model(automl_models["LightGBM"], X, local_rows=20)
    assert sorted(explanation.raw.features) == sorted(X.columns)
    assert len(explanation.raw_features["OverTime"]) == 2      # one-hot 'No', 'Yes'
    assert sum(map(len, explanation.raw_features.values())) == len(explanation.engineered.features)
    importance = dict(zip(explanation.raw.features, explanation.raw.outputs[0].global_importance))
    assert max(importance, key=importance.get) in ("OverTime", "MonthlyIncome", "StockOptionLevel", "Age")


def test_local_rows_are_a_sample_while_global_importance_uses_every_row(hr_xy, lgbm_pipeline):
    X, _ = hr_xy
    full = explain_model(lgbm_pipeline, X, local_rows=ALL_ROWS)
    sampled = explain_model(lgbm_pipeline, X, local_rows=100)
    assert sampled.sampled and len(sampled.local_rows) == 100 and sampled.rows_evaluated == len(X)
    np.testing.assert_allclose(sampled.engineered.outputs[0].global_importance,
                               full.engineered.outputs[0].global_importance, rtol=1e-12)
    contributions = np.asarray(full.engineered.outputs[0].contributions)[sampled.local_rows]
    np.testing.assert_allclose(np.asarray(sampled.engineered.outputs[0].contributions), contributions, rtol=1e-12)


def test_a_time_bound_explains_a_seeded_sample_of_rows_with_the_same_values(hr_xy, lgbm_pipeline):
    from modelyard.explain._explain import FIRST_EXACT_ROWS

    X, _ = hr_xy
    full = explain_model(lgbm_pipeline, X, local_rows=ALL_ROWS)
    bounded = explain_model(lgbm_pipeline, X, local_rows=ALL_ROWS, max_seconds=0.0)  # only the rows timed first
    assert bounded.rows_evaluated == FIRST_EXACT_ROWS < len(X) and bounded.sampled
    assert bounded.local_rows == sorted(bounded.local_rows) and len(set(bounded.local_rows)) == FIRST_EXACT_ROWS
    assert bounded.local_rows != list(range(FIRST_EXACT_ROWS)), "a sample from the whole table, not its head"
    contributions = np.asarray(full.engineered.outputs[0].contributions)[bounded.local_rows]
    np.testing.assert_allclose(np.asarray(bounded.engineered.outputs[0].contributions), contributions, rtol=1e-12)
    assert bounded == explain_model(lgbm_pipeline, X, local_rows=ALL_ROWS, max_seconds=0.0), "seeded"
    roomy = explain_model(lgbm_pipeline, X, local_rows=ALL_ROWS, max_seconds=600)
    assert roomy.rows_evaluated == len(X) and roomy.local_rows == list(range(len(X)))
    np.testing.assert_allclose(np.asarray(roomy.engineered.outputs[0].contributions),
                               np.asarray(full.engineered.outputs[0].contributions), rtol=1e-12)


def test_a_time_bound_shortens_a_model_agnostic_explanation_to_the_rows_timed_first(hr_xy, automl_models):
    from modelyard.explain._explain import FIRST_AGNOSTIC_ROWS

    X, _ = hr_xy
    model = automl_models["VotingEnsemble"]
    bounded = explain_model(model, X, agnostic_rows=12, background_rows=15, max_seconds=0.0)
    assert bounded.method == "permutation" and bounded.rows_evaluated == len(bounded.local_rows) == FIRST_AGNOSTIC_ROWS
    base, contributions = _local(bounded, "raw")
    positive = model.predict_proba(X.iloc[bounded.local_rows])[:, 1]
    np.testing.assert_allclose(base + contributions.sum(axis=1), positive, rtol=0, atol=1e-9)


def test_each_phase_is_timed_when_the_caller_records_them(hr_xy, lgbm_pipeline):
    from modelyard._phases import recording

    X, _ = hr_xy
    unrecorded = explain_model(lgbm_pipeline, X, local_rows=50)
    with recording() as phases:
        recorded = explain_model(lgbm_pipeline, X, local_rows=50)
    assert list(phases) == ["transform", "contributions", "engineered_view", "raw_view"]
    assert all(spent["wall"] >= 0 and spent["cpu"] >= 0 for spent in phases.values())
    assert recorded == unrecorded, "recording changes nothing in the result"


def test_dependence_data_pairs_top_raw_features_with_their_contributions(hr_xy, lgbm_pipeline):
    X, _ = hr_xy
    explanation = explain_model(lgbm_pipeline, X, local_rows=200, top_features=3)
    importance = np.asarray(explanation.raw.outputs[0].global_importance)
    top = [explanation.raw.features[j] for j in np.argsort(-importance)[:3]]
    assert [d.feature for d in explanation.raw.dependence] == top
    for dependence in explanation.raw.dependence:
        j = explanation.raw.features.index(dependence.feature)
        assert dependence.values == X[dependence.feature].iloc[explanation.local_rows].tolist()
        assert dependence.contributions == [row[j] for row in explanation.raw.outputs[0].contributions]


def test_multiclass_models_are_explained_per_class(multiclass_lgbm):
    model, X, y = multiclass_lgbm
    explanation = explain_model(model, X, local_rows=ALL_ROWS)
    margins = _lgbm_margin(model, X)
    assert [o.output for o in explanation.raw.outputs] == sorted(y.unique()) == ["Divorced", "Married", "Single"]
    for k, output in enumerate(explanation.raw.outputs):
        contributions = np.asarray(output.contributions)
        np.testing.assert_allclose(output.base_value + contributions.sum(axis=1), margins[:, k], rtol=0, atol=1e-6)
    assert {d.output for d in explanation.raw.dependence} == set(y.unique())


def test_ensembles_get_model_agnostic_probability_explanations(hr_xy, automl_models):
    X, _ = hr_xy
    model = automl_models["VotingEnsemble"]
    explanation = explain_model(model, X, agnostic_rows=12, background_rows=15)
    assert explanation.method == "permutation" and explanation.model_output == "probability"
    assert explanation.rows_evaluated == len(explanation.local_rows) == 12 and explanation.background_rows == 15
    base, contributions = _local(explanation, "raw")
    positive = model.predict_proba(X.iloc[explanation.local_rows])[:, 1]
    np.testing.assert_allclose(base + contributions.sum(axis=1), positive, rtol=0, atol=1e-9)


def test_kernel_shap_explains_probabilities_on_request(hr_xy, lr_pipeline):
    X, _ = hr_xy
    explanation = explain_model(lr_pipeline, X, method="kernel", output="probability", agnostic_rows=3,
                                background_rows=10)
    assert explanation.method == "kernel" and explanation.model_output == "probability"
    base, contributions = _local(explanation)
    positive = lr_pipeline.predict_proba(X.iloc[explanation.local_rows])[:, 1]
    np.testing.assert_allclose(base + contributions.sum(axis=1), positive, rtol=0, atol=1e-6)


@pytest.mark.parametrize("kind", ["XGBoost", "RandomForest", "ExtraTrees", "GradientBoosting", "HistGradientBoosting"])
def test_every_tree_kind_is_additive_in_its_documented_output(kind, hr_xy, fit_pipeline):
    import xgboost as xgb
    from sklearn import ensemble
    from sklearn.base import clone

    X, y = hr_xy
    X, y = X.head(300), (y.head(300) == "Yes").astype(int)
    estimator = {"XGBoost": xgb.XGBClassifier(n_estimators=20, max_depth=4, n_jobs=1),
                 "RandomForest": ensemble.RandomForestClassifier(n_estimators=10, max_depth=5, random_state=0),
                 "ExtraTrees": ensemble.ExtraTreesClassifier(n_estimators=10, max_depth=5, random_state=0),
                 "GradientBoosting": ensemble.GradientBoostingClassifier(n_estimators=10, random_state=0),
                 "HistGradientBoosting": ensemble.HistGradientBoostingClassifier(max_iter=20, random_state=0)}[kind]
    model = fit_pipeline(clone(estimator), X, y)
    explanation = explain_model(model, X, local_rows=ALL_ROWS)
    base, contributions = _local(explanation, "raw")
    matrix, clf = model[:-1].transform(X), model[-1]
    expected = {"probability": lambda: clf.predict_proba(matrix)[:, 1],
                "log_odds": lambda: clf.predict(matrix, output_margin=True) if kind == "XGBoost"
                else clf.decision_function(matrix)}[explanation.model_output]()
    assert explanation.method == "tree"
    assert explanation.model_output == ("probability" if kind in ("RandomForest", "ExtraTrees") else "log_odds")
    # XGBoost computes in float32
    np.testing.assert_allclose(base + contributions.sum(axis=1), expected, rtol=0,
                               atol=1e-5 if kind == "XGBoost" else 1e-9)


def test_hist_gradient_boosting_with_categorical_splits_takes_the_agnostic_path():
    """shap's TreeExplainer reads HistGradientBoosting's categorical splits wrongly (its sums miss the output)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from modelyard.explain import _methods

    rng = np.random.RandomState(0)
    X = np.c_[rng.randn(200, 2), rng.randint(0, 4, (200, 1))]
    y = (X[:, 0] + (X[:, 2] == 2) > 0.5).astype(int)
    assert _methods.is_tree(HistGradientBoostingClassifier(max_iter=10).fit(X, y))
    assert not _methods.is_tree(HistGradientBoostingClassifier(max_iter=10, categorical_features=[2]).fit(X, y))


def test_multiclass_linear_models_are_explained_per_class_on_the_decision_function(multiclass_lgbm, fit_pipeline):
    from sklearn.linear_model import LogisticRegression

    _, X, y = multiclass_lgbm
    model = fit_pipeline(LogisticRegression(max_iter=2000), X, y)
    explanation = explain_model(model, X, local_rows=ALL_ROWS)
    assert (explanation.method, [o.output for o in explanation.raw.outputs]) == ("linear", sorted(y.unique()))
    margins = model.decision_function(X)
    for k, output in enumerate(explanation.raw.outputs):
        np.testing.assert_allclose(output.base_value + np.asarray(output.contributions).sum(axis=1), margins[:, k],
                                   rtol=0, atol=1e-6)


@pytest.mark.parametrize("kind", ["Ridge", "LightGBM"])
def test_regressors_are_explained_on_their_prediction(kind, hr_xy, fit_pipeline):
    from lightgbm import LGBMRegressor
    from sklearn.linear_model import Ridge

    X, _ = hr_xy
    y = X["MonthlyIncome"]
    X = X.drop(columns=["MonthlyIncome"])
    estimator = Ridge() if kind == "Ridge" else LGBMRegressor(n_estimators=30, verbose=-1, n_jobs=1)
    model = fit_pipeline(estimator, X, y)
    explanation = explain_model(model, X, local_rows=ALL_ROWS)
    assert explanation.method == ("linear" if kind == "Ridge" else "tree")
    assert explanation.model_output == ("prediction" if kind == "Ridge" else "raw")
    (output,) = explanation.raw.outputs
    assert output.output == "prediction"
    np.testing.assert_allclose(output.base_value + np.asarray(output.contributions).sum(axis=1), model.predict(X),
                               rtol=0, atol=1e-6)


def test_automl_text_columns_trace_back_through_their_tfidf_terms(hr_xy):
    from modelyard.automl._featurize import build_featurizer, plan_columns
    from modelyard.automl._model import final_pipeline
    from modelyard.spec.automl import AutoMLJob

    from .conftest import lgbm

    X, y = hr_xy
    words = np.array("good bad team manager travel pay late hours growth boring".split())
    X = X.assign(Comment=[" ".join(np.random.default_rng(i).choice(words, 5)) for i in range(len(X))])
    featurization = AutoMLJob(task="classification", training_data="t.csv", target_column_name="y").featurization
    target = (y == "Yes").astype(int)
    featurizer = build_featurizer(plan_columns(X, featurization, "classification"), "classification").fit(X, target)
    tree = lgbm().fit(featurizer.transform(X), target)
    model = final_pipeline(featurizer, "classification", ["No", "Yes"], "LightGBM", [tree])
    explanation = explain_model(model, X.head(200), local_rows=ALL_ROWS)
    terms = explanation.raw_features["Comment"]
    assert len(terms) > 10 and "text:Comment__Comment_good" in terms
    assert len(set(explanation.engineered.features)) == len(explanation.engineered.features)
    engineered = dict(zip(explanation.engineered.features, np.asarray(explanation.engineered.outputs[0].contributions).T))
    comment = np.asarray(explanation.raw.outputs[0].contributions)[:, explanation.raw.features.index("Comment")]
    np.testing.assert_allclose(comment, sum(engineered[t] for t in terms), rtol=0, atol=1e-12)

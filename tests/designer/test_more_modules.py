"""Clustering, Summarize Data, Permutation Feature Importance, One-vs-All, Web Service Input/Output."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn import metrics
from sklearn.cluster import KMeans
from sklearn.preprocessing import MinMaxScaler

from modelyard.designer import run_module

from tests.designer.conftest import train_and_score

NUMERICS = ["Age", "MonthlyIncome", "TotalWorkingYears"]


def test_k_means_equals_scikit_learn_on_min_max_scaled_columns(hr):
    learner = run_module("k_means_clustering", parameters={"number_of_centroids": 3, "random_number_seed": 7})
    model, rows = run_module("train_clustering_model", {"untrained_model": learner["untrained_model"], "dataset": hr},
                             {"column_set": NUMERICS}).values()
    scaled = MinMaxScaler().fit_transform(hr[NUMERICS])
    expected = KMeans(3, random_state=7).fit(scaled)
    assert metrics.adjusted_rand_score(rows["Assignments"], expected.labels_) == pytest.approx(1.0)
    assert np.allclose(rows[[f"DistancesToClusterCenter no.{i}" for i in range(3)]].to_numpy(),
                       expected.transform(scaled))
    assigned = run_module("assign_data_to_clusters", {"trained_model": model, "dataset": hr.head(50)},
                          {"check_for_append_or_uncheck_for_result_only": False})["results_dataset"]
    assert list(assigned.columns[:1]) == ["Assignments"]
    assert assigned["Assignments"].tolist() == rows["Assignments"].head(50).tolist()
    assert model.predict(hr.head(50)).tolist() == assigned["Assignments"].tolist()  # what a deployment answers


def test_clustering_and_supervised_modules_refuse_each_others_models(hr, workshop):
    learner = run_module("k_means_clustering")["untrained_model"]
    with pytest.raises(Exception, match="Train Model: K-Means Clustering learns without a label; train it with "
                                        "Train Clustering Model"):
        run_module("train_model", {"untrained_model": learner, "dataset": hr}, {"label_column": "Attrition"})
    with pytest.raises(Exception, match="Train Clustering Model: Two-Class Logistic Regression is not a clustering"):
        run_module("train_clustering_model", {"untrained_model": workshop["learner"], "dataset": hr})


def test_summarize_data_equals_pandas_and_scipy(hr):
    summary = run_module("summarize_data", {"dataset": hr})["result_dataset"].set_index("Feature")
    age = hr["Age"]
    row = summary.loc["Age"]
    assert (row["Count"], row["Unique Value Count"], row["Missing Value Count"]) == (1470, age.nunique(), 0)
    assert row["Mean"] == pytest.approx(age.mean()) and row["Median"] == age.median()
    assert row["Sample Standard Deviation"] == pytest.approx(np.std(age, ddof=1))
    assert row["Sample Skewness"] == pytest.approx(stats.skew(age, bias=False))
    assert row["Sample Kurtosis"] == pytest.approx(stats.kurtosis(age, bias=False))
    assert row["P99.5"] == pytest.approx(np.percentile(age, 99.5))
    assert row["Mean Deviation"] == pytest.approx(np.mean(np.abs(age - age.mean())))
    text = summary.loc["Department"]
    assert text["Mode"] == hr["Department"].mode()[0] and np.isnan(text["Mean"])


def test_permutation_importance_is_the_metric_drop_when_one_feature_is_shuffled(workshop):
    model, test = workshop["model"], workshop["test"]
    table = run_module("permutation_feature_importance", {"trained_model": model, "test_data": test},
                       {"random_seed": 3, "metric_for_measuring_performance": "Accuracy"})["feature_importance"]
    assert len(table) == len(model.feature_columns) and list(table["Score"]) == sorted(table["Score"], reverse=True)
    truth = test["Attrition"]
    base = metrics.accuracy_score(truth, model.predict(test))
    rng = np.random.default_rng(3)
    for name in model.feature_columns:   # recomputed with scikit-learn, in the documented shuffle order
        shuffled = test.copy()
        shuffled[name] = test[name].to_numpy()[rng.permutation(len(test))]
        expected = base - metrics.accuracy_score(truth, model.predict(shuffled))
        assert table.set_index("Feature").loc[name, "Score"] == pytest.approx(expected, abs=1e-12), name
    assert table.iloc[0]["Score"] > 0


def test_one_vs_all_trains_one_binary_model_per_class(workshop):
    multi = run_module("one_vs_all_multiclass", {"untrained_binary_classification_model": workshop["learner"]})
    model, scored = train_and_score(multi["untrained_model"], workshop["train"], workshop["test"], "Department")
    assert len(model.estimator.named_steps["learner"].estimators_) == 3
    assert set(scored["Scored Labels"]) <= set(workshop["train"]["Department"])


@pytest.mark.parametrize("learner", ["two_class_support_vector_machine", "two_class_averaged_perceptron"])
def test_linear_classifiers_give_calibrated_probabilities(workshop, learner):
    _, scored = train_and_score(learner, workshop["train"], workshop["test"], "Attrition")
    result = run_module("evaluate_model", {"scored_dataset": scored})["evaluation_results"]["left"]["metrics"]
    assert result["AUC"] > 0.7


def test_web_service_input_and_output_pass_rows_through(hr):
    rows = hr.head(3)
    assert run_module("web_service_input", {"dataset": rows})["output"] is rows
    assert run_module("web_service_output", {"dataset": rows})["output"] is rows
    with pytest.raises(Exception, match="Web Service Input: no rows"):
        run_module("web_service_input", {})


def test_smote_adds_minority_rows_on_segments_to_the_nearest_neighbour(hr):
    from scipy.spatial.distance import cdist

    out = run_module("smote", {"samples": hr}, {"label_column": "Attrition", "smote_percentage": 200,
                                                "random_seed": 4})["table"]
    minority = hr[hr["Attrition"] == "Yes"]
    assert len(out) == len(hr) + 2 * len(minority)
    assert out.head(len(hr)).reset_index(drop=True).equals(hr.reset_index(drop=True).astype(out.dtypes.to_dict()))
    new = out.iloc[len(hr):]
    assert (new["Attrition"] == "Yes").all()
    numeric = [c for c in hr.columns if pd.api.types.is_numeric_dtype(hr[c])]
    values = minority[numeric].to_numpy(float)
    spread = np.ptp(values, axis=0)
    scaled = (values - values.min(axis=0)) / np.where(spread > 0, spread, 1)
    distances = cdist(scaled, scaled)
    np.fill_diagonal(distances, np.inf)
    nearest = distances.argmin(axis=1)
    sources = np.repeat(np.arange(len(minority)), 2)
    for i, source in enumerate(sources[:60]):
        x, neighbour, made = values[source], values[nearest[source]], new[numeric].to_numpy(float)[i]
        step = (made - x)[neighbour != x] / (neighbour - x)[neighbour != x]
        assert np.allclose(step, step[0]) and 0 <= step[0] < 1
        assert new.iloc[i]["JobRole"] == minority.iloc[source]["JobRole"]


def test_smote_refuses_a_percentage_that_is_not_a_multiple_of_100(hr):
    with pytest.raises(Exception, match="SMOTE: SMOTE percentage 150 is not a multiple of 100"):
        run_module("smote", {"samples": hr}, {"label_column": "Attrition", "smote_percentage": 150})


def test_poisson_regression_without_l1_equals_scikit_learn(workshop):
    """Azure's sum-of-losses objective with L2 is scikit-learn's mean-deviance one with alpha = L2 / rows."""
    from sklearn.linear_model import PoissonRegressor

    learner = run_module("poisson_regression", parameters={"l1_regularization_weight": 0, "l2_regularization_weight": 2,
                                                           "optimization_tolerance": 1e-14})["untrained_model"]
    model, scored = train_and_score(learner, workshop["train"], workshop["test"], "NumCompaniesWorked")
    featurize = model.estimator.named_steps["featurize"]
    X = featurize.transform(workshop["train"].drop(columns="NumCompaniesWorked"))
    y = workshop["train"]["NumCompaniesWorked"]
    reference = PoissonRegressor(alpha=2 / len(y), tol=1e-10, max_iter=10000).fit(X, y)
    ours = model.estimator.named_steps["learner"]
    assert np.allclose(ours.coef_, reference.coef_, atol=1e-4) and ours.intercept_ == pytest.approx(
        reference.intercept_, abs=1e-4)
    assert (scored["Scored Labels"] > 0).all()


def test_poisson_regression_with_l1_zeroes_weak_weights(workshop):
    strong = run_module("poisson_regression", parameters={"l1_regularization_weight": 50})["untrained_model"]
    model, _ = train_and_score(strong, workshop["train"], workshop["test"], "NumCompaniesWorked")
    coef = model.estimator.named_steps["learner"].coef_
    weak = run_module("poisson_regression", parameters={"l1_regularization_weight": 0})["untrained_model"]
    plain, _ = train_and_score(weak, workshop["train"], workshop["test"], "NumCompaniesWorked")
    assert (np.abs(coef) < 1e-8).sum() > (np.abs(plain.estimator.named_steps["learner"].coef_) < 1e-8).sum()


def test_poisson_regression_refuses_negative_counts(workshop):
    rows = workshop["train"].assign(NumCompaniesWorked=lambda f: f["NumCompaniesWorked"] - 5)
    learner = run_module("poisson_regression")["untrained_model"]
    with pytest.raises(Exception, match="Train Model: Poisson Regression predicts counts, but the label has negative"):
        train_and_score(learner, rows, workshop["test"], "NumCompaniesWorked")

"""The workshop's Designer path on the HR data, checked against independent computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics

from modelyard.designer import run_module

from tests.designer.conftest import WORKSHOP_DROPPED, train_and_score


def test_select_columns_drops_the_four_columns_and_keeps_the_order(hr, workshop):
    assert list(workshop["selected"].columns) == [c for c in hr.columns if c not in WORKSHOP_DROPPED]


def test_split_sends_seventy_percent_left(workshop):
    assert (len(workshop["train"]), len(workshop["test"])) == (1029, 441)  # round(0.7 * 1470) = 1029
    assert set(workshop["train"].index).isdisjoint(workshop["test"].index)


def test_score_model_appends_azures_columns(workshop):
    scored = workshop["scored"]
    assert list(scored.columns[-2:]) == ["Scored Labels", "Scored Probabilities"]
    assert set(scored["Scored Labels"]) <= {"No", "Yes"}
    probability = scored["Scored Probabilities"]
    assert ((probability >= 0) & (probability <= 1)).all()
    # the label is the positive class ("Yes") exactly when its probability is the larger one
    assert ((probability > 0.5) == (scored["Scored Labels"] == "Yes")).all()


def test_the_model_is_sane_on_held_out_rows(workshop):
    left = workshop["evaluation"]["left"]
    assert left["positive_class"] == "Yes"
    assert 0.75 < left["metrics"]["AUC"] < 0.97
    assert left["metrics"]["Accuracy"] > (workshop["test"]["Attrition"] == "No").mean()  # beats "always No"


def test_evaluate_model_equals_scikit_learn(workshop):
    scored, left = workshop["scored"], workshop["evaluation"]["left"]
    truth = (scored["Attrition"] == "Yes").astype(int)
    p = scored["Scored Probabilities"]
    predicted = (p >= 0.5).astype(int)
    expected = {"Accuracy": metrics.accuracy_score(truth, predicted),
                "Precision": metrics.precision_score(truth, predicted),
                "Recall": metrics.recall_score(truth, predicted), "F1 Score": metrics.f1_score(truth, predicted),
                "AUC": metrics.roc_auc_score(truth, p), "Average Log Loss": metrics.log_loss(truth, p)}
    assert left["metrics"] == pytest.approx(expected, abs=1e-12)
    assert left["confusion_matrix"] == metrics.confusion_matrix(truth, predicted).tolist()
    roc = left["roc"]
    assert len(roc["false_positive_rate"]) <= 101
    assert roc["false_positive_rate"][0] == 0 and roc["true_positive_rate"][-1] == 1
    lift = left["lift"]
    assert lift["depth"][-1] == pytest.approx(1.0) and lift["true_positives"][-1] == truth.sum()


def test_a_threshold_moves_the_confusion_matrix(workshop):
    scored = workshop["scored"]
    result = run_module("evaluate_model", {"scored_dataset": scored}, {"threshold": "0.2"})["evaluation_results"]
    predicted = (scored["Scored Probabilities"] >= 0.2).astype(int)
    truth = (scored["Attrition"] == "Yes").astype(int)
    assert result["left"]["confusion_matrix"] == metrics.confusion_matrix(truth, predicted).tolist()
    assert result["left"]["metrics"]["AUC"] == workshop["evaluation"]["left"]["metrics"]["AUC"]


def test_two_scored_inputs_side_by_side(workshop):
    _, scored = train_and_score("two_class_decision_forest", workshop["train"], workshop["test"], "Attrition")
    both = run_module("evaluate_model", {"scored_dataset": workshop["scored"],
                                         "scored_dataset_to_compare": scored})["evaluation_results"]
    assert both["left"] == workshop["evaluation"]["left"]
    truth = (scored["Attrition"] == "Yes").astype(int)
    assert both["right"]["metrics"]["AUC"] == pytest.approx(metrics.roc_auc_score(truth, scored["Scored Probabilities"]))


def test_logistic_regression_maps_azures_regularization(workshop):
    """Azure's objective loss + L1|w| + L2/2|w|^2 is scikit-learn's with C = 1/(L1+L2), l1_ratio = L1/(L1+L2)."""
    estimator = workshop["model"].estimator.named_steps["learner"]
    assert estimator.C == pytest.approx(0.5) and estimator.l1_ratio == pytest.approx(0.5)
    ridge = run_module("two_class_logistic_regression", parameters={"l1_regularization_weight": 0,
                                                                     "l2_regularization_weight": 4})
    built = ridge["untrained_model"].estimator()
    assert (built.C, built.l1_ratio) == (0.25, 0.0)


def test_the_trained_model_saves_as_an_mlflow_model_that_predicts_the_same(workshop, tmp_path):
    import mlflow.pyfunc
    import mlflow.sklearn

    model, test = workshop["model"], workshop["test"]
    model.save(tmp_path / "model", input_example=test)
    loaded = mlflow.sklearn.load_model(str(tmp_path / "model"))
    raw = test.drop(columns="Attrition")
    assert np.allclose(loaded.predict_proba(raw)[:, 1], workshop["scored"]["Scored Probabilities"])
    pyfunc = mlflow.pyfunc.load_model(str(tmp_path / "model"))
    assert list(pyfunc.predict(raw.head(20))) == list(workshop["scored"]["Scored Labels"].head(20))


def test_fitted_transformations_chain_in_front_of_the_model(workshop, tmp_path):
    """Train on normalized rows; the model with the normalizer in front scores raw rows the same way."""
    import mlflow.sklearn

    normalized, normalizer = run_module("normalize_data", {"dataset": workshop["train"]}).values()
    model = run_module("train_model", {"untrained_model": workshop["learner"], "dataset": normalized},
                       {"label_column": "Attrition"})["trained_model"]
    test_normalized = run_module("apply_transformation", {"transformation": normalizer,
                                                          "dataset": workshop["test"]})["transformed_dataset"]
    expected = run_module("score_model", {"trained_model": model, "dataset": test_normalized})["scored_dataset"]
    inference = model.with_transformations(normalizer)
    inference.save(tmp_path / "inference")
    loaded = mlflow.sklearn.load_model(str(tmp_path / "inference"))
    assert np.allclose(loaded.predict_proba(workshop["test"])[:, 1], expected["Scored Probabilities"])
    assert list(loaded.predict(workshop["test"])) == list(expected["Scored Labels"])


def test_a_model_scores_rows_missing_a_feature_with_a_clear_error(workshop):
    rows = workshop["test"].drop(columns=["Age"])
    with pytest.raises(Exception, match=r"Score Model: the model was trained on columns the data lacks: Age"):
        run_module("score_model", {"trained_model": workshop["model"], "dataset": rows})


def test_train_model_refuses_missing_values_and_names_the_fix(workshop):
    rows = workshop["train"].copy()
    rows.loc[rows.index[:3], "MonthlyIncome"] = np.nan
    with pytest.raises(Exception, match="Train Model: columns MonthlyIncome have missing values; clean them first "
                                        "with Clean Missing Data"):
        run_module("train_model", {"untrained_model": workshop["learner"], "dataset": rows},
                   {"label_column": "Attrition"})


def test_a_two_class_learner_refuses_a_three_class_label(workshop):
    with pytest.raises(Exception, match="learns two classes, but label column 'Department' has 3; use the Multiclass"):
        run_module("train_model", {"untrained_model": workshop["learner"], "dataset": workshop["train"]},
                   {"label_column": "Department"})


@pytest.mark.parametrize("learner", ["multiclass_logistic_regression", "multiclass_boosted_decision_tree"])
def test_multiclass_learners_score_every_class(workshop, learner):
    _, scored = train_and_score(learner, workshop["train"], workshop["test"], "Department")
    classes = sorted(workshop["train"]["Department"].unique())
    probabilities = scored[[f"Scored Probabilities_{c}" for c in classes]]
    assert np.allclose(probabilities.sum(axis=1), 1)
    result = run_module("evaluate_model", {"scored_dataset": scored})["evaluation_results"]["left"]
    assert result["metrics"]["Overall Accuracy"] == pytest.approx(
        metrics.accuracy_score(scored["Department"], scored["Scored Labels"]))
    assert result["metrics"]["Macro Recall"] == pytest.approx(
        metrics.recall_score(scored["Department"], scored["Scored Labels"], average="macro"))
    assert np.asarray(result["confusion_matrix"]).sum() == len(scored)


@pytest.mark.parametrize("learner", ["linear_regression", "boosted_decision_tree_regression",
                                     "decision_forest_regression"])
def test_regression_metrics_equal_the_formulas(workshop, learner):
    _, scored = train_and_score(learner, workshop["train"], workshop["test"], "MonthlyIncome")
    y, yhat = scored["MonthlyIncome"].to_numpy(float), scored["Scored Labels"].to_numpy(float)
    found = run_module("evaluate_model", {"scored_dataset": scored})["evaluation_results"]["left"]["metrics"]
    assert found["Mean Absolute Error"] == pytest.approx(metrics.mean_absolute_error(y, yhat))
    assert found["Root Mean Squared Error"] == pytest.approx(metrics.root_mean_squared_error(y, yhat))
    assert found["Coefficient of Determination"] == pytest.approx(metrics.r2_score(y, yhat))
    assert found["Relative Absolute Error"] == pytest.approx(np.abs(y - yhat).sum() / np.abs(y - y.mean()).sum())
    assert found["Relative Squared Error"] == pytest.approx(((y - yhat) ** 2).sum() / ((y - y.mean()) ** 2).sum())
    assert found["Coefficient of Determination"] > 0.8  # JobLevel explains most of MonthlyIncome


def test_scored_frames_keep_their_score_metadata_through_parquet(workshop, tmp_path):
    path = tmp_path / "scored.parquet"
    workshop["scored"].to_parquet(path)
    again = pd.read_parquet(path)
    assert run_module("evaluate_model", {"scored_dataset": again})["evaluation_results"] == workshop["evaluation"]


def test_rows_with_missing_features_are_refused_at_scoring(workshop):
    rows = workshop["test"].copy()
    rows.loc[rows.index[:2], "MonthlyIncome"] = np.nan
    with pytest.raises(Exception, match="Score Model: the model cannot score these rows: .*NaN"):
        run_module("score_model", {"trained_model": workshop["model"], "dataset": rows})


def test_evaluating_rows_of_one_class_says_why_it_cannot(workshop):
    only_no = workshop["scored"][workshop["scored"]["Attrition"] == "No"]
    with pytest.raises(Exception, match="Evaluate Model: the scored rows hold one class of 'Attrition' only"):
        run_module("evaluate_model", {"scored_dataset": only_no})


def test_table_modules_chain_in_front_of_a_model_as_steps(workshop, hr, tmp_path):
    """The inference pipeline's model: Select Columns and a math step in front, raw request rows in."""
    import mlflow.pyfunc

    from modelyard.designer import ModuleStep

    from tests.designer.conftest import WORKSHOP_SELECTION

    math = {"category": "Basic", "basic_math_function": "Ln", "column_set": ["MonthlyIncome"], "output_mode": "Inplace"}
    train = run_module("apply_math_operation", {"dataset": workshop["train"]}, math)["results_dataset"]
    test = run_module("apply_math_operation", {"dataset": workshop["test"]}, math)["results_dataset"]
    model, expected = train_and_score(workshop["learner"], train, test, "Attrition")
    select = ModuleStep("select_columns_in_dataset", {"select_columns": WORKSHOP_SELECTION})
    inference = model.with_transformations(select,
                                           ModuleStep("apply_math_operation", math))
    inference.save(tmp_path / "inference")
    request = hr.loc[workshop["test"].index].drop(columns="Attrition")  # all 34 raw columns, as a client sends them
    pyfunc = mlflow.pyfunc.load_model(str(tmp_path / "inference"))
    assert list(pyfunc.predict(request)) == list(expected["Scored Labels"])

"""AutoML models on the compiled path: every featurizer part and every final step AutoML builds,
equal to the model (predictions exact, probabilities to 1e-6) on the HR rows and on edge cases,
and the batch that the compiled path cannot score going through the model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modelyard.automl import _estimators, _featurize, save_model
from modelyard.automl._ensemble import make_meta
from modelyard.automl._model import (SingleModel, SingleRegressor, StackModel, VotingModel, pipeline,
                                     stack_features)
from modelyard.serving import load_model
from modelyard.serving._compiled import Fallback
from modelyard.spec.automl import Featurization

CLASSES = ["No", "Yes"]
HASHED = {"hash_one_hot_encoder": [{"fields": ["Department"], "parameters": {"number_of_bits": 4}}]}
SMALL = {"n_estimators": 40}  # tree models: fewer trees than AutoML's defaults, same code


@pytest.fixture(scope="session")
def table(hr_csv) -> pd.DataFrame:
    """HR plus a column for each featurizer part HR lacks: missing numbers, a high-cardinality
    category (target encoded), a date (calendar parts), free text (TF-IDF); Department is hashed."""
    hr = pd.read_csv(hr_csv, encoding="utf-8-sig")
    rng = np.random.default_rng(0)
    hr["Bonus"] = (hr["MonthlyIncome"] * rng.uniform(0, 0.2, len(hr))).round(2)
    hr.loc[rng.choice(np.arange(10, len(hr)), 150, replace=False), "Bonus"] = np.nan  # the first rows are the example
    hr["Team"] = hr["JobRole"] + "/" + hr["EducationField"] + "/" + hr["Gender"]
    hired = pd.Timestamp("2024-06-30") - pd.to_timedelta(hr["YearsAtCompany"] * 365 + hr["DailyRate"] % 300, unit="D")
    hr["HireDate"] = hired.dt.strftime("%Y-%m-%d")
    hr["Notes"] = "works as " + hr["JobRole"] + " for " + hr["YearsAtCompany"].astype(str) + " years"
    return hr


@pytest.fixture(scope="session")
def featurized(table):
    features = table.drop(columns=["Attrition", "MonthlyIncome"])
    y_class = (table["Attrition"] == "Yes").to_numpy(dtype=int)
    plans = _featurize.plan_columns(features, Featurization(transformer_params=HASHED), "classification")
    purposes = {p.column: (p.purpose, p.encoding) for p in plans}
    assert purposes["Team"] == ("Categorical", "target") and purposes["Department"] == ("Categorical", "hash")
    assert purposes["HireDate"][0] == "DateTime" and purposes["Notes"][0] == "Text"
    featurizer = _featurize.build_featurizer(plans, "classification")
    X = featurizer.fit_transform(features, y_class)
    return features, featurizer, X, y_class, table["MonthlyIncome"].to_numpy(dtype=float)


def _fitted(algorithm, X, y, task="classification", **params):
    n_classes = 2 if task == "classification" else 1
    chosen = {**_estimators.defaults(algorithm, task, len(X), X.shape[1], n_classes)[0], **params}
    return _estimators.fit_any(algorithm, chosen, task, n_classes, 1, X, y)


def _scorer(model, features, tmp_path):
    scorer = load_model(save_model(model, tmp_path / "model", features))
    assert scorer.compiled is not None, scorer.compile_note
    return scorer


def _assert_same(scorer, columns):
    want = np.asarray(scorer.score_model(columns, "predict"))
    assert np.array_equal(np.asarray(scorer.compiled.predict(columns)), want)
    if scorer.has_proba:
        got = scorer.compiled.predict_proba(columns)
        np.testing.assert_allclose(got, scorer.score_model(columns, "predict_proba"), rtol=0, atol=1e-6)


def _columns(scorer, frame) -> dict[str, list]:
    parsed = scorer.parse({"data": frame.to_dict(orient="records")})
    return parsed.columns


def _edge_cases(scorer, features) -> dict[str, list]:
    """Unseen categories everywhere, missing values in numeric and categorical columns."""
    frame = features.head(6).copy()
    columns = _columns(scorer, frame)
    columns["BusinessTravel"][0] = "Teleports"       # one-hot: unseen -> no column set
    columns["Team"][1] = "Astronaut/Space/Other"     # target encoding: unseen -> the target mean
    columns["Department"][2] = "Moon Base"           # hashing: any string has a slot
    columns["Bonus"][3] = float("nan")                # imputed, flagged by the missing indicator
    columns["OverTime"][4] = None                     # "(missing)": a category of its own
    columns["HireDate"][5] = None                     # datetime parts of nothing: imputed
    columns["Notes"][5] = "an unseen sentence entirely"
    return columns


CLASSIFIERS = {
    "LogisticRegression+StandardScaler": ("LogisticRegression", {}),
    "LogisticRegression+QuantileTransformer": ("LogisticRegression", {"scaler": "QuantileTransformer", "C": 0.3}),
    "LogisticRegression+RobustScaler l1": ("LogisticRegression", {"scaler": "RobustScaler", "penalty": "l1"}),
    "LightGBM": ("LightGBM", SMALL),
    "XGBoostClassifier": ("XGBoostClassifier", SMALL),
    "RandomForest": ("RandomForest", SMALL),
    "ExtraTrees": ("ExtraTrees", SMALL),
    "HistGradientBoosting": ("HistGradientBoosting", {"max_iter": 30}),
}


@pytest.mark.parametrize("name", list(CLASSIFIERS))
def test_single_classifier_of_every_family_compiles_and_matches(featurized, tmp_path, name):
    features, featurizer, X, y, _ = featurized
    algorithm, params = CLASSIFIERS[name]
    model = pipeline(featurizer, SingleModel(_fitted(algorithm, X, y, **params), CLASSES))
    scorer = _scorer(model, features, tmp_path)
    _assert_same(scorer, _columns(scorer, features))
    _assert_same(scorer, _edge_cases(scorer, features))
    assert scorer.compiled.fast == (algorithm in ("LogisticRegression", "LightGBM", "XGBoostClassifier"))


def test_voting_and_stack_ensembles_compile_and_match(featurized, tmp_path):
    features, featurizer, X, y, _ = featurized
    members = [_fitted("LogisticRegression", X, y, scaler="QuantileTransformer"), _fitted("LightGBM", X, y, **SMALL),
               _fitted("XGBoostClassifier", X, y, **SMALL)]
    voting = pipeline(featurizer, VotingModel(members, [3, 1, 1], CLASSES))
    meta = make_meta("classification").fit(
        stack_features([_estimators.predict_matrix(m, X, "classification", 2) for m in members], "classification"), y)
    stack = pipeline(featurizer, StackModel(members, meta, CLASSES))
    for i, model in enumerate((voting, stack)):
        scorer = _scorer(model, features, tmp_path / str(i))
        assert scorer.compiled.fast
        _assert_same(scorer, _columns(scorer, features))
        _assert_same(scorer, _edge_cases(scorer, features))


def test_member_fitted_on_some_classes_keeps_the_class_mapping(featurized, tmp_path):
    """AutoML fits a fold that lacks a class on the classes present (``_modelyard_classes``)."""
    features, featurizer, X, y, _ = featurized
    three = np.where(np.arange(len(y)) % 3 == 0, 2, y)
    partial = _estimators.fit_any("LogisticRegression", {"C": 1.0, "scaler": "StandardScaler",
                                                        "class_weight": "none"}, "classification", 3, 1,
                                  X[three != 1], three[three != 1])
    full = _fitted("LightGBM", X, three, **SMALL)
    model = pipeline(featurizer, VotingModel([partial, full], [1, 1], ["a", "b", "c"]))
    scorer = _scorer(model, features, tmp_path)
    _assert_same(scorer, _columns(scorer, features))


def test_regressors_and_a_regression_ensemble_compile_and_match(featurized, tmp_path):
    features, featurizer, X, _, income = featurized
    elastic = _fitted("ElasticNet", X, income, "regression", scaler="QuantileTransformer")
    lgbm = _fitted("LightGBM", X, income, "regression", **SMALL)
    xgb = _fitted("XGBoostRegressor", X, income, "regression", **SMALL)
    for i, final in enumerate((SingleRegressor(elastic), SingleRegressor(xgb),
                               VotingModel([elastic, lgbm, xgb], [2, 1, 1], task="regression"))):
        scorer = _scorer(pipeline(featurizer, final), features, tmp_path / str(i))
        assert not scorer.has_proba
        _assert_same(scorer, _columns(scorer, features))
        _assert_same(scorer, _edge_cases(scorer, features))


def test_extra_columns_and_coercible_strings_score_as_the_model(featurized, tmp_path):
    features, featurizer, X, y, _ = featurized
    model = pipeline(featurizer, SingleModel(_fitted("LogisticRegression", X, y), CLASSES))
    scorer = _scorer(model, features, tmp_path)
    rows = features.head(20)
    records = rows.to_dict(orient="records")
    for r in records:
        r["Unrelated"] = "ignored"
        r["Age"] = str(r["Age"])             # "41" reads as 41
        r["Bonus"] = None if r["Bonus"] != r["Bonus"] else f"{r['Bonus']}"
    want = model.predict_proba(rows)
    got = scorer.predict(records, method="predict_proba")
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)
    assert scorer.predict(records) == model.predict(rows).tolist()


def test_a_batch_the_compiled_path_cannot_score_goes_through_the_model(featurized, tmp_path):
    """A non-number in a numeric column (the parser refuses it; the Scorer API takes it): the
    compiled path does not guess, the model's own answer (here its error) is the contract, and
    the next batch is compiled again."""
    features, featurizer, X, y, _ = featurized
    model = pipeline(featurizer, SingleModel(_fitted("LogisticRegression", X, y), CLASSES))
    scorer = _scorer(model, features, tmp_path)
    columns = _columns(scorer, features.head(3))
    bad = {**columns, "Bonus": [1.0, "n/a", 2.0]}
    with pytest.raises(Fallback):
        scorer.compiled.predict(bad)
    with pytest.raises(ValueError, match="n/a") as through_model:
        scorer.score_model(bad)
    with pytest.raises(ValueError, match="n/a") as through_score:
        scorer.score(bad, 3)
    assert str(through_score.value) == str(through_model.value)
    np.testing.assert_array_equal(scorer.score(columns, 3, "predict_proba"), scorer.compiled.predict_proba(columns))


def test_the_automl_best_model_on_hr_compiles(hr_run, hr_split, tmp_path):
    result, _, _ = hr_run
    train, test = hr_split
    features = train.drop(columns="Attrition")
    scorer = _scorer(result.best.model, features, tmp_path)
    rows = test.drop(columns="Attrition")
    _assert_same(scorer, _columns(scorer, rows))
    workshop = [{k: v for k, v in r.items() if k not in ("EmployeeCount", "EmployeeNumber", "Over18", "StandardHours")}
                for r in rows.head(5).to_dict(orient="records")]
    workshop[0]["OverTime"] = 1  # the workshop body's form: an unseen category "1"
    parsed = scorer.parse({"data": workshop})
    _assert_same(scorer, parsed.columns)


def test_unseen_categories_of_an_automl_model_are_found(featurized, tmp_path):
    """One-hot and target-encoded columns know their categories; hashed, text and missing values are no warning."""
    features, featurizer, X, y, _ = featurized
    scorer = _scorer(pipeline(featurizer, SingleModel(_fitted("LogisticRegression", X, y), CLASSES)), features, tmp_path)
    columns = _edge_cases(scorer, features)
    assert scorer.unseen.find(_columns(scorer, features)) is None
    counts = scorer.unseen.find(columns)
    assert counts == {"BusinessTravel": 1, "Team": 1}
    assert [(w["row"], w["column"], w["value"]) for w in scorer.unseen.warnings(columns, counts)] == [
        (0, "BusinessTravel", "Teleports"), (1, "Team", "Astronaut/Space/Other")]
    workshop = scorer.parse({"data": [{**features.iloc[0].to_dict(), "OverTime": 1}]}).columns  # the workshop's body
    assert scorer.unseen.find(workshop) == {"OverTime": 1}

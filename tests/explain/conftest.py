"""Fitted HR attrition models for the explain engine: plain ColumnTransformer pipelines and AutoML-shaped ones."""

from __future__ import annotations

import pytest

DROPPED = ["EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"]
CATEGORICAL = ["BusinessTravel", "Department", "EducationField", "Gender", "JobRole", "MaritalStatus", "OverTime"]


@pytest.fixture(scope="session")
def hr_xy(hr):
    """HR features (identifiers and constants dropped) and the 'Yes'/'No' attrition labels."""
    X = hr.drop(columns=DROPPED + ["Attrition"])
    return X, hr["Attrition"]


def onehot_scaled(X):
    """OneHotEncoder on the text columns, StandardScaler on the numbers (the workshop's preprocessing)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    categorical = [c for c in CATEGORICAL if c in X.columns]
    numeric = [c for c in X.columns if c not in CATEGORICAL]
    return ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), categorical),
                              ("num", StandardScaler(), numeric)])


def lgbm(**params):
    from lightgbm import LGBMClassifier

    return LGBMClassifier(n_estimators=40, num_leaves=15, verbose=-1, n_jobs=1, **params)


def with_preprocessing(estimator, X, y):
    from sklearn.pipeline import Pipeline

    return Pipeline([("pre", onehot_scaled(X)), ("clf", estimator)]).fit(X, y)


@pytest.fixture(scope="session")
def fit_pipeline():
    """``fit_pipeline(estimator, X, y)``: the estimator behind the workshop's preprocessing, fitted."""
    return with_preprocessing


@pytest.fixture(scope="session")
def lr_pipeline(hr_xy):
    from sklearn.linear_model import LogisticRegression

    X, y = hr_xy
    return with_preprocessing(LogisticRegression(max_iter=2000), X, y)


@pytest.fixture(scope="session")
def lgbm_pipeline(hr_xy):
    X, y = hr_xy
    return with_preprocessing(lgbm(), X, y)


@pytest.fixture(scope="session")
def multiclass_lgbm(hr_xy):
    """LightGBM predicting MaritalStatus (three classes) from the other columns: model, features, labels."""
    X, _ = hr_xy
    y = X["MaritalStatus"]
    X = X.drop(columns=["MaritalStatus"])
    return with_preprocessing(lgbm(), X, y), X, y


@pytest.fixture(scope="session")
def automl_parts(hr_xy):
    """AutoML's fitted featurizer on the HR data, its output matrix and the class-index target."""
    from modelyard.automl._featurize import build_featurizer, plan_columns
    from modelyard.spec.automl import AutoMLJob

    X, y = hr_xy
    featurization = AutoMLJob(task="classification", training_data="t.csv",
                              target_column_name="Attrition").featurization
    featurizer = build_featurizer(plan_columns(X, featurization, "classification"), "classification")
    matrix = featurizer.fit_transform(X, (y == "Yes").astype(int))
    classes = sorted(y.unique())
    return featurizer, matrix, (y == classes[1]).astype(int).to_numpy(), classes


@pytest.fixture(scope="session")
def automl_models(automl_parts):
    """AutoML-shaped pipelines (featurizer + its model wrappers): LightGBM, scaled logistic regression, voting."""
    from modelyard.automl._estimators import make_estimator
    from modelyard.automl._model import final_pipeline

    featurizer, matrix, target, classes = automl_parts
    tree = lgbm().fit(matrix, target)
    linear = make_estimator("LogisticRegression", {"C": 1.0, "class_weight": "none", "scaler": "StandardScaler"},
                            "classification", 2, 1).fit(matrix, target)
    return {
        "LightGBM": final_pipeline(featurizer, "classification", classes, "LightGBM", [tree]),
        "LogisticRegression": final_pipeline(featurizer, "classification", classes, "LogisticRegression", [linear]),
        "VotingEnsemble": final_pipeline(featurizer, "classification", classes, "VotingEnsemble", [tree, linear],
                                         weights=[1, 1]),
    }

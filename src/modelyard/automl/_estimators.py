"""The algorithms the search tries: their search spaces, strong starting points, and how to fit them.

Every estimator here works on the featurizer's dense matrix. Linear models are first-class: they
carry their own scaler (a tuned choice) and a tuned regularisation strength.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

CLASSIFIERS = ("LogisticRegression", "LightGBM", "XGBoostClassifier", "RandomForest", "ExtraTrees",
               "HistGradientBoosting")
REGRESSORS = ("ElasticNet", "LightGBM", "XGBoostRegressor", "RandomForest", "ExtraTrees", "HistGradientBoosting")
LINEAR = ("LogisticRegression", "ElasticNet")
SCALERS = ("StandardScaler", "QuantileTransformer", "RobustScaler")
INNER_CV = "inner_cv"     # a linear default that tunes its own regularisation by cross-validation (not searched)
INNER_CV_FOLDS = 3
INNER_CV_CS = 10


def algorithms_for(task: str, allowed: list[str] | None, blocked: list[str]) -> list[str]:
    known = CLASSIFIERS if task == "classification" else REGRESSORS
    chosen = [a for a in known if (allowed is None or a in allowed) and a not in blocked]
    return chosen


def featurization_name(algorithm: str, params: dict[str, Any]) -> str:
    return f"auto+{params.get('scaler', 'StandardScaler')}" if algorithm in LINEAR else "auto"


def defaults(algorithm: str, task: str, n_rows: int, n_features: int, n_classes: int) -> list[dict[str, Any]]:
    """Strong starting configurations, tried before the tuner proposes anything."""
    small = n_rows < 5000
    sqrt_share = min(1.0, max(math.sqrt(max(n_features, 1)) / max(n_features, 1), _mf_low(n_features)))
    if algorithm == "LogisticRegression":
        tuned = {"C": 1.0, "scaler": "StandardScaler", "class_weight": "none", INNER_CV: True}
        rest = [{"C": 1.0, "scaler": "StandardScaler", "class_weight": "none"},
                {"C": 0.05, "scaler": "StandardScaler", "class_weight": "none"}]
        if n_classes == 2:
            for params in [tuned] + rest:
                params["penalty"] = "l2"
        return [tuned] + rest
    if algorithm == "ElasticNet":
        return [{"alpha": 0.01, "l1_ratio": 0.5, "scaler": "StandardScaler", INNER_CV: True},
                {"alpha": 0.01, "l1_ratio": 0.5, "scaler": "StandardScaler"},
                {"alpha": 0.1, "l1_ratio": 0.1, "scaler": "QuantileTransformer"}]
    if algorithm == "LightGBM":
        first = {"n_estimators": 300, "learning_rate": 0.03 if small else 0.05, "num_leaves": 15 if small else 63,
                 "min_child_samples": 20, "subsample": 0.8, "colsample_bytree": 0.6, "reg_lambda": 1.0,
                 "reg_alpha": 0.001}
        second = {"n_estimators": 800, "learning_rate": 0.02, "num_leaves": 6, "min_child_samples": 10,
                  "subsample": 0.7, "colsample_bytree": 0.4, "reg_lambda": 5.0, "reg_alpha": 0.01}
        return [first, second]
    if algorithm.startswith("XGBoost"):
        return [{"n_estimators": 300, "learning_rate": 0.05, "max_depth": 4 if small else 6, "min_child_weight": 1.0,
                 "subsample": 0.8, "colsample_bytree": 0.6, "reg_lambda": 1.0, "reg_alpha": 0.001}]
    if algorithm in ("RandomForest", "ExtraTrees"):
        share = sqrt_share if task == "classification" else 0.5
        return [{"n_estimators": 300, "max_features": share, "min_samples_leaf": 1 if small else 2,
                 "criterion": "gini" if task == "classification" else "squared_error", "class_weight": "none"}]
    if algorithm == "HistGradientBoosting":
        return [{"learning_rate": 0.1, "max_iter": 100, "max_leaf_nodes": 31, "min_samples_leaf": 20,
                 "l2_regularization": 1e-4, "max_features": 1.0}]
    raise ValueError(algorithm)


def _mf_low(n_features: int) -> float:
    return min(0.1, math.sqrt(max(n_features, 1)) / max(n_features, 1))


def suggest(algorithm: str, trial, task: str, n_rows: int, n_features: int, n_classes: int) -> dict[str, Any]:
    """The search space, in Optuna's define-by-run style."""
    if algorithm == "LogisticRegression":
        params = {"C": trial.suggest_float("C", 1e-4, 100.0, log=True),
                  "scaler": trial.suggest_categorical("scaler", SCALERS),
                  "class_weight": trial.suggest_categorical("class_weight", ["none", "balanced"])}
        if n_classes == 2:
            params["penalty"] = trial.suggest_categorical("penalty", ["l2", "l1"])
        return params
    if algorithm == "ElasticNet":
        return {"alpha": trial.suggest_float("alpha", 1e-5, 10.0, log=True),
                "l1_ratio": trial.suggest_float("l1_ratio", 0.01, 1.0),
                "scaler": trial.suggest_categorical("scaler", SCALERS)}
    high_trees = 3000 if n_rows < 20000 else 1500
    if algorithm == "LightGBM":
        return {"n_estimators": trial.suggest_int("n_estimators", 20, high_trees, log=True),
                "learning_rate": trial.suggest_float("learning_rate", 0.005, 0.3, log=True),
                "num_leaves": trial.suggest_int("num_leaves", 4, 256, log=True),
                "min_child_samples": trial.suggest_int("min_child_samples", 2, 100, log=True),
                "subsample": trial.suggest_float("subsample", 0.5, 1.0),
                "colsample_bytree": trial.suggest_float("colsample_bytree", 0.2, 1.0),
                "reg_lambda": trial.suggest_float("reg_lambda", 1e-3, 30.0, log=True),
                "reg_alpha": trial.suggest_float("reg_alpha", 1e-3, 10.0, log=True)}
    if algorithm.startswith("XGBoost"):
        return {"n_estimators": trial.suggest_int("n_estimators", 20, high_trees, log=True),
                "learning_rate": trial.suggest_float("learning_rate", 0.005, 0.3, log=True),
                "max_depth": trial.suggest_int("max_depth", 2, 10),
                "min_child_weight": trial.suggest_float("min_child_weight", 0.5, 20.0, log=True),
                "subsample": trial.suggest_float("subsample", 0.5, 1.0),
                "colsample_bytree": trial.suggest_float("colsample_bytree", 0.2, 1.0),
                "reg_lambda": trial.suggest_float("reg_lambda", 1e-3, 30.0, log=True),
                "reg_alpha": trial.suggest_float("reg_alpha", 1e-3, 10.0, log=True)}
    if algorithm in ("RandomForest", "ExtraTrees"):
        criteria = ["gini", "entropy"] if task == "classification" else ["squared_error"]
        return {"n_estimators": trial.suggest_int("n_estimators", 50, 600, log=True),
                "max_features": trial.suggest_float("max_features", _mf_low(n_features), 1.0),
                "min_samples_leaf": trial.suggest_int("min_samples_leaf", 1, 20, log=True),
                "criterion": trial.suggest_categorical("criterion", criteria),
                "class_weight": trial.suggest_categorical("class_weight", ["none", "balanced_subsample"])
                if task == "classification" else "none"}
    if algorithm == "HistGradientBoosting":
        return {"learning_rate": trial.suggest_float("learning_rate", 0.01, 0.3, log=True),
                "max_iter": trial.suggest_int("max_iter", 30, 1000, log=True),
                "max_leaf_nodes": trial.suggest_int("max_leaf_nodes", 4, 128, log=True),
                "min_samples_leaf": trial.suggest_int("min_samples_leaf", 2, 100, log=True),
                "l2_regularization": trial.suggest_float("l2_regularization", 1e-4, 10.0, log=True),
                "max_features": trial.suggest_float("max_features", 0.3, 1.0)}
    raise ValueError(algorithm)


def _scaler(name: str):
    from sklearn.preprocessing import QuantileTransformer, RobustScaler, StandardScaler

    if name == "QuantileTransformer":
        return QuantileTransformer(output_distribution="normal", n_quantiles=200, subsample=100_000, random_state=0)
    if name == "RobustScaler":
        return RobustScaler(quantile_range=(5.0, 95.0))
    return StandardScaler()


def make_estimator(algorithm: str, params: dict[str, Any], task: str, n_classes: int, threads: int, seed: int = 0):
    """An unfitted estimator (a Pipeline with a scaler for linear models)."""
    from sklearn.pipeline import Pipeline

    p = dict(params)
    classification = task == "classification"
    if algorithm == "LogisticRegression" and p.get(INNER_CV):
        from sklearn.linear_model import LogisticRegressionCV

        model = LogisticRegressionCV(Cs=INNER_CV_CS, cv=INNER_CV_FOLDS, scoring="neg_log_loss", max_iter=2000,
                                     use_legacy_attributes=False, l1_ratios=(0.0,),
                                     class_weight=None if p["class_weight"] == "none" else p["class_weight"],
                                     random_state=seed)
        return Pipeline([("scaler", _scaler(p["scaler"])), ("model", model)])
    if algorithm == "ElasticNet" and p.get(INNER_CV):
        from sklearn.linear_model import RidgeCV

        return Pipeline([("scaler", _scaler(p["scaler"])), ("model", RidgeCV(alphas=np.logspace(-3, 3, 13)))])
    if algorithm == "LogisticRegression":
        from sklearn.linear_model import LogisticRegression

        l1 = p.get("penalty") == "l1"
        model = LogisticRegression(C=p["C"], l1_ratio=1.0 if l1 else 0.0, solver="liblinear" if l1 else "lbfgs",
                                   class_weight=None if p["class_weight"] == "none" else p["class_weight"],
                                   max_iter=2000, random_state=seed)
        return Pipeline([("scaler", _scaler(p["scaler"])), ("model", model)])
    if algorithm == "ElasticNet":
        from sklearn.linear_model import ElasticNet

        model = ElasticNet(alpha=p["alpha"], l1_ratio=p["l1_ratio"], max_iter=5000, random_state=seed)
        return Pipeline([("scaler", _scaler(p["scaler"])), ("model", model)])
    if algorithm == "LightGBM":
        import lightgbm as lgb

        cls = lgb.LGBMClassifier if classification else lgb.LGBMRegressor
        return cls(subsample_freq=1, n_jobs=threads, random_state=seed, verbose=-1, **p)
    if algorithm.startswith("XGBoost"):
        import xgboost as xgb

        cls = xgb.XGBClassifier if classification else xgb.XGBRegressor
        return cls(tree_method="hist", n_jobs=threads, random_state=seed, verbosity=0, **p)
    if algorithm in ("RandomForest", "ExtraTrees"):
        from sklearn import ensemble

        name = ("RandomForest" if algorithm == "RandomForest" else "ExtraTrees") + \
            ("Classifier" if classification else "Regressor")
        kwargs = {k: v for k, v in p.items() if k != "class_weight"}
        if classification and p.get("class_weight", "none") != "none":
            kwargs["class_weight"] = p["class_weight"]
        return getattr(ensemble, name)(n_jobs=threads, random_state=seed, **kwargs)
    if algorithm == "HistGradientBoosting":
        from sklearn import ensemble

        cls = ensemble.HistGradientBoostingClassifier if classification else ensemble.HistGradientBoostingRegressor
        return cls(random_state=seed, **p)
    raise ValueError(f"unknown algorithm {algorithm!r}")


def fit(estimator, X, y, w=None):
    if w is None:
        return estimator.fit(X, y)
    if hasattr(estimator, "steps"):
        return estimator.fit(X, y, **{f"{estimator.steps[-1][0]}__sample_weight": w})
    return estimator.fit(X, y, sample_weight=w)


def fit_any(algorithm, params, task, n_classes, threads, X, y, w=None, seed=0):
    """Fit; on a random ``max_rows`` sub-sample when the search chose one (the learner was too slow for the
    whole table); for a classification fold that lacks some classes, fit on the classes present."""
    from modelyard.automl._cost import SUBSAMPLE_PARAM

    params = dict(params)
    max_rows = params.pop(SUBSAMPLE_PARAM, None)
    if max_rows and len(y) > max_rows:
        rows = np.sort(np.random.default_rng(seed).choice(len(y), int(max_rows), replace=False))
        X, y, w = X[rows], y[rows], None if w is None else w[rows]
    estimator = make_estimator(algorithm, params, task, n_classes, threads, seed)
    if task == "classification":
        present = np.unique(y)
        if len(present) < n_classes:
            fit(estimator, X, np.searchsorted(present, y), w)
            estimator._modelyard_classes = present
            return estimator
    return fit(estimator, X, y, w)


def predict_matrix(estimator, X, task: str, n_classes: int) -> np.ndarray:
    """Class probabilities ``(n, C)`` over all classes, or the regression prediction ``(n,)``."""
    if task != "classification":
        return np.asarray(estimator.predict(X), dtype=float)
    proba = np.asarray(estimator.predict_proba(X), dtype=float)
    present = getattr(estimator, "_modelyard_classes", None)
    if present is None:
        present = np.asarray(getattr(estimator, "classes_", np.arange(proba.shape[1])))
    if proba.shape[1] == n_classes and np.array_equal(present, np.arange(n_classes)):
        return proba
    full = np.zeros((proba.shape[0], n_classes))
    full[:, np.asarray(present, dtype=int)] = proba
    return full

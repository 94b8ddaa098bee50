"""One system on one dataset, in its own process: ``python systems.py SYSTEM DATA_DIR BUDGET CORES OUT.json``.

Writes the test-set predictions (class probabilities or values) and the fit time. The parent
scores them, so every system is scored by the same code.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd


def _categorical(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = frame[column].astype("category")
    return frame


def run_modelyard(train, test, task, target, budget, cores):
    """As a user runs it: a fresh workspace, the training table registered as a data asset, a ``type: automl``
    job, the best model loaded with ``mlflow.sklearn``; the job's time from submit to completed is reported."""
    import tempfile

    import mlflow

    from modelyard import Workspace
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    with tempfile.TemporaryDirectory(prefix="modelyard-bench-") as tmp:
        root = Path(tmp) / "ws"
        location = workspaces.create(root, name="bench")
        os.environ.pop("MODELYARD_WORKSPACE", None)
        servers.start_detached(location, "127.0.0.1", 0)
        ws = Workspace(root)
        try:
            table = Path(tmp) / "train.parquet"
            train.to_parquet(table)
            ws.data.create(name="train", type="mltable", path=str(table), profile=False)
            spec = {"type": "automl", "task": task, "experiment_name": "bench", "training_data": "azureml:train:1",
                    "target_column_name": target,
                    "primary_metric": "AUC_weighted" if task == "classification" else "r2_score",
                    "limits": {"timeout_minutes": budget / 60, "max_concurrent_trials": cores}}
            job = ws.jobs.wait(ws.jobs.create(spec).name, timeout=budget * 5 + 120)
            if job.status != "Completed":
                raise RuntimeError(f"job {job.name} {job.status}: {job.error}")
            mlflow.set_tracking_uri(f"sqlite:///{root / '.modelyard' / 'mlflow.db'}")
            model = mlflow.sklearn.load_model(job.properties["best_model_uri"])
            timings = job.properties.get("timings", {})
            end_to_end = (job.ended_at - job.created_at).total_seconds()
            timings = {**timings, "closing_seconds": round(end_to_end - timings.get("total_seconds", 0.0), 3)}
        finally:
            ws.close()
            servers.stop(location)
    X = test.drop(columns=target)
    pred = model.predict_proba(X) if task == "classification" else model.predict(X)
    classes = list(model.classes_) if task == "classification" else None
    best = job.properties["leaderboard"][0]["algorithm"] if job.properties.get("leaderboard") else "?"
    return timings.get("engine_seconds") or end_to_end, pred, classes, {
        "best": best, "trials": timings.get("trials"), "stop": timings.get("stop_reason"),
        "job_seconds": round(end_to_end, 2),
        "phases": " ".join(f"{k.removesuffix('_seconds')}={v}" for k, v in timings.items()
                           if k.endswith("_seconds") and k not in ("budget_seconds", "total_seconds"))}


def run_linear(train, test, task, target, budget, cores):
    """A cross-validated regularised linear model: one-hot + median imputation + scaling, then
    LogisticRegressionCV (RidgeCV for regression)."""
    from sklearn.compose import make_column_transformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegressionCV, RidgeCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    X, y = train.drop(columns=target), train[target]
    numeric = [c for c in X.columns if pd.api.types.is_numeric_dtype(X[c])]
    other = [c for c in X.columns if c not in numeric]
    features = make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore",
                                                                              min_frequency=5)), other))
    final = LogisticRegressionCV(Cs=10, cv=5, max_iter=2000, n_jobs=cores) if task == "classification" \
        else RidgeCV(alphas=np.logspace(-3, 3, 13))
    model = make_pipeline(features, final)
    started = time.monotonic()
    model.fit(X, y)
    fit = time.monotonic() - started
    Xt = test.drop(columns=target)
    if task == "classification":
        return fit, model.predict_proba(Xt), list(model.classes_), {}
    return fit, model.predict(Xt), None, {}


def run_flaml(train, test, task, target, budget, cores):
    from flaml import AutoML

    X, y = _categorical(train.drop(columns=target)), train[target]
    automl = AutoML()
    n_classes = y.nunique() if task == "classification" else 0
    metric = "r2" if task == "regression" else ("roc_auc" if n_classes == 2 else "roc_auc_ovr")
    started = time.monotonic()
    automl.fit(X, y, task=task, time_budget=budget, metric=metric, n_jobs=cores, verbose=0, seed=0)
    fit = time.monotonic() - started
    Xt = _categorical(test.drop(columns=target))
    for column in Xt.columns:
        if isinstance(X[column].dtype, pd.CategoricalDtype):
            Xt[column] = pd.Categorical(Xt[column], categories=X[column].cat.categories)
    if task == "classification":
        return fit, automl.predict_proba(Xt), list(automl.classes_), {"best": automl.best_estimator}
    return fit, automl.predict(Xt), None, {"best": automl.best_estimator}


def run_autogluon(train, test, task, target, budget, cores):
    import tempfile

    from autogluon.tabular import TabularPredictor

    n_classes = train[target].nunique() if task == "classification" else 0
    metric = "r2" if task == "regression" else ("roc_auc" if n_classes == 2 else "log_loss")
    with tempfile.TemporaryDirectory() as tmp:
        problem = "regression" if task == "regression" else ("binary" if n_classes == 2 else "multiclass")
        predictor = TabularPredictor(label=target, eval_metric=metric, problem_type=problem, path=tmp, verbosity=0)
        started = time.monotonic()
        predictor.fit(train, time_limit=budget, presets="medium_quality", num_cpus=cores)
        fit = time.monotonic() - started
        X = test.drop(columns=target)
        if task == "classification":
            proba = predictor.predict_proba(X)
            return fit, proba.to_numpy(), list(proba.columns), {"best": predictor.model_best}
        return fit, predictor.predict(X).to_numpy(), None, {"best": predictor.model_best}


def run_hgb(train, test, task, target, budget, cores):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor

    X, y = _categorical(train.drop(columns=target)), train[target]
    cls = HistGradientBoostingClassifier if task == "classification" else HistGradientBoostingRegressor
    model = cls(categorical_features="from_dtype", random_state=0)
    started = time.monotonic()
    model.fit(X, y)
    fit = time.monotonic() - started
    Xt = _categorical(test.drop(columns=target))
    for column in Xt.columns:
        if isinstance(X[column].dtype, pd.CategoricalDtype):
            Xt[column] = pd.Categorical(Xt[column], categories=X[column].cat.categories)
    if task == "classification":
        return fit, model.predict_proba(Xt), list(model.classes_), {}
    return fit, model.predict(Xt), None, {}


def main(system, data_dir, budget, cores, out):
    cores = int(cores)
    os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:cores])
    folder = Path(data_dir)
    meta = json.loads((folder / "meta.json").read_text())
    train = pd.read_parquet(folder / "train.parquet")
    test = pd.read_parquet(folder / "test.parquet")
    runner = {"modelyard": run_modelyard, "flaml": run_flaml, "autogluon": run_autogluon, "hgb": run_hgb,
              "linear": run_linear}[system]
    fit, pred, classes, extra = runner(train, test, meta["task"], meta["target"], float(budget), cores)
    Path(out).write_text(json.dumps({"fit_seconds": fit, "pred": np.asarray(pred, dtype=float).tolist(),
                                     "classes": [str(c) for c in classes] if classes is not None else None,
                                     "extra": {k: str(v) for k, v in extra.items()}}))


if __name__ == "__main__":
    main(*sys.argv[1:6])

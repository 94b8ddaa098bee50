"""A floor that holds: the search opens with the cheap strong defaults and never ends below them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from automl_fixtures import make_job

ROWS = 24000   # past the cross-validation limit: a hold-out split, the case whose refits ran out of time


def _nonlinear(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a, b, c, d = (rng.uniform(-2, 2, rows) for _ in range(4))
    signal = np.sin(2 * a) * np.cos(2 * b) + 0.5 * (c > 0.5) * d + rng.normal(scale=0.3, size=rows)
    return pd.DataFrame({"a": a, "b": b, "c": c, "d": d, "label": np.where(signal > 0, "up", "down")})


def test_the_best_model_is_never_below_default_hist_gradient_boosting():
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score

    from modelyard.automl import run_automl

    train, test = _nonlinear(ROWS, 0), _nonlinear(4000, 1)
    # the floor, not the clock, is under test: a roomy budget that max_trials ends, so a loaded machine cannot
    # stop the opening defaults early
    job = make_job(target="label", seconds=180, primary_metric="AUC_weighted",
                   limits={"max_concurrent_trials": 2, "max_trials": 6})
    result = run_automl(job, train)

    opening = sorted((t for t in result.trials if t.trial_id in ("trial_0", "trial_1")), key=lambda t: t.trial_id)
    assert [t.algorithm for t in opening] == ["HistGradientBoosting", "LogisticRegression"]
    default_hgb = opening[0]
    assert default_hgb.status == "Completed" and default_hgb.params["max_iter"] == 100
    # on the run's own validation split: the best is at least the default HGB
    assert result.best.model is not None
    assert result.best.primary >= default_hgb.primary - 0.002, [(t.algorithm, t.primary) for t in result.trials]
    # and on unseen rows it is as good as scikit-learn's default HGB trained on the same rows
    features = train.drop(columns="label")
    baseline = HistGradientBoostingClassifier(random_state=0).fit(features, train["label"])
    truth = test["label"] == "up"
    ours = result.best.model.predict_proba(test.drop(columns="label"))[:, list(result.best.model.classes_).index("up")]
    theirs = baseline.predict_proba(test.drop(columns="label"))[:, list(baseline.classes_).index("up")]
    assert roc_auc_score(truth, ours) >= roc_auc_score(truth, theirs) - 0.005


def test_a_learner_too_slow_for_a_large_table_is_sub_sampled():
    from modelyard.automl import run_automl

    rows = 60000   # a 300-tree forest on all of them takes several times the budget
    train = _nonlinear(rows, 2)
    job = make_job(target="label", seconds=10, primary_metric="AUC_weighted",
                   training={"allowed_training_algorithms": ["RandomForest", "LogisticRegression"]})
    result = run_automl(job, train)
    forests = [t for t in result.trials if t.algorithm == "RandomForest"]
    # never on all rows; on a loaded machine the measured speed may predict even a sub-sample too slow (skipped)
    assert all(0 < t.params["max_rows"] < rows for t in forests), [t.params for t in forests]
    assert any(t.status == "Completed" for t in result.trials)

"""Refitting any trial's configuration after the run gives the same kind of model as the best trial's."""

from __future__ import annotations

import numpy as np
import pytest

from modelyard.automl import TrialConfig, refit_trial, save_model
from modelyard.errors import InvalidInput
from automl_fixtures import make_job

JOB = make_job(seconds=20, limits={"max_concurrent_trials": 2})


def config_of(trial, result) -> TrialConfig:
    by_id = {t.trial_id: t for t in result.trials}
    return TrialConfig(trial.algorithm, trial.params,
                       [TrialConfig(by_id[m["trial_id"]].algorithm, by_id[m["trial_id"]].params, weight=m["weight"])
                        for m in trial.members])


def test_a_trial_that_was_not_refit_gets_a_model_with_the_best_models_contract(hr_run, hr_split, tmp_path):
    import mlflow.sklearn
    from sklearn.metrics import roc_auc_score

    result, _, _ = hr_run
    train, test = hr_split
    trial = next(t for t in result.trials if t.status == "Completed" and not t.members and t is not result.best)
    model = refit_trial(JOB, train, None, config_of(trial, result))
    rows = test.drop(columns=["Attrition"])
    proba = model.predict_proba(rows)
    assert list(model.classes_) == ["No", "Yes"] and proba.shape == (len(rows), 2)
    assert set(model.predict(rows)) <= {"Yes", "No"}
    held_out = roc_auc_score(test["Attrition"] == "Yes", proba[:, 1])
    assert abs(held_out - trial.primary) < 0.1, "the refit model scores on new rows like its cross-validation said"
    saved = save_model(model, tmp_path / "model", rows)
    assert (saved / "MLmodel").read_text().count("signature") and (saved / "input_example.json").exists()
    np.testing.assert_allclose(mlflow.sklearn.load_model(str(saved)).predict_proba(rows), proba)


@pytest.mark.parametrize("kind", ["single", "VotingEnsemble", "StackEnsemble"])
def test_a_refit_reproduces_the_model_the_run_built(hr_run, hr_split, kind):
    result, _, _ = hr_run
    train, test = hr_split
    built = [t for t in result.trials if t.model is not None and (t.algorithm == kind or kind == "single"
                                                                   and not t.members)]
    assert built, f"the run built no {kind} model"
    model = refit_trial(JOB, train, None, config_of(built[0], result))
    rows = test.drop(columns=["Attrition"])
    # equal up to the thread count: LightGBM and XGBoost sum histograms in a thread-dependent order
    gap = np.abs(model.predict_proba(rows) - built[0].model.predict_proba(rows))
    assert gap.mean() < 0.01 and gap.max() < 0.2


@pytest.mark.parametrize("config, fragment", [
    (TrialConfig("DeepForest"), "algorithm 'DeepForest' cannot be refit for classification"),
    (TrialConfig("ElasticNet", {"alpha": 0.1}), "algorithm 'ElasticNet' cannot be refit for classification"),
    (TrialConfig("VotingEnsemble", members=[TrialConfig("LightGBM")]), "lists 1 member"),
    (TrialConfig("StackEnsemble", members=[TrialConfig("LightGBM"), TrialConfig("Nope")]),
     "member algorithm 'Nope' of the StackEnsemble"),
])
def test_a_configuration_that_cannot_be_refit_is_refused_before_any_work(hr_split, config, fragment):
    with pytest.raises(InvalidInput, match=fragment):
        refit_trial(JOB, hr_split[0], None, config)

"""Refit on demand: any AutoML trial's model, fitted on all training rows, registered like the best one."""

import json
import time
from pathlib import Path

import pandas as pd
import pytest

from modelyard.errors import Conflict, InvalidInput, NotFound
from server_fixtures import run_cli

TIMEOUT = 600  # under pytest-timeout's 900 s, so that a stuck run fails with its log


@pytest.fixture(scope="module")
def automl_job(running) -> str:
    _, ws = running
    return ws.jobs.create({"type": "automl", "task": "classification", "experiment_name": "refits",
                           "training_data": "azureml:employeeattrition:1", "target_column_name": "Attrition",
                           "compute": "cpucluster", "n_cross_validations": 3,
                           # quick algorithms, so that even a loaded machine completes several trials
                           "training": {"allowed_training_algorithms": ["LogisticRegression", "LightGBM"],
                                        "enable_model_explainability": False},  # refits, not explanations
                           # ends by trials: a loaded machine cannot spend the budget before the first one
                           "limits": {"timeout_minutes": 3, "max_trials": 8, "max_concurrent_trials": 2}}).name


@pytest.fixture(scope="module")
def finished(running, automl_job):
    _, ws = running
    job = ws.jobs.wait(automl_job, timeout=TIMEOUT)
    assert job.status == "Completed", ws.jobs.logs(job.name)["text"][-3000:]
    return job, ws.jobs.children(job.name)


def load(root: Path, uri: str):
    import mlflow

    mlflow.set_tracking_uri(f"sqlite:///{root / '.modelyard' / 'mlflow.db'}")
    return mlflow.sklearn.load_model(uri)


def test_a_trial_is_not_refit_while_its_automl_job_runs(running, automl_job):
    _, ws = running
    deadline, done = time.monotonic() + TIMEOUT, []
    while time.monotonic() < deadline and ws.jobs.get(automl_job).status in ("Queued", "Preparing", "Running"):
        done = [t for t in ws.jobs.children(automl_job) if t.properties.get("trial_status") == "Completed"]
        if done:
            break
        time.sleep(0.3)
    job = ws.jobs.get(automl_job)
    assert job.status == "Running" and done, (f"the run is {job.status} with no completed trial yet:\n"
                                              + ws.jobs.logs(automl_job)["text"][-3000:])
    with pytest.raises(Conflict, match=f"AutoML job '{automl_job}' is still Running; refit its trials once"):
        ws.jobs.refit(done[0].name)
    assert ws.jobs.children(done[0].name) == []


def test_a_trial_that_was_not_the_best_is_refit_registered_and_scored(running, finished, hr_csv):
    root, ws = running
    job, trials = finished
    trial = next(t for t in trials if t.properties.get("trial_status") == "Completed"
                 and not t.properties.get("members") and not t.properties.get("model_uri"))
    refit = ws.jobs.refit(trial.name)
    assert refit.type == "automl_refit" and refit.parent == trial.name and refit.status == "Queued"
    assert ws.jobs.refit(trial.name).name == refit.name, "a refit in progress is not started twice"
    done = ws.jobs.wait(refit.name, timeout=TIMEOUT)
    assert done.status == "Completed", ws.jobs.logs(refit.name)["text"][-3000:]
    uri = f"runs:/{trial.mlflow_run_id}/model"
    assert ws.jobs.get(trial.name).properties["model_uri"] == uri == done.properties["model_uri"]
    rows = pd.read_csv(hr_csv, encoding="utf-8-sig").drop(columns=["Attrition"]).head(20)
    model = load(root, uri)
    assert set(model.predict(rows)) <= {"Yes", "No"} and model.predict_proba(rows).shape == (20, 2)
    registered = ws.models.create(name="automl-trial", path=uri)
    assert registered.lineage["data"] == ["employeeattrition:1"] and registered.lineage["parent_job"] == job.name
    again = ws.jobs.refit(trial.name)
    assert again.name == trial.name and again.properties["model_uri"] == uri, "refit once, reused after"
    assert all(t.type == "trial" for t in ws.jobs.children(job.name)), "refits are children of their trial"


def test_the_best_trial_answers_with_its_model_at_once(running, finished):
    _, ws = running
    job, trials = finished
    best = next(t for t in trials if t.name == job.properties["best_child_job"])
    answer = ws.jobs.refit(best.name)
    assert answer.name == best.name and answer.properties["model_uri"] == job.properties["best_model_uri"]
    assert ws.jobs.children(best.name) == []


def test_an_ensemble_is_refit_from_the_cli(running, finished, hr_csv):
    root, ws = running
    job, trials = finished
    ensemble = next(t for t in trials if t.properties.get("members") and not t.properties.get("model_uri"))
    result = run_cli("job", "refit", ensemble.name, "--wait", "-o", "json", cwd=root)
    assert result.returncode == 0, _refit_failure(ws, result)
    done = json.loads(result.stdout)
    assert done["status"] == "Completed" and done["properties"]["model_uri"] == f"runs:/{ensemble.mlflow_run_id}/model"
    rows = pd.read_csv(hr_csv, encoding="utf-8-sig").drop(columns=["Attrition"]).head(5)
    assert load(root, done["properties"]["model_uri"]).predict_proba(rows).shape == (5, 2)
    shown = run_cli("job", "refit", ensemble.name, cwd=root)
    assert shown.returncode == 0 and shown.stdout.strip() == done["properties"]["model_uri"]


def _refit_failure(ws, result) -> str:
    refit = json.loads(result.stdout)
    return f"{result.stderr}{refit['status']}: {refit['error']}\n{ws.jobs.logs(refit['name'])['text'][-3000:]}"


def test_what_is_not_a_trial_is_refused(running, finished):
    root, ws = running
    job, trials = finished
    with pytest.raises(InvalidInput, match=f"job '{job.name}' is a automl job, not an AutoML trial"):
        ws.jobs.refit(job.name)
    with pytest.raises(NotFound, match="job 'no_such_trial' not found"):
        ws.jobs.refit("no_such_trial")
    stopped = [t for t in trials if t.properties.get("trial_status") in ("EarlyTerminated", "Failed")
               and not t.properties.get("members")]
    for trial in stopped[:1]:
        with pytest.raises(InvalidInput, match=f"trial '{trial.name}' did not complete"):
            ws.jobs.refit(trial.name)
    refused = run_cli("job", "refit", job.name, cwd=root)
    assert refused.returncode == 1 and "not an AutoML trial" in refused.stderr and "Traceback" not in refused.stderr


def test_an_automl_job_is_registered_as_its_best_model_and_deployed_in_one_command(running, automl_job, finished,
                                                                                 hr_csv):
    root, ws = running
    job, _ = finished
    registered = ws.models.create(name="best-of-refits", path=f"job:{automl_job}")
    assert registered.lineage["mlflow_run_id"] == job.properties["best_child_run_id"]
    assert registered.lineage["automl_job"] == automl_job
    assert ws.models.create(name="best-of-refits", path=f"job:{automl_job}").version == registered.version
    result = run_cli("job", "deploy-best", automl_job, "--endpoint", "refits-best", "--deployment", "blue", cwd=root)
    assert result.returncode == 0, result.stderr
    assert "serves on endpoint refits-best" in result.stdout
    endpoint = ws.online_endpoints.get("refits-best")
    assert endpoint.traffic == {"blue": 100} and endpoint.deployments[0].state == "Succeeded"
    deployed = ws.models.get("refits-best")
    assert (deployed.name, deployed.sha256) == ("refits-best", registered.sha256)
    rows = pd.read_csv(hr_csv, encoding="utf-8-sig").drop(columns=["Attrition"]).head(3)
    answer = ws.online_endpoints.invoke("refits-best", json.loads(rows.to_json(orient="records")))
    assert len(answer["result"]) == 3 and set(answer["result"]) <= {"Yes", "No"}


def test_a_job_that_is_not_an_automl_job_points_to_its_outputs(running, automl_job, finished):
    _, ws = running
    # read afresh: the tests above refit some trials of `finished`
    trial = next(t for t in ws.jobs.children(automl_job) if t.type == "trial" and not t.properties.get("model_uri"))
    with pytest.raises(InvalidInput, match=f"trial '{trial.name}' has no model: refit it first.*job:{automl_job}"):
        ws.models.create(name="nope", path=f"job:{trial.name}")

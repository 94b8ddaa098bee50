"""An AutoML trial's explanation: the best model's from the end of the run, any other trial's on demand."""

from __future__ import annotations

import time

import httpx
import pytest

from server_fixtures import run_cli

from .conftest import JOB_SECONDS

RUNNING = ("NotStarted", "Queued", "Preparing", "Running")


@pytest.fixture(scope="module")
def automl_job(analysed) -> str:
    return analysed.ws.jobs.create({
        "type": "automl", "task": "classification", "experiment_name": "trial-explanations",
        "training_data": "azureml:employeeattrition:1", "target_column_name": "Attrition", "n_cross_validations": 3,
        # quick algorithms, ended by trials, so that a loaded machine completes several of them
        "training": {"allowed_training_algorithms": ["LogisticRegression", "LightGBM"]},
        "limits": {"timeout_minutes": 5, "max_trials": 5, "max_concurrent_trials": 2}}).name


@pytest.fixture(scope="module")
def finished(analysed, automl_job):
    ws = analysed.ws
    job = ws.jobs.wait(automl_job, timeout=JOB_SECONDS)
    assert job.status == "Completed", ws.jobs.logs(job.name)["text"][-3000:]
    return job, ws.jobs.children(job.name)


def _refused(analysed, method: str, trial: str, status: int, *fragments: str, route: str = "") -> None:
    """The request is refused with ``status`` and a message holding ``fragments``; no job was created."""
    before = analysed.ws.jobs.count()
    answer = httpx.request(method, f"{analysed.url}/api/jobs/{trial}/explanation{route}", timeout=60)
    assert answer.status_code == status, answer.text
    for fragment in fragments:
        assert fragment in answer.json()["detail"], answer.text
    assert analysed.ws.jobs.count() == before


def test_a_trial_is_not_explained_while_its_automl_job_runs(analysed, automl_job):
    ws = analysed.ws
    deadline, trials = time.monotonic() + JOB_SECONDS, []
    while time.monotonic() < deadline and ws.jobs.get(automl_job).status in RUNNING and not trials:
        trials = ws.jobs.children(automl_job)
        time.sleep(0.3)
    assert trials and ws.jobs.get(automl_job).status == "Running", ws.jobs.logs(automl_job)["text"][-3000:]
    _refused(analysed, "POST", trials[0].name, 409, f"AutoML job '{automl_job}' is still Running")


def test_the_best_trial_has_the_explanation_its_automl_job_made(analysed, finished):
    ws = analysed.ws
    job, _ = finished
    best = job.properties["best_child_job"]
    status = ws.jobs.explanation_status(best)
    assert (status.trial, status.job, status.status) == (best, job.name, "Completed")
    assert status.result_uri.endswith(f"jobs/{job.name}/outputs/explanation/result.json")
    explanation = ws.jobs.explanation(best)
    assert explanation.method == job.properties["explanation"]["method"] and explanation.rows_total == 1470
    assert explanation.raw is not None and "OverTime" in explanation.raw.features
    _refused(analysed, "POST", best, 409, f"trial '{best}' is explained already (job '{job.name}')")


def test_a_trial_without_a_model_is_refit_and_explained_on_demand(analysed, finished):
    ws = analysed.ws
    job, trials = finished
    trial = next(t for t in trials if t.properties.get("trial_status") == "Completed"
                 and not t.properties.get("members") and not t.properties.get("model_uri"))
    _refused(analysed, "GET", trial.name, 404, f"trial '{trial.name}' has no explanation", "POST")
    _refused(analysed, "GET", trial.name, 404, f"trial '{trial.name}' has no explanation", route="/result")

    queued = ws.jobs.explain(trial.name)
    assert queued.type == "automl_refit" and queued.parent == trial.name and queued.spec.explain is True
    assert ws.jobs.explanation_status(trial.name).job == queued.name
    if ws.jobs.get(queued.name).status in RUNNING:  # asked twice while it runs: refused, nothing new
        _refused(analysed, "POST", trial.name, 409, f"trial '{trial.name}' is being explained already",
                 queued.name)
    done = ws.jobs.wait(queued.name, timeout=JOB_SECONDS)
    assert done.status == "Completed", ws.jobs.logs(queued.name)["text"][-3000:]
    assert done.properties["explanation"]["status"] == "Completed"
    uri = f"runs:/{trial.mlflow_run_id}/model"
    assert ws.jobs.get(trial.name).properties["model_uri"] == uri == done.properties["model_uri"]

    status = ws.jobs.explanation_status(trial.name)
    assert (status.job, status.status) == (queued.name, "Completed")
    explanation = ws.jobs.explanation(trial.name)
    assert explanation.rows_total == 1470 and explanation.method == done.properties["explanation"]["method"]
    assert explanation.raw is not None and "OverTime" in explanation.raw.features
    _refused(analysed, "POST", trial.name, 409, "explained already", queued.name)


def test_a_trial_refit_before_is_explained_with_the_model_it_kept(analysed, finished):
    ws = analysed.ws
    job, trials = finished
    trial = next(t for t in trials if t.properties.get("trial_status") == "Completed"
                 and not t.properties.get("members") and not t.properties.get("model_uri")
                 and not ws.jobs.children(t.name))
    refit = ws.jobs.wait(ws.jobs.refit(trial.name).name, timeout=JOB_SECONDS)
    assert refit.status == "Completed", ws.jobs.logs(refit.name)["text"][-3000:]
    _refused(analysed, "GET", trial.name, 404, "has no explanation")

    done = ws.jobs.wait(ws.jobs.explain(trial.name).name, timeout=JOB_SECONDS)
    assert done.status == "Completed", ws.jobs.logs(done.name)["text"][-3000:]
    log = ws.jobs.logs(done.name)["text"]
    assert f"loading the model of {trial.name}" in log and "refitting" not in log, log[-3000:]
    assert done.properties["model_uri"] == refit.properties["model_uri"]
    assert ws.jobs.explanation(trial.name).rows_total == 1470


def test_the_cli_shows_a_trial_explained_already_and_names_what_is_not_a_trial(analysed, finished):
    job, _ = finished
    best = job.properties["best_child_job"]
    before = analysed.ws.jobs.count()
    shown = run_cli("job", "explain", best, "--top", "5", cwd=analysed.root)
    assert shown.returncode == 0, shown.stderr
    assert "raw feature importance" in shown.stdout and shown.stdout.count("\n") < 20, shown.stdout
    assert analysed.ws.jobs.count() == before  # shown, not made again

    engineered = run_cli("job", "explain", best, "--view", "engineered", "-o", "json", cwd=analysed.root)
    assert engineered.returncode == 0 and '"rows_total": 1470' in engineered.stdout, engineered.stderr

    refused = run_cli("job", "explain", job.name, cwd=analysed.root)
    assert refused.returncode != 0 and f"job '{job.name}' is a automl job, not an AutoML trial" in refused.stderr
    assert analysed.ws.jobs.count() == before


def test_what_is_not_a_completed_trial_is_refused(analysed, finished):
    job, _ = finished
    _refused(analysed, "POST", "no_such_trial", 404, "job 'no_such_trial' not found")
    _refused(analysed, "GET", "no_such_trial", 404, "job 'no_such_trial' not found")
    _refused(analysed, "POST", job.name, 400, f"job '{job.name}' is a automl job, not an AutoML trial")
    _refused(analysed, "GET", job.name, 400, "not an AutoML trial", route="/result")


def test_a_trial_that_did_not_complete_is_refused(analysed):
    """A trial canceled with its AutoML job has no validated configuration to explain."""
    ws = analysed.ws
    name = ws.jobs.create({
        "type": "automl", "task": "classification", "experiment_name": "trial-explanations-canceled",
        "training_data": "azureml:employeeattrition:1", "target_column_name": "Attrition", "n_cross_validations": 3,
        "training": {"allowed_training_algorithms": ["RandomForest"]},
        "limits": {"timeout_minutes": 5, "max_trials": 4, "max_concurrent_trials": 1}}).name
    deadline, running = time.monotonic() + JOB_SECONDS, []
    while time.monotonic() < deadline and ws.jobs.get(name).status in RUNNING and not running:
        running = [t for t in ws.jobs.children(name) if t.status == "Running"]
        time.sleep(0.1)
    assert running, ws.jobs.logs(name)["text"][-3000:]
    ws.jobs.cancel(name)
    ws.jobs.wait(name, timeout=JOB_SECONDS)
    canceled = [t for t in ws.jobs.children(name) if t.status == "Canceled"]
    assert canceled, [(t.name, t.status) for t in ws.jobs.children(name)]
    _refused(analysed, "POST", canceled[0].name, 400, f"trial '{canceled[0].name}' did not complete (Canceled)")
    _refused(analysed, "GET", canceled[0].name, 404, "has no explanation")

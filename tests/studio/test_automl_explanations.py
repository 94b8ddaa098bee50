"""A trial's Explanations tab in Chromium: the best model's explanation from the end of the run, and another
trial's model refit and explained on demand with its progress shown."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from modelyard import Workspace
from studio.conftest import ARTIFACTS
from studio.test_automl import register_hr

JOB_SECONDS = 600
EXPLAINED_MS = JOB_SECONDS * 1000  # a refit and an explanation on a loaded machine


def test_trials_show_and_make_their_explanations(studio: str, page: Page, hr_csv: Path, workspace_root: Path):
    register_hr(studio, hr_csv)
    run = httpx.post(f"{studio}/api/jobs", timeout=60, json={
        "type": "automl", "task": "classification", "training_data": "azureml:employeeattrition:1",
        "target_column_name": "Attrition", "experiment_name": "explained-trials", "n_cross_validations": 3,
        "training": {"allowed_training_algorithms": ["LogisticRegression", "LightGBM"]},
        "limits": {"timeout_minutes": 5, "max_trials": 3, "max_concurrent_trials": 2}}).json()["name"]
    with Workspace(workspace_root) as ws:
        job = ws.jobs.wait(run, timeout=JOB_SECONDS)
        assert job.status == "Completed", ws.jobs.logs(run)["text"][-3000:]
        trials = ws.jobs.children(run)
    best = next(t for t in trials if t.name == job.properties["best_child_job"])
    other = next(t for t in trials if t.properties.get("trial_status") == "Completed" and t.name != best.name
                 and not t.properties.get("model_uri"))

    page.goto(f"{studio}/automl/runs/{run}/trials/{best.step}")
    page.get_by_role("tab", name="Explanations").click()
    importance = page.get_by_role("list", name="Global feature importance")
    expect(importance.locator('li[data-feature="OverTime"]')).to_be_visible()
    assert importance.locator(".importance-bar").first.bounding_box()["width"] > 100, "the bars are drawn"
    expect(page.get_by_label("raw features (engineered summed back)")).to_be_checked()
    expect(page.get_by_role("list", name="Contributions to row 1")).to_be_visible()
    expect(page.get_by_text(f"Made by job {run}.")).to_be_visible()  # the AutoML job explained its best model
    expect(page.get_by_role("button", name="Explain this model")).to_have_count(0)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "trial-explanation-best.png"), full_page=True)

    page.goto(f"{studio}/automl/runs/{run}/trials/{other.step}?tab=explanation")
    expect(page.get_by_text("The trial kept no model: it is refit on all training rows first")).to_be_visible()
    page.get_by_role("button", name="Explain this model").click()
    progress = page.get_by_role("list", name="Explanation progress")
    expect(progress).to_contain_text("Refit the trial's model on all training rows")
    expect(progress).to_contain_text("Explain the model on the training rows")
    page.screenshot(path=str(ARTIFACTS / "trial-explanation-progress.png"), full_page=True)
    importance = page.get_by_role("list", name="Global feature importance")
    expect(importance.locator("li").first).to_be_visible(timeout=EXPLAINED_MS)
    assert importance.locator(".importance-bar").first.bounding_box()["width"] > 100, "the bars are drawn"
    expect(page.get_by_role("list", name="Contributions to row 1")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("button", name="Explain this model")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "trial-explanation-refit.png"), full_page=True)
    answer = httpx.get(f"{studio}/api/jobs/{other.name}/explanation", timeout=60).json()
    assert answer["status"] == "Completed" and answer["job"] != run, answer

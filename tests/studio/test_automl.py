"""The Automated ML wizard in Chromium: refusals shown in place (the whole run, leaderboard, charts and deploy
are clicked through in test_workshop.py)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from modelyard import Workspace
from server_fixtures import run_cli
from studio.conftest import ARTIFACTS
from studio.test_workshop import open_automl_wizard


def register_hr(studio: str, hr_csv: Path) -> None:
    response = httpx.post(f"{studio}/api/data", json={"name": "employeeattrition", "type": "mltable",
                                                      "path": str(hr_csv), "profile": False}, timeout=120)
    response.raise_for_status()


def test_wizard_shows_the_servers_refusal_in_place_and_submits_nothing(studio: str, page: Page, hr_csv: Path):
    register_hr(studio, hr_csv)
    page.goto(studio)
    open_automl_wizard(page, "bad name!", "local")
    expect(page.get_by_role("button", name="Finish")).to_be_enabled()
    # the featurization table's cells line up: same top and height in a row
    for row in page.locator(".featurization-columns tbody tr").all()[:3]:
        boxes = [cell.bounding_box() for cell in row.locator("td").all()]
        assert max(b["y"] for b in boxes) - min(b["y"] for b in boxes) <= 1, boxes
        assert max(b["height"] for b in boxes) - min(b["height"] for b in boxes) <= 1, boxes
    hours = page.get_by_label("Training job time (hours)")
    expect(hours).to_have_value("0.25")                          # Azure's unit: 0.25 hours is 15 minutes
    expect(page.get_by_test_id("training-minutes")).to_have_text("15 minutes")
    hours.fill("0")
    expect(page.get_by_role("button", name="Finish")).to_be_disabled()
    expect(page.get_by_text("enter the training job time in hours, such as 0.25 for 15 minutes")).to_be_visible()
    hours.fill("0.002")                                           # 7 s: the server's floor is refused before submitting
    expect(page.get_by_role("button", name="Finish")).to_be_disabled()
    expect(page.get_by_text("7 s cannot train any model")).to_contain_text("at least 15 s")
    hours.fill("0.02")
    expect(page.get_by_test_id("training-minutes")).to_have_text("1 minute 12 s")
    page.get_by_role("button", name="Finish").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The run was not submitted")
    expect(alert).to_contain_text("bad name!")
    expect(page).to_have_url(re.compile(r"/automl/new$"))
    assert [j for j in httpx.get(f"{studio}/api/jobs").json() if j["type"] == "automl"] == []


def test_stopped_trials_and_a_failed_run_read_consistently(studio: str, page: Page, hr_csv: Path, workspace_root: Path):
    """A run whose exit score the first trial reaches stops the other running trial: it says EarlyTerminated
    everywhere, with no failure box, no charts error and no deploy. A run whose 60 ms trial limit lets no trial
    start fails, and its page puts the one-line reason above the collapsed log."""
    register_hr(studio, hr_csv)
    base = {"type": "automl", "task": "classification", "training_data": "azureml:employeeattrition:1",
            "target_column_name": "Attrition", "experiment_name": "stopped"}
    stopping = httpx.post(f"{studio}/api/jobs", timeout=60, json={
        **base, "limits": {"timeout_minutes": 3, "exit_score": 0.0, "max_concurrent_trials": 2},
        "training": {"enable_model_explainability": False}}).json()["name"]  # stopped trials are under test
    failing = httpx.post(f"{studio}/api/jobs", timeout=60, json={
        **base, "limits": {"timeout_minutes": 0.3, "trial_timeout_minutes": 0.001}}).json()["name"]
    with Workspace(workspace_root) as ws:
        assert ws.jobs.wait(failing, timeout=600).status == "Failed"
        assert ws.jobs.wait(stopping, timeout=600).status == "Completed"  # the exit score ends it, not the budget

    page.goto(f"{studio}/automl/runs/{failing}")
    reason = page.get_by_test_id("failure-reason")
    expect(reason).to_contain_text("is too small to train any model")
    assert "\n" not in reason.inner_text() and "last log lines" not in reason.inner_text()
    expect(page.locator(".run-failure details")).not_to_have_attribute("open", "")

    trials = httpx.get(f"{studio}/api/jobs/{stopping}/children").json()
    stopped = [t for t in trials if t["properties"].get("trial_status") == "EarlyTerminated"]
    assert stopped and all(t["error"] is None and t["properties"]["stopped_because"] for t in stopped), trials
    page.goto(f"{studio}/automl/runs/{stopping}")
    summary = page.locator(".automl-summary")  # read from the run's typed AutoML spec
    expect(summary).to_contain_text("employeeattrition:1")
    expect(summary).to_contain_text("Attrition")
    expect(summary).to_contain_text("3 min 0 s from submission")  # limits.timeout_minutes
    expect(page.get_by_test_id("search-end")).to_have_text("exit_score 0.0 reached")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "automl-run-summary.png"), full_page=True)
    leaderboard = page.get_by_test_id("leaderboard")
    expect(leaderboard.locator("tbody tr")).to_have_count(len(trials))
    expect(page.get_by_test_id("trials-done")).to_have_text(str(len(trials)))
    row = leaderboard.locator(f'tr[data-trial="{stopped[0]["step"]}"]')
    expect(row.locator(".job-status")).to_have_text("EarlyTerminated")

    row.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1).locator(".job-status")).to_have_text("EarlyTerminated")
    expect(page.get_by_test_id("no-charts")).to_have_text(
        re.compile(r"^This trial was stopped (early \(exit_score reached\)|at the time budget) and has no charts\.$"))
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("button", name="Deploy this model")).to_have_count(0)

    listed = run_cli("job", "list", "--parent", stopping, cwd=workspace_root)
    assert listed.stdout.count("EarlyTerminated") == len(stopped), listed.stdout

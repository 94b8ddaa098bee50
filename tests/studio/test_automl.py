"""The Automated ML pages clicked through in Chromium: wizard -> live run -> leaderboard -> trial charts -> deploy."""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pandas as pd
from playwright.sync_api import Page, expect

from modelyard import Workspace

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS_SCREENSHOT = REPO_ROOT / "docs" / "automl-leaderboard.png"
RUN_TIMEOUT_MS = 240_000
ENDPOINT = "attrition-studio"


def register_hr(studio: str, hr_csv: Path) -> None:
    response = httpx.post(f"{studio}/api/data", json={"name": "employeeattrition", "type": "mltable",
                                                      "path": str(hr_csv), "profile": False}, timeout=120)
    response.raise_for_status()


def fill_wizard(page: Page, studio: str, experiment: str) -> None:
    """Steps 1-3 of the wizard (dataset, run settings, task) up to the additional configuration."""
    page.goto(f"{studio}/automl")
    page.get_by_role("link", name="New Automated ML run").click()
    page.get_by_label("employeeattrition").check()
    page.get_by_role("button", name="Next").click()
    page.get_by_label("Experiment name").fill(experiment)
    page.get_by_label("Target column").select_option("Attrition")
    page.get_by_label("Compute target").select_option("local")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("radio", name=re.compile("^Classification")).check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_label("Primary metric")).to_have_value("AUC_weighted")


def test_wizard_run_leaderboard_trial_charts_and_deploy_best_model(studio: str, page: Page, hr_csv: Path,
                                                                   workspace_root: Path):
    register_hr(studio, hr_csv)
    fill_wizard(page, studio, "automl-attrition")
    page.get_by_label("Training time (minutes)").fill("0.5")
    page.get_by_label("Max concurrent iterations").fill("2")
    page.get_by_role("radio", name="Train-validation split").check()
    page.get_by_label("Validation size (share of rows)").fill("0.25")
    page.get_by_label("Drop EmployeeNumber").check()
    page.get_by_label("Purpose of JobLevel").select_option("Categorical")
    page.get_by_role("button", name="Finish").click()

    # the run page: live progress, then the leaderboard fills and the run ends
    expect(page).to_have_url(re.compile(r"/automl/runs/[^/]+$"))
    name = page.url.rsplit("/", 1)[1]
    leaderboard = page.get_by_test_id("leaderboard")
    expect(leaderboard.locator("tbody tr").nth(1)).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Completed", timeout=RUN_TIMEOUT_MS)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(leaderboard.locator("tbody tr").first).to_have_class(re.compile("best"))
    expect(leaderboard.locator("tbody tr").first.get_by_text("Best")).to_be_visible()
    expect(page.get_by_role("heading", name="Data guardrails")).to_be_visible()
    expect(page.get_by_text("Class balancing detection", exact=True)).to_be_visible()
    expect(page.get_by_test_id("featurization").locator("tr", has_text="EmployeeNumber")).to_contain_text("dropped")

    job = httpx.get(f"{studio}/api/jobs/{name}").json()
    assert job["spec"]["featurization"]["drop_columns"] == ["EmployeeNumber"]
    assert job["spec"]["featurization"]["column_name_and_types"] == {"JobLevel": "Categorical"}
    assert job["spec"]["validation_data_size"] == 0.25 and job["spec"]["limits"]["timeout_minutes"] == 0.5
    trials = httpx.get(f"{studio}/api/jobs/{name}/children").json()
    assert leaderboard.locator("tbody tr").count() == len(trials)
    best_score = job["properties"]["best_score"]
    expect(page.get_by_test_id("best-model")).to_contain_text(f"{best_score:.4g}"[:5])

    if os.environ.get("MODELYARD_UPDATE_SCREENSHOTS"):
        DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.get_by_role("heading", name=re.compile("^Leaderboard")).scroll_into_view_if_needed()
        page.screenshot(path=str(DOCS_SCREENSHOT))

    # the best trial's model page: metrics, hyperparameters, ROC curve and confusion matrix
    page.get_by_test_id("best-model").get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/automl/runs/{name}/trials/[^/]+$"))
    expect(page.get_by_role("heading", name="Metrics")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^AUC_weighted"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^ROC curve: class Yes, AUC 0\.\d"))).to_be_visible()
    expect(page.locator(".recharts-line-curve").first).to_be_visible()
    matrix = page.get_by_test_id("confusion-matrix")
    expect(matrix.get_by_role("row", name=re.compile("^Yes"))).to_be_visible()
    counts = [int(cell.replace(",", "")) for cell in matrix.locator("tbody td").all_inner_texts()]
    assert len(counts) == 4 and sum(counts) > 0

    # deploy the best model from the run page; the dialog ends on a link to the endpoint
    page.get_by_role("link", name=name, exact=True).click()
    page.get_by_role("button", name="Deploy best model").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Model name")).to_have_value("automl-attrition-best")
    expect(dialog.get_by_label("Authentication")).to_have_value("key")
    dialog.get_by_label("Endpoint name").fill(ENDPOINT)
    dialog.get_by_role("button", name="Deploy").click()
    link = dialog.get_by_role("link", name=f"Open endpoint {ENDPOINT}")
    expect(link).to_be_visible(timeout=180_000)
    expect(link).to_have_attribute("href", f"/endpoints/{ENDPOINT}")

    with Workspace(workspace_root) as ws:
        endpoint = ws.online_endpoints.get(ENDPOINT)
        assert endpoint.auth_mode == "key" and list(endpoint.traffic.values()) == [100]
        rows = pd.read_csv(hr_csv, encoding="utf-8-sig").drop(columns=["Attrition"]).head(2)
        answer = ws.online_endpoints.invoke(ENDPOINT, {"data": rows.to_dict(orient="records")})
        assert len(answer["result"]) == 2 and set(answer["result"]) <= {"Yes", "No"}
        assert ws.models.get("automl-attrition-best@latest").version == 1

    # a second deploy to the same endpoint name is refused before anything is registered
    dialog.get_by_role("button", name="Close").click()
    page.get_by_role("button", name="Deploy best model").click()
    page.get_by_role("dialog").get_by_label("Endpoint name").fill(ENDPOINT)
    page.get_by_role("dialog").get_by_role("button", name="Deploy").click()
    expect(page.get_by_role("dialog").get_by_role("alert")).to_contain_text(f"endpoint '{ENDPOINT}' exists already")
    assert len(httpx.get(f"{studio}/api/models?name=automl-attrition-best").json()) == 1


def test_wizard_shows_the_servers_refusal_in_place_and_submits_nothing(studio: str, page: Page, hr_csv: Path):
    register_hr(studio, hr_csv)
    fill_wizard(page, studio, "bad name!")
    expect(page.get_by_role("button", name="Finish")).to_be_enabled()
    page.get_by_label("Training time (minutes)").fill("0")
    expect(page.get_by_role("button", name="Finish")).to_be_disabled()
    expect(page.get_by_text("the training time must be more than 0 minutes")).to_be_visible()
    page.get_by_label("Training time (minutes)").fill("1")
    page.get_by_role("button", name="Finish").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The run was not submitted")
    expect(alert).to_contain_text("bad name!")
    expect(page).to_have_url(re.compile(r"/automl/new$"))
    assert [j for j in httpx.get(f"{studio}/api/jobs").json() if j["type"] == "automl"] == []

"""The studio's compute instances (create, open JupyterLab, stop) and Notebooks page (upload, open in
JupyterLab, download), in Chromium against a real server: a notebook run in the instance logs a metric
that the studio's job page charts. Screenshots of the pages for review."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from lab_kernels import Lab, run_notebook

from .conftest import ARTIFACTS

START_MS = 180_000  # JupyterLab's first start on a loaded machine
LOGGING_CELLS = [
    "from modelyard.azureml.core import Experiment, Workspace\n"
    "run = Experiment(Workspace.from_config(), 'from-lab').start_logging(display_name='lab training')",
    "for accuracy in (0.5, 0.75):\n    run.log('accuracy', accuracy)\nrun.complete()\nprint(run.id)",
]
NOTEBOOK = json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
                                  "outputs": [], "source": source} for i, source in enumerate(LOGGING_CELLS)],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_an_instance_from_the_compute_page_opens_the_notebooks_folder(studio: str, page: Page, tmp_path: Path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{studio}/compute")
    page.get_by_role("button", name="New compute").click()
    page.get_by_label("Type").select_option("instance")
    page.get_by_label("Name").fill("nb1")
    page.get_by_label("Idle shutdown (minutes)").fill("60")
    page.get_by_role("button", name="Create").click()
    row = page.locator('tr[data-compute="nb1"]')
    expect(row).to_contain_text("Running", timeout=START_MS)
    expect(row).to_contain_text("60 min")
    lab_url = row.get_by_role("link", name="Open JupyterLab of nb1").get_attribute("href")
    assert lab_url.startswith("http://127.0.0.1:") and "/lab?token=" in lab_url
    base, token = lab_url.split("/lab?token=")
    assert httpx.get(f"{base}/api/status", headers={"Authorization": f"token {token}"}).status_code == 200
    page.screenshot(path=str(ARTIFACTS / "compute-instances.png"), full_page=True)

    page.get_by_role("link", name="Notebooks").click()
    expect(page.get_by_text("No files yet")).to_be_visible()
    source = tmp_path / "train.ipynb"
    source.write_text(NOTEBOOK)
    page.get_by_label("Upload a notebook").set_input_files(str(source))
    file_row = page.locator('tr[data-notebook="train.ipynb"]')
    expect(file_row).to_be_visible()
    opened = file_row.get_by_role("link", name="Open train.ipynb in JupyterLab").get_attribute("href")
    assert opened == f"{base}/lab/tree/train.ipynb?token={token}"
    seen = httpx.get(f"{base}/api/contents/train.ipynb", headers={"Authorization": f"token {token}"})
    assert seen.status_code == 200 and seen.json()["type"] == "notebook"  # JupyterLab sees the upload
    with page.expect_download() as download:
        file_row.get_by_role("button", name="Download train.ipynb").click()
    assert Path(download.value.path()).read_text() == NOTEBOOK
    page.screenshot(path=str(ARTIFACTS / "notebooks.png"), full_page=True)

    job = run_notebook(Lab(lab_url), "train.ipynb").strip()  # run inside the instance, as "Run All" does
    page.goto(f"{studio}/jobs")
    expect(page.locator(f'tr[data-job="{job}"]')).to_contain_text("lab training")
    page.goto(f"{studio}/jobs/{job}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Completed")
    page.get_by_role("tab", name="Metrics").click()
    expect(page.locator('figure[data-metric="accuracy"]').locator(".recharts-line path").first).to_be_visible()
    expect(page.get_by_text("accuracy = 0.75")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "notebook-run-job.png"), full_page=True)

    page.goto(f"{studio}/compute")
    page.get_by_role("button", name="Stop nb1").click()
    expect(row).to_contain_text("Stopped")
    expect(row.get_by_role("link", name="Open JupyterLab of nb1")).to_have_count(0)
    expect(row.get_by_role("button", name="Start nb1")).to_be_visible()


def test_an_explanation_uploaded_from_a_notebook_shows_on_the_models_explanations_tab(studio: str, page: Page, ws,
                                                                                       hr_csv, tmp_path: Path):
    import joblib
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    from modelyard.azureml.core import Experiment, Workspace
    from modelyard.azureml.interpret import ExplanationClient, TabularExplainer

    features = ["Age", "DistanceFromHome", "MonthlyIncome", "TotalWorkingYears", "YearsAtCompany"]
    frame = pd.read_csv(hr_csv, encoding="utf-8-sig")
    model = LogisticRegression(max_iter=1000).fit(frame[features], frame["Attrition"])
    run = Experiment(Workspace(sdk=ws), "explain-in-notebook").start_logging()  # the v1 notebook's calls
    joblib.dump(model, tmp_path / "model.pkl")
    run.upload_file("outputs/model.pkl", str(tmp_path / "model.pkl"))
    run.register_model("attrition-notebook", "outputs/model.pkl")
    explanation = TabularExplainer(model, frame[features]).explain_global(frame[features].head(200))
    ExplanationClient.from_run(run).upload_model_explanation(explanation, comment="from my notebook")
    run.complete()

    page.goto(f"{studio}/models/attrition-notebook/1")
    rai = page.get_by_role("region", name="Responsible AI")
    importance = rai.get_by_role("list", name="Global feature importance")
    expect(importance.locator("li")).to_have_count(len(features))
    top = explanation.get_ranked_global_names()[0]
    expect(importance.locator("li").first).to_have_attribute("data-feature", top)
    expect(rai).to_contain_text(f"uploaded from run {run.id}")
    page.screenshot(path=str(ARTIFACTS / "model-uploaded-explanation.png"), full_page=True)

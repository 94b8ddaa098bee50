"""The studio's compute instances (create, open JupyterLab, stop) and Notebooks page (upload, open in
JupyterLab, download), in Chromium against a real server; screenshots of both pages for review."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS

START_MS = 180_000  # JupyterLab's first start on a loaded machine
NOTEBOOK = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


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

    page.get_by_role("link", name="Compute").click()
    page.get_by_role("button", name="Stop nb1").click()
    expect(row).to_contain_text("Stopped")
    expect(row.get_by_role("link", name="Open JupyterLab of nb1")).to_have_count(0)
    expect(row.get_by_role("button", name="Start nb1")).to_be_visible()

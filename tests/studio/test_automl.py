"""The Automated ML wizard in Chromium: refusals shown in place (the whole run, leaderboard, charts and deploy
are clicked through in test_workshop.py)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

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

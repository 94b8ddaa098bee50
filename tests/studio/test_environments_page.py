"""The Environments pages in Chromium against a real server: the list with each version's build state,
a version's spec, pip freeze and build log, a failed build with pip's message, and building, archiving and
building again from the studio."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from environments.conftest import BUILD_SECONDS, PINNED
from server_fixtures import workspace_server

from .conftest import ARTIFACTS

MISSING = "modelyard-no-such-package-xyz==1.0"


@pytest.fixture(scope="module")
def environments(tmp_path_factory, studio_build):
    """(studio URL, SDK Workspace) with attrition-env:1 built (pinned tabulate) and broken-env:1 failed."""
    root = tmp_path_factory.mktemp("studio-environments") / "ws"
    with workspace_server(root, "environments") as (info, ws):
        ws.environments.create({"name": "attrition-env", "python": None, "pip": [PINNED], "description": "pinned tabulate"})
        ws.environments.create({"name": "broken-env", "pip": [MISSING]})
        assert ws.environments.wait("attrition-env:1", timeout=BUILD_SECONDS).state == "Ready"
        assert ws.environments.wait("broken-env:1", timeout=BUILD_SECONDS).state == "Failed"
        yield info.url, ws


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"environments-{name}.png"), full_page=True)


def test_the_list_shows_each_version_and_a_version_its_spec_packages_and_log(environments, page: Page):
    studio, ws = environments
    page.goto(studio)
    page.get_by_role("navigation").get_by_role("link", name="Environments").click()
    expect(page).to_have_url(re.compile(r"/environments$"))
    ready = page.locator('tr[data-environment="attrition-env:1"]')
    expect(ready).to_contain_text("Ready")
    expect(ready).to_contain_text("pinned tabulate")
    expect(page.locator('tr[data-environment="broken-env:1"]')).to_contain_text("Failed")
    screenshot(page, "list")

    ready.get_by_role("link", name="attrition-env").click()
    expect(page).to_have_url(re.compile(r"/environments/attrition-env/1$"))
    details = page.get_by_test_id("environment-details")
    expect(details).to_contain_text(PINNED)
    build_job = ws.environments.get("attrition-env:1").build_job
    expect(details.get_by_role("link", name=build_job)).to_be_visible()
    expect(page.get_by_label("environment.yml snippet", exact=True)).to_contain_text(f'- "{PINNED}"')

    page.get_by_role("tab", name="Packages (pip freeze)").click()
    expect(page.get_by_label("pip freeze snippet", exact=True)).to_contain_text(PINNED)
    page.get_by_role("tab", name="Build log").click()
    log = page.get_by_label("build log snippet", exact=True)
    expect(log).to_contain_text("tabulate")
    assert log.inner_text().strip() == ws.environments.build_log("attrition-env:1").strip()
    screenshot(page, "version")


def test_a_failed_build_shows_pips_message(environments, page: Page):
    studio, _ = environments
    page.goto(f"{studio}/environments/broken-env/1?tab=log")
    expect(page.locator(".page-title")).to_contain_text("Failed")
    expect(page.get_by_test_id("environment-details")).to_contain_text("No matching distribution")
    expect(page.get_by_label("build log snippet", exact=True)).to_contain_text("No matching distribution found")
    page.get_by_role("tab", name="Packages (pip freeze)").click()
    expect(page.get_by_text("Nothing installed: the build failed")).to_be_visible()
    screenshot(page, "failed")


def test_build_archive_and_build_again_from_the_studio(environments, page: Page):
    studio, ws = environments
    page.goto(f"{studio}/environments")
    page.get_by_role("button", name="Build an environment").click()
    page.get_by_label("Name", exact=True).fill("studio-env")
    page.get_by_label("pip requirements").fill(f"# the workshop's pin\n{PINNED}\n")
    page.get_by_role("button", name="Build", exact=True).click()
    expect(page).to_have_url(re.compile(r"/environments/studio-env/1$"))
    created = ws.environments.get("studio-env:1")
    assert created.pip == [PINNED] and created.build_job
    expect(page.locator(".page-title")).to_contain_text("Ready", timeout=BUILD_SECONDS * 1000)  # refreshed while it builds

    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_role("button", name="Restore")).to_be_visible()
    assert ws.environments.get("studio-env:1").archived
    page.get_by_role("button", name="Build again as a new version").click()
    expect(page).to_have_url(re.compile(r"/environments/studio-env/2$"))
    assert ws.environments.get("studio-env@latest").version == 2

    page.get_by_role("link", name="Environments").first.click()
    expect(page.locator('tr[data-environment="studio-env:2"]')).to_be_visible()
    expect(page.locator('tr[data-environment="studio-env:1"]')).to_have_count(0)
    page.get_by_label("Show archived versions").check()
    expect(page.locator('tr[data-environment="studio-env:1"]')).to_contain_text("(archived)")

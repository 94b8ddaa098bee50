"""The studio clicked through in Chromium against a real workspace server."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from server_fixtures import run_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
DOCS_SCREENSHOT = REPO_ROOT / "docs" / "studio-profile.png"
ATTRITION_ERROR = "column 'Attrition' expected integer, got 'Yes'"


def register(studio: str, hr_csv: Path, name: str = "employeeattrition") -> dict:
    """A profiled HR data asset created through the REST API (as the CLI would)."""
    response = httpx.post(f"{studio}/api/data", json={"name": name, "type": "mltable", "path": str(hr_csv)}, timeout=120)
    response.raise_for_status()
    return response.json()


# a select's chosen text, measured in its own font, fits inside it (less the arrow's room)
SELECT_TEXT_FITS = """select => {
    const context = document.createElement("canvas").getContext("2d");
    context.font = getComputedStyle(select).font;
    return context.measureText(select.options[select.selectedIndex].text).width + 28 <= select.clientWidth;
}"""


def profile_row(page: Page, column: str):
    return page.get_by_test_id("profile-table").locator(f'tr[data-column="{column}"]')


def test_wizard_uploads_the_hr_csv_and_its_profile_shows_age(studio: str, page: Page, hr_csv: Path):
    page.goto(studio)
    page.get_by_role("link", name="Create dataset").first.click()
    expect(page).to_have_url(re.compile(r"/data/new$"))

    # (1) basic info and source: upload the local file
    page.get_by_label("Description").fill("IBM HR attrition sample")
    page.get_by_label("File to upload").set_input_files(str(hr_csv))
    expect(page.get_by_test_id("upload-done")).to_have_text("Uploaded HR-Employee-Attrition.csv")
    page.get_by_label("Name", exact=True).fill("employeeattrition")
    page.get_by_role("button", name="Next").click()

    # (2) settings and live preview: a wrong delimiter shows one column, detection brings back all 35
    preview = page.get_by_test_id("preview-table")
    expect(preview.locator("thead th")).to_have_count(36)  # '#' + 35 columns
    expect(preview.locator("tbody tr")).to_have_count(20)
    expect(preview.locator("tbody tr").first.locator("td").nth(1)).to_have_text("41")
    page.get_by_label("Delimiter").select_option(";")
    expect(preview.locator("thead th")).to_have_count(2)
    expect(preview.locator("thead th").nth(1)).to_contain_text("Age,Attrition,BusinessTravel")
    page.get_by_label("Delimiter").select_option(",")
    first_cell = preview.locator("tbody tr").first.locator("td").nth(1)
    page.get_by_label("Column headers").select_option("no_headers")  # the header line becomes a data row
    expect(first_cell).to_have_text("Age")
    page.get_by_label("Skip rows").fill("1")  # ... unless it is skipped
    expect(first_cell).to_have_text("41")
    page.get_by_label("Skip rows").fill("0")
    page.get_by_label("Column headers").select_option("all_files_same_headers")
    # the chosen header mode is shown whole, not cut to "All files have the same he"
    assert page.get_by_label("Column headers").evaluate(SELECT_TEXT_FITS), "the Column headers choice is truncated"
    expect(preview.locator("thead th").nth(1)).to_contain_text("Age")
    expect(first_cell).to_have_text("41")
    expect(page.get_by_role("button", name="Next")).to_be_enabled()
    page.get_by_role("button", name="Next").click()

    # (3) schema: EmployeeNumber is an identifier, not a number; Over18 is constant and left out
    page.get_by_label("Type of EmployeeNumber").select_option("string")
    page.get_by_label("Include Over18").uncheck()
    checked = page.get_by_test_id("preview-table")
    expect(checked.locator("thead th", has_text="EmployeeNumber")).to_contain_text("string")
    expect(checked.locator("thead th", has_text="Over18")).to_have_count(0)
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("button", name="Next")).to_be_enabled()
    page.get_by_role("button", name="Next").click()

    # (4) confirm, with the profile
    expect(page.get_by_text("EmployeeNumber → string, Over18 excluded")).to_be_visible()
    expect(page.get_by_role("checkbox", name=re.compile("Profile the dataset"))).to_be_checked()
    page.get_by_role("button", name="Create").click()
    expect(page).to_have_url(re.compile(r"/data/employeeattrition/1$"), timeout=120_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("employeeattrition:1")
    expect(page.get_by_text("IBM HR attrition sample")).to_be_visible()
    expect(page.get_by_test_id("data-source")).to_have_text("uploaded file HR-Employee-Attrition.csv")
    expect(page.locator("main")).not_to_contain_text(".modelyard/uploads")

    page.get_by_role("tab", name="Profile").click()
    age = profile_row(page, "Age")
    expect(age.locator('[data-stat="min"]')).to_have_text("18")
    expect(age.locator('[data-stat="max"]')).to_have_text("60")
    expect(age.locator('[data-stat="count"]')).to_have_text("1,470")
    expect(age.get_by_role("img", name=re.compile("Histogram of Age"))).to_be_visible()
    expect(profile_row(page, "Attrition").get_by_role("img", name=re.compile("Most common values of Attrition: No 1233, Yes 237"))).to_be_visible()
    expect(profile_row(page, "EmployeeNumber").locator("td").nth(1)).to_have_text("string")
    expect(profile_row(page, "Over18")).to_have_count(0)
    # each group of statistics fits 1280 px: the table does not scroll sideways
    scroll = page.get_by_test_id("profile-table").locator("xpath=..")
    for group, stat in (("Moments", "mean"), ("Quantiles", "q99.9%"), ("Summary", "min")):
        page.get_by_role("radio", name=group).check()
        expect(age.locator(f'[data-stat="{stat}"]')).to_be_visible()
        assert scroll.evaluate("box => box.scrollWidth - box.clientWidth") <= 1, f"the {group} statistics scroll sideways"

    # sortable: the largest maximum first
    page.get_by_role("button", name=re.compile("^Max")).click()
    page.get_by_role("button", name=re.compile("^Max")).click()
    expect(page.get_by_test_id("profile-table").locator("tbody tr").first).to_have_attribute("data-column", "MonthlyRate")

    # a reload of a client-side route lands on the same page
    page.reload()
    expect(profile_row(page, "Age").locator('[data-stat="max"]')).to_have_text("60")

    if os.environ.get("MODELYARD_UPDATE_SCREENSHOTS"):
        page.get_by_role("button", name=re.compile("^Column")).click()
        DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_SCREENSHOT))


def test_wizard_shows_a_wrong_column_type_error_from_the_api(studio: str, page: Page, hr_csv: Path):
    page.goto(f"{studio}/data/new")
    page.get_by_label("Name", exact=True).fill("hr")
    page.get_by_role("radio", name=re.compile("path on the server")).check()
    page.get_by_label("Path or URL").fill(str(hr_csv))
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_test_id("preview-table").locator("thead th")).to_have_count(36)
    page.get_by_role("button", name="Next").click()

    page.get_by_label("Type of Attrition").select_option("integer")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This schema does not fit the data")
    expect(alert).to_contain_text(ATTRITION_ERROR)
    expect(page.get_by_role("button", name="Next")).to_be_disabled()

    page.get_by_label("Type of Attrition").select_option("string")
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("button", name="Next")).to_be_enabled()


def test_dark_theme_toggles_and_is_remembered(studio: str, page: Page):
    page.goto(studio)
    expect(page.get_by_test_id("workspace-name")).to_have_text("test")
    html = page.locator("html")
    expect(html).to_have_attribute("data-theme", "light")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")

    page.get_by_role("button", name=re.compile("Dark theme")).click()
    expect(html).to_have_attribute("data-theme", "dark")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark != light

    page.reload()
    expect(html).to_have_attribute("data-theme", "dark")
    page.get_by_role("button", name=re.compile("Light theme")).click()
    expect(html).to_have_attribute("data-theme", "light")


PAGES = ["/", "/data", "/data/new", "/datastores", "/data/employeeattrition/1",
         "/data/employeeattrition/1?tab=explore", "/data/employeeattrition/1?tab=profile",
         "/data/employeeattrition/1?tab=consume"]


@pytest.mark.parametrize("size", [(1280, 800), (420, 800)], ids=["1280x800", "narrow"])
def test_pages_have_no_horizontal_scrollbar(studio: str, page: Page, hr_csv: Path, size):
    register(studio, hr_csv)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    for path in PAGES:
        page.goto(studio + path)
        expect(page.locator("main h1")).to_be_visible()
        if "tab=profile" in path:
            expect(page.get_by_test_id("profile-table")).to_be_visible()
        if "tab=explore" in path:
            expect(page.get_by_test_id("preview-table")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} at {size[0]}x{size[1]} scrolls sideways by {overflow}px"


def test_home_counts_and_data_list(studio: str, page: Page, hr_csv: Path):
    register(studio, hr_csv)
    page.goto(studio)
    expect(page.get_by_test_id("count-data")).to_have_text("1")
    expect(page.get_by_test_id("count-datastores")).to_have_text("1")
    page.get_by_role("link", name="employeeattrition:1").click()
    expect(page).to_have_url(re.compile(r"/data/employeeattrition/1$"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Data", exact=True).click()
    row = page.get_by_role("row", name=re.compile("employeeattrition"))
    expect(row).to_contain_text("Tabular")
    expect(row).to_contain_text("1,470")
    expect(row).to_contain_text("221 KB")


def test_explore_pages_through_rows(studio: str, page: Page, hr_csv: Path):
    register(studio, hr_csv)
    page.goto(f"{studio}/data/employeeattrition/1?tab=explore")
    table = page.get_by_test_id("preview-table")
    expect(table.locator("tbody tr")).to_have_count(25)
    expect(page.get_by_test_id("explore-range")).to_have_text("Rows 1–25")
    # all 25 rows stand at their height: the table is not cut by a fixed box that scrolls
    box = table.locator("xpath=..")
    assert box.evaluate("b => b.scrollHeight - b.clientHeight") <= 1
    page.get_by_role("button", name="Next page").click()
    expect(page.get_by_test_id("explore-range")).to_have_text("Rows 26–50")
    expect(table.locator("tbody tr").first.locator("td").first).to_have_text("26")


def test_versions_archive_and_restore(studio: str, page: Page, hr_csv: Path):
    register(studio, hr_csv)
    httpx.post(f"{studio}/api/data", json={"name": "employeeattrition", "type": "mltable", "path": str(hr_csv),
                                           "force_new_version": True, "profile": False}, timeout=120).raise_for_status()
    page.goto(f"{studio}/data/employeeattrition?tab=versions")
    expect(page.get_by_role("heading", level=1)).to_contain_text("employeeattrition:2")
    page.get_by_role("button", name="Archive version 2").click()
    expect(page.get_by_role("button", name="Restore version 2")).to_be_visible()
    assert httpx.get(f"{studio}/api/data/employeeattrition/versions/latest").json()["version"] == 1
    page.get_by_role("button", name="Restore version 2").click()
    expect(page.get_by_role("button", name="Archive version 2")).to_be_visible()
    assert httpx.get(f"{studio}/api/data/employeeattrition/versions/latest").json()["version"] == 2


def test_consume_snippets_run_as_shown(studio: str, page: Page, hr_csv: Path, workspace_root: Path):
    register(studio, hr_csv)
    page.goto(f"{studio}/data/employeeattrition/1?tab=consume")
    python = page.get_by_label("Python snippet", exact=True)
    expect(python).to_contain_text('df = ws.data.get("employeeattrition", version=1).to_pandas()')
    cli = page.get_by_label("CLI snippet", exact=True)
    expect(cli).to_contain_text("modelyard data download employeeattrition:1")
    r = page.get_by_label("R snippet", exact=True)
    expect(r).to_contain_text(f'"{studio}/api/data/employeeattrition/versions/1"')

    # pasted into Python in the workspace folder, the snippet loads the table
    done = subprocess.run([sys.executable, "-c", python.inner_text() + "\nprint(df.shape)"], cwd=workspace_root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "(1470, 35)" in done.stdout

    download = next(line for line in cli.inner_text().splitlines() if " download " in line)
    done = run_cli(*shlex.split(download)[1:], cwd=workspace_root)
    assert done.returncode == 0, done.stderr
    assert (workspace_root / "employeeattrition" / "HR-Employee-Attrition.csv").read_bytes() == hr_csv.read_bytes()

    if shutil.which("Rscript"):  # R is optional on CI machines; where it is installed, the R snippet must run too
        done = subprocess.run(["Rscript", "-e", r.inner_text()], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "1470 obs. of  35 variables" in done.stdout


def test_datastores_create_show_errors_and_delete(studio: str, page: Page, tmp_path: Path):
    page.goto(f"{studio}/datastores")
    expect(page.get_by_role("row", name=re.compile("workspaceblobstore"))).to_contain_text("default")

    page.get_by_role("button", name="Add datastore").click()
    page.get_by_label("Name").fill("lake")
    page.get_by_label("Folder path").fill(str(tmp_path / "missing"))
    page.get_by_role("button", name="Create datastore").click()
    expect(page.get_by_role("alert")).to_contain_text("Could not create the datastore")

    page.get_by_label("Folder path").fill(str(tmp_path))
    page.get_by_role("button", name="Create datastore").click()
    row = page.get_by_role("row", name=re.compile("lake"))
    expect(row).to_contain_text("local")

    page.get_by_role("button", name="Add datastore").click()
    page.get_by_label("Type").select_option("s3")
    expect(page.get_by_label("Bucket", exact=True)).to_be_visible()
    expect(page.get_by_label("Secret access key")).to_have_attribute("type", "password")
    page.get_by_role("button", name="Cancel").click()

    row.get_by_role("button", name="Delete datastore lake").click()
    page.get_by_role("button", name="Delete lake").click()
    expect(page.get_by_role("row", name=re.compile("lake"))).to_have_count(0)

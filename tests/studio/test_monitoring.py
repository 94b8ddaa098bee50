"""The Monitoring pages in Chromium against a real server: the monitors list, a monitor's run history (pass/fail
over time, and a chart per signal and metric with its threshold line), a run's features ranked by drift with
metric and threshold, tiny histograms of the most drifted features, and a feature's two distributions.

One server for the module: the HR data as reference, four days of production rows (day 1 as the reference is,
days 2 and 3 shifted on Age, MonthlyIncome and BusinessTravel, day 4 empty), and a daily backfill over them.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from monitor_api.conftest import JOB_SECONDS, SHIFTED, monitor_document, register_data
from server_fixtures import workspace_server

from .conftest import ARTIFACTS


@pytest.fixture(scope="module")
def monitored_studio(tmp_path_factory, hr_csv, studio_build):
    root = tmp_path_factory.mktemp("studio-monitoring") / "ws"
    with workspace_server(root, "studio-monitoring") as (info, ws):
        register_data(ws, hr_csv, root.parent)
        ws.monitors.create(monitor_document("hr-daily"))
        job = ws.monitors.run("hr-daily", start="2026-01-01T00:00:00Z", end="2026-01-05T00:00:00Z", backfill=True)
        assert ws.jobs.wait(job.name, timeout=JOB_SECONDS).status == "Completed"
        yield info.url, job.name


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"monitoring-{name}.png"), full_page=True)


def test_monitoring_shows_history_the_drifted_features_and_their_distributions(page: Page, monitored_studio):
    url, job = monitored_studio
    page.goto(f"{url}/monitoring")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="hr-daily"))
    expect(row).to_contain_text("No production data")  # the newest period: day 4
    expect(row).to_contain_text("drift (data_drift)")
    shot(page, "list")

    row.get_by_role("link", name="hr-daily").click()
    expect(page.get_by_role("heading", name="Monitor hr-daily")).to_be_visible()
    history = page.get_by_test_id("history")
    expect(history.locator("tbody tr")).to_have_count(4)
    statuses = [history.locator("tbody tr").nth(i).locator("[data-status]").get_attribute("data-status")
                for i in range(4)]
    assert statuses == ["passed", "failed", "failed", "no_production_data"]
    expect(page.get_by_test_id("status-chart").locator(".recharts-bar-rectangle")).to_have_count(4)

    trends = page.get_by_test_id("metric-trends").locator("figure")
    expect(trends).to_have_count(2)  # the default thresholds check one metric per column type
    assert [trends.nth(i).get_attribute("aria-label") for i in range(2)] == ["drift: Norm. Wasserstein",
                                                                             "drift: Jensen-Shannon"]
    for i in range(2):  # day 4 has no production data, so no point
        dots = trends.nth(i).locator(".trend-dot")
        expect(dots).to_have_count(3)
        assert [dots.nth(d).get_attribute("class").split()[-1] for d in range(3)] == ["passed", "failed", "failed"]
        threshold = trends.nth(i).locator(".threshold-line path.recharts-curve")
        expect(threshold).to_have_attribute("stroke-dasharray", "5 4")
        heights = {float(y) for y in re.findall(r"[ML][\d.]+,([\d.]+)", threshold.get_attribute("d"))}
        assert len(heights) == 1  # 0.1 in every period: a flat dashed line across the chart

    result = page.get_by_test_id("run-result")
    expect(result).to_contain_text(job)
    period = result.get_by_role("combobox")
    expect(period).to_have_value("2")  # opens at the last period with production data: day 3
    features = page.get_by_test_id("features-drift").locator("tbody tr")
    expect(features).to_have_count(34)
    first_three = {features.nth(i).locator("td").first.inner_text() for i in range(3)}
    assert first_three == SHIFTED
    for i in range(3):
        expect(features.nth(i)).to_contain_text("drift")
    expect(features.nth(3)).to_contain_text("passed")
    age = features.filter(has=page.get_by_role("button", name="Age", exact=True))
    expect(age).to_contain_text("Norm. Wasserstein")
    expect(age.locator("td.num").nth(1)).to_have_text("0.1")  # the threshold

    multiples = page.get_by_test_id("small-multiples").get_by_role("button")
    expect(multiples).to_have_count(12)  # the twelve most drifted of 34 features
    assert {multiples.nth(i).inner_text() for i in range(3)} == SHIFTED
    expect(page.get_by_test_id("small-multiples").locator(".drifted")).to_have_count(3)
    expect(multiples.first.locator(".recharts-bar-rectangle").first).to_be_visible()

    chart = page.get_by_test_id("distribution-chart")
    expect(chart).to_contain_text(re.compile(r"reference \(1,?470 values\) vs production \(2,?000 values\)"))
    page.get_by_test_id("small-multiples").get_by_role("button", name="MonthlyIncome").click()
    expect(chart.locator("figcaption")).to_contain_text("MonthlyIncome")
    page.get_by_test_id("features-drift").get_by_role("button", name="BusinessTravel", exact=True).click()
    expect(chart.locator("figcaption")).to_contain_text("BusinessTravel")
    expect(chart).to_contain_text("Travel_Weekly")  # the new category, on the production side only
    expect(chart.locator(".recharts-bar-rectangle").first).to_be_visible()
    shot(page, "run")

    period.select_option("0")  # day 1: as the reference is
    expect(features.filter(has_text="drift")).to_have_count(0)
    shot(page, "passed-period")

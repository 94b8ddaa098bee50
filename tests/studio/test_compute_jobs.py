"""The studio's Compute and Jobs pages, the compare view and the token prompt, in Chromium against a real server."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from modelyard import Workspace

JOB_TIMEOUT = 600  # a hang guard: a loaded machine may take this long
LIVE_TRAINING = """
    import sys, time
    from pathlib import Path
    import mlflow
    for epoch in range(8):
        mlflow.log_metric("loss", 1 / (epoch + 1), step=epoch)
        print(f"epoch {epoch} loss {1 / (epoch + 1):.3f}", flush=True)
        time.sleep(1.5)
    (Path(sys.argv[1]) / "summary.txt").write_text("trained")
"""
QUICK_TRAINING = """
    import sys
    import mlflow
    lr = float(sys.argv[1])
    for step in range(3):
        mlflow.log_metric("auc", lr * (step + 1), step=step)
"""


def command_job(tmp_path: Path, script: str, **fields) -> dict:
    code = tmp_path / "src"
    code.mkdir(exist_ok=True)
    (code / "main.py").write_text(textwrap.dedent(script))
    return {"type": "command", "code": str(code), **fields}


@pytest.fixture
def ws(server, workspace_root: Path):
    with Workspace(workspace_root) as workspace:
        yield workspace


def test_create_a_cluster_from_the_form_then_stop_start_and_delete_it(studio: str, page: Page):
    page.goto(f"{studio}/compute")
    expect(page.locator('tr[data-compute="local"]')).to_contain_text("Running")
    page.get_by_role("button", name="New compute").click()
    page.get_by_label("Name").fill("cpucluster")
    page.get_by_label("Minimum instances").fill("3")
    page.get_by_label("Maximum instances").fill("1")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("alert")).to_contain_text("min_instances (3) exceeds max_instances (1)")
    expect(page.locator('tr[data-compute="cpucluster"]')).to_have_count(0)  # nothing half-made

    page.get_by_label("Minimum instances").fill("0")
    page.get_by_label("Maximum instances").fill("2")
    page.get_by_label("Idle seconds before scale down").fill("30")
    page.get_by_role("button", name="Create").click()
    row = page.locator('tr[data-compute="cpucluster"]')
    expect(row).to_contain_text("cluster")
    expect(row).to_contain_text("0–2")
    expect(row).to_contain_text("30 s")
    expect(page.get_by_test_id("instances-cpucluster")).to_have_text("0 (0 / 0)")
    expect(page.get_by_role("form", name="New compute")).to_have_count(0)

    page.get_by_role("button", name="Stop cpucluster").click()
    expect(row).to_contain_text("Stopped")
    page.get_by_role("button", name="Start cpucluster").click()
    expect(row).to_contain_text("Running")
    page.get_by_role("button", name="Delete compute cpucluster").click()
    page.get_by_role("button", name="Delete cpucluster").click()
    expect(row).to_have_count(0)


def test_a_submitted_job_shows_live_status_log_tail_metric_chart_and_outputs(studio: str, page: Page, ws,
                                                                              tmp_path: Path):
    page.goto(f"{studio}/jobs")
    expect(page.get_by_role("status").filter(has_text="jobs")).to_have_text("0 jobs")
    job = ws.jobs.create(command_job(tmp_path, LIVE_TRAINING, command="python main.py ${{outputs.summary}}",
                                     display_name="live training", experiment_name="studio-live",
                                     outputs={"summary": {"type": "uri_folder"}}))
    row = page.locator(f'tr[data-job="{job.name}"]')
    expect(row).to_contain_text("live training", timeout=20_000)  # the list polls: no reload
    expect(page.locator('tr[data-experiment="studio-live"]')).to_contain_text("1")
    # at 1280 px neither the experiment nor the created time (its time of day included) is cut short
    for cell in (row.locator("td").nth(3), row.locator("td").nth(6)):
        assert cell.evaluate("c => c.scrollWidth - c.clientWidth") <= 0, cell.inner_text()

    row.get_by_role("link", name="live training").click()
    expect(page).to_have_url(re.compile(f"/jobs/{job.name}$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Running", timeout=60_000)
    page.get_by_role("tab", name="Logs").click()
    log = page.get_by_test_id("job-log")
    expect(log).to_contain_text("epoch 0", timeout=30_000)
    expect(page.get_by_role("status").filter(has_text="Following the log")).to_be_visible()
    expect(log).to_contain_text("epoch 7", timeout=60_000)  # the tail grows while the job runs
    expect(heading).to_contain_text("Completed", timeout=60_000)
    expect(page.get_by_role("status").filter(has_text="whole log")).to_be_visible()

    page.get_by_role("tab", name="Metrics").click()
    chart = page.locator('figure[data-metric="loss"]')
    expect(chart.locator(".recharts-line path").first).to_be_visible()
    expect(page.get_by_text("loss = 0.125")).to_be_visible()

    page.get_by_role("tab", name="Overview").click()
    expect(page.get_by_role("list", name="Status history")).to_contain_text("Queued")
    expect(page.get_by_role("list", name="Status history")).to_contain_text("Completed")
    page.get_by_role("tab", name="Outputs").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="summary.txt").click()
    assert Path(download.value.path()).read_text() == "trained"

    page.goto(studio)
    recent = page.get_by_role("list", name="Recent jobs")
    expect(recent).to_contain_text("live training")
    expect(recent).to_contain_text("Completed")
    expect(page.get_by_test_id("count-jobs")).to_have_text("1")


def test_compare_two_runs_highlights_what_differs_and_overlays_metrics(studio: str, page: Page, ws, tmp_path: Path):
    names = []
    for lr in (0.1, 0.3):
        spec = command_job(tmp_path, QUICK_TRAINING, command="python main.py ${{inputs.lr}}",
                           inputs={"lr": lr, "solver": "lbfgs"}, experiment_name="compare")
        names.append(ws.jobs.create(spec).name)
    for name in names:
        assert ws.jobs.wait(name, timeout=JOB_TIMEOUT).status == "Completed", ws.jobs.logs(name)["text"]

    page.goto(f"{studio}/jobs?experiment=compare")
    for name in names:
        page.get_by_role("checkbox", name=f"Select {name}").check()
    page.get_by_role("button", name="Compare (2)").click()
    expect(page).to_have_url(re.compile(r"/jobs/compare\?names="))
    table = page.get_by_test_id("compare-table")
    expect(table.locator('tr[data-row="lr"]')).to_have_attribute("data-differs", "true")
    expect(table.locator('tr[data-row="lr"] td.differs')).to_have_count(2)
    expect(table.locator('tr[data-row="solver"]')).to_have_attribute("data-differs", "false")
    expect(table.locator('tr[data-row="auc"]')).to_contain_text("0.3")
    expect(table.locator('tr[data-row="auc"]')).to_contain_text("0.9")
    chart = page.locator('figure[data-metric="auc"]')
    expect(chart.locator(".recharts-line")).to_have_count(2)
    expect(chart.locator(".recharts-legend-item")).to_have_count(2)


def test_token_prompt_refuses_a_wrong_token_and_remembers_the_right_one(studio_build, page: Page,
                                                                        workspace_root: Path):
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    location = workspaces.load(workspace_root)
    info = servers.start_detached(location, "127.0.0.1", 0, require_token=True)
    page.goto(info.url)
    prompt = page.get_by_role("form", name="Workspace access")
    expect(prompt).to_be_visible()
    page.get_by_label("Workspace token").fill("not-the-token")
    page.get_by_role("button", name="Use token").click()
    expect(prompt.get_by_role("alert")).to_contain_text("missing or wrong access token")

    page.get_by_label("Workspace token").fill(location.token())
    page.get_by_role("button", name="Use token").click()
    expect(prompt).to_have_count(0)
    expect(page.get_by_test_id("workspace-name")).to_have_text("test")
    expect(page.get_by_test_id("count-jobs")).to_have_text("0")
    assert page.evaluate("localStorage.getItem('modelyard.token')") == location.token()
    page.reload()
    expect(page.get_by_test_id("count-datastores")).to_have_text("1")
    expect(prompt).to_have_count(0)

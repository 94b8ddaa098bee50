"""The MLOps pages in Chromium against a real server: schedules, webhooks and their deliveries, the live events,
the audit trail and the lineage graph.

One server for the module: data 'hr:1' read by a command job that wrote model 'attrition' v1, and a nightly
schedule created with a reason (so the audit trail has one to show).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from events.conftest import receiver  # noqa: F401  (the loopback webhook receiver fixture)
from server_fixtures import workspace_server

from .conftest import ARTIFACTS, run_training_job

TRAIN = """
    import sys
    from pathlib import Path

    data, model = Path(sys.argv[1]), Path(sys.argv[2])
    (model / "model.pkl").write_bytes(str(sum(1 for _ in data.rglob("*.csv"))).encode())
"""
NIGHTLY = {"name": "nightly-retrain", "display_name": "Nightly retraining",
           "trigger": {"type": "cron", "expression": "0 3 * * *", "time_zone": "Europe/Paris"},
           "create_job": {"type": "command", "command": "echo retrain"}}
REASON = "retrain every night on the latest HR data"


@pytest.fixture(scope="module")
def mlops(tmp_path_factory, hr_csv: Path, studio_build):
    """(studio URL, SDK Workspace, job name, workspace location)."""
    from modelyard.services import workspace as workspaces

    root = tmp_path_factory.mktemp("studio-mlops") / "ws"
    with workspace_server(root, "mlops") as (info, ws):
        ws.data.create(name="hr", type="uri_file", path=str(hr_csv))
        job = run_training_job(ws, root.parent / "train", TRAIN, "hr:1")
        ws.models.create(name="attrition", path=f"job:{job}/outputs/model")
        ws.reason = REASON
        ws.schedules.create(NIGHTLY)
        ws.reason = None
        yield info.url, ws, job, workspaces.load(root)


def screenshot(page: Page, name: str) -> None:
    """Kept under test-artifacts/studio/ to look at (the README's lineage picture comes from there)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"mlops-{name}.png"), full_page=True)


def test_schedules_list_trigger_disable_and_delete(mlops, page: Page):
    studio, ws, _, _ = mlops
    page.goto(f"{studio}/schedules")
    row = page.locator('tr[data-schedule="nightly-retrain"]')
    expect(row).to_contain_text("every day at 03:00 (cron 0 3 * * *)")
    expect(row).to_contain_text("Europe/Paris")
    expect(row).to_contain_text("3:00 AM")  # the next fire on the schedule's own clock
    expect(row).to_contain_text("Enabled")
    expect(row).to_contain_text("never fired")

    page.get_by_role("button", name="Trigger nightly-retrain now").click()
    fired = page.get_by_role("status").filter(has_text="Triggered: job")
    expect(fired).to_be_visible()
    job = fired.get_by_role("link").inner_text()
    assert ws.jobs.get(job).tags["modelyard.schedule"] == "nightly-retrain"
    expect(row.get_by_role("link", name=job)).to_be_visible()
    screenshot(page, "schedules")

    row.get_by_role("link", name="nightly-retrain").click()
    expect(page).to_have_url(re.compile(r"/schedules/nightly-retrain$"))
    expect(page.get_by_test_id("schedule-fires")).to_contain_text("triggered by hand")
    expect(page.get_by_test_id("schedule-fires").get_by_role("link", name=job)).to_be_visible()
    yaml_text = page.get_by_label("schedule.yml snippet", exact=True)
    expect(yaml_text).to_contain_text('expression: "0 3 * * *"')
    expect(yaml_text).to_contain_text("time_zone: Europe/Paris")
    expect(yaml_text).to_contain_text("command: echo retrain")
    screenshot(page, "schedule")

    page.get_by_role("button", name="Disable nightly-retrain").click()
    expect(page.get_by_role("heading", name="nightly-retrain")).to_contain_text("Disabled")
    expect(page.get_by_test_id("schedule-details")).to_contain_text("none (disabled or ended)")
    assert ws.schedules.get("nightly-retrain").enabled is False
    page.get_by_role("button", name="Enable nightly-retrain").click()
    expect(page.get_by_role("heading", name="nightly-retrain")).to_contain_text("Enabled")
    assert ws.schedules.get("nightly-retrain").enabled is True

    ws.schedules.create({**NIGHTLY, "name": "gone-soon", "display_name": None})
    ws.schedules.create({**NIGHTLY, "name": "to-delete", "display_name": None})
    page.goto(f"{studio}/schedules")
    expect(page.locator('tr[data-schedule="gone-soon"]')).to_be_visible()
    ws.schedules.delete("gone-soon")  # deleted behind the page's back: its trigger is answered 404, shown
    page.get_by_role("button", name="Trigger gone-soon now").click()
    expect(page.get_by_role("alert")).to_contain_text("gone-soon")
    page.get_by_role("button", name="Delete schedule to-delete").click()
    page.get_by_role("button", name="Delete to-delete").click()
    expect(page.locator('tr[data-schedule="to-delete"]')).to_have_count(0)
    assert [s.name for s in ws.schedules.list()] == ["nightly-retrain"]


def test_webhook_created_in_the_studio_shows_its_secret_once_then_its_deliveries(mlops, page: Page, receiver):  # noqa: F811
    studio, ws, job, _ = mlops
    page.goto(f"{studio}/webhooks")
    page.get_by_role("button", name="New webhook").click()
    page.get_by_label("URL").fill(f"{receiver.url}/hook")
    page.get_by_label("Name").fill("teams")
    page.get_by_role("checkbox", name="model.registered").check()
    page.get_by_role("checkbox", name="job.failed").check()
    page.get_by_role("button", name="Create webhook").click()
    secret = page.get_by_test_id("webhook-secret").locator("code").inner_text()
    assert len(secret) >= 16
    hook = ws.webhooks.get("teams")
    assert (hook.events, hook.secret) == (["model.registered", "job.failed"], None)
    screenshot(page, "webhook-secret")
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_test_id("webhook-secret")).to_have_count(0)
    expect(page.locator('tr[data-webhook="teams"]')).to_contain_text("model.registered, job.failed")

    page.locator('tr[data-webhook="teams"]').get_by_role("link", name="teams").click()
    page.get_by_role("button", name="Send test event").click()
    deliveries = page.get_by_test_id("deliveries")
    ping = deliveries.locator("tr", has_text="webhook.ping")
    expect(ping).to_contain_text("Succeeded")
    expect(ping.locator("td").nth(4)).to_have_text("200")
    assert receiver.wait_for("/hook")[0].headers["X-Modelyard-Event"] == "modelyard.webhook.ping"
    first = ping.get_attribute("data-delivery")

    page.get_by_role("button", name=f"Redeliver {first}").click()
    expect(deliveries.locator("tr", has_text=f"again of {first}")).to_contain_text("Succeeded")
    receiver.wait_for("/hook", count=2)

    ws.models.create(name="attrition", path=f"job:{job}/outputs/model", force_new_version=True)
    expect(deliveries.locator("tr", has_text="model.registered")).to_contain_text("Succeeded")
    screenshot(page, "webhook")

    page.get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Yes, delete").click()
    expect(page).to_have_url(re.compile(r"/webhooks$"))
    assert ws.webhooks.list() == []


def test_events_view_streams_the_chosen_type_live(mlops, page: Page):
    studio, ws, job, _ = mlops
    page.goto(f"{studio}/events")
    page.get_by_label("Event type").select_option("model.registered")
    expect(page.get_by_test_id("stream-state")).to_have_text("Live")
    ws.data.create(name="hr-copy", type="uri_file", path=ws.data.get("hr", version="1").path)
    model = ws.models.create(name="attrition", path=f"job:{job}/outputs/model", force_new_version=True)
    events = page.get_by_test_id("events")
    expect(events.locator("tbody tr").first).to_contain_text("model.registered")
    expect(events.locator("tbody tr").first).to_contain_text(f'"version":{model.version}')
    expect(events).not_to_contain_text("data.version_created")  # filtered out, although it came first
    screenshot(page, "events")


def test_audit_page_filters_records_shows_a_diff_and_a_broken_chain(mlops, page: Page):
    studio, ws, _, location = mlops
    page.goto(f"{studio}/audit")
    expect(page.get_by_test_id("audit-verify")).to_contain_text(re.compile(r"Chain verified: \d+ records intact"))
    page.get_by_label("Noun").fill("schedule")
    records = page.get_by_test_id("audit-records")
    created = records.locator("tr", has_text=REASON)
    expect(created).to_contain_text("create")
    expect(created).to_contain_text("nightly-retrain")
    nouns = records.locator("tbody tr td:nth-child(5)")
    expect(nouns).to_have_count(len(ws.audit.list(noun="schedule")))
    assert set(nouns.all_inner_texts()) == {"schedule"}
    seq = created.get_attribute("data-seq")
    page.get_by_role("button", name=f"Diff of record {seq}").click()
    expect(records).to_contain_text("POST /api/schedules")
    expect(records).to_contain_text("insert schedules")
    screenshot(page, "audit")

    ws.schedules.enable("nightly-retrain")  # a later record, so that the removed one is inside the chain, not its end
    engine = create_engine(location.database_url)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_records WHERE seq = :seq"), {"seq": int(seq)})
    engine.dispose()
    page.get_by_role("button", name="Verify again").click()
    verify = page.get_by_test_id("audit-verify")
    expect(verify).to_contain_text("Chain broken")
    expect(verify).to_contain_text(f"record {seq}")


def test_lineage_graph_from_the_model_page_clicks_through_to_the_job(mlops, page: Page):
    studio, ws, job, _ = mlops
    page.goto(f"{studio}/models/attrition/1")
    page.get_by_role("main").get_by_role("link", name="Lineage", exact=True).click()
    expect(page).to_have_url(re.compile(r"/lineage\?node=model%3Aattrition%3A1"))
    graph = page.get_by_test_id("lineage-graph")
    for node in ("data:hr:1", f"job:{job}", "model:attrition:1"):
        expect(graph.locator(f'[data-node="{node}"]')).to_be_visible()
    expect(graph.locator('[data-node="data:hr:1"]')).to_contain_text("uri_file")
    expect(graph.locator(f'[data-node="job:{job}"]')).to_contain_text("command · Completed")
    # every edge of the API's graph is drawn (the other tests may have registered more versions from the job)
    expect(graph.locator(".react-flow__edge")).to_have_count(len(ws.lineage("model:attrition:1", depth=2).edges))
    expect(graph.locator(".react-flow__edge", has_text="produced").first).to_be_visible()
    screenshot(page, "lineage")

    page.get_by_label("Depth").fill("1")
    expect(page).to_have_url(re.compile(r"depth=1"))
    graph.locator(f'[data-node="job:{job}"]').get_by_role("link", name=job, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/jobs/{job}$"))
    page.get_by_role("main").get_by_role("link", name="Lineage", exact=True).click()
    expect(page.get_by_test_id("lineage-graph").locator(f'[data-node="job:{job}"]')).to_be_visible()

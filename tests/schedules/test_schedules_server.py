"""Schedules on a real workspace server, driven through the CLI, the SDK and REST."""

import json
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
import yaml

from modelyard.spec.schedule import SCHEDULE_TAG
from server_fixtures import run_cli, workspace_server

WAIT = 120  # seconds: a bound on every wait below, never a timing assertion


def wait_for_fires(ws, name: str, count: int = 1):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        schedule = ws.schedules.get(name)
        if len(schedule.last_fires) >= count:
            return schedule
        time.sleep(0.5)
    raise AssertionError(f"schedule {name} fired {len(ws.schedules.get(name).last_fires)} times, not {count}")


def write_job(folder: Path) -> Path:
    (folder / "src").mkdir(parents=True, exist_ok=True)
    (folder / "src" / "hello.py").write_text("import sys\nprint('hello from', sys.argv[1])\n")
    job = folder / "job.yml"
    job.write_text(yaml.safe_dump({"$schema": "https://azuremlschemas.azureedge.net/latest/commandJob.schema.json",
                                   "type": "command", "code": "./src", "command": "python hello.py ${{inputs.who}}",
                                   "inputs": {"who": "the schedule"}}))
    return job


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("schedules") / "ws"
    with workspace_server(root, "schedules") as (info, ws):
        yield root, info, ws


def test_cli_creates_from_azure_yaml_with_a_job_file_and_trigger_runs_the_tagged_job(served):
    root, _, ws = served
    folder = root / "nightly"
    write_job(folder)
    (folder / "schedule.yml").write_text(yaml.safe_dump({
        "$schema": "https://azuremlschemas.azureedge.net/latest/schedule.schema.json", "name": "nightly-train",
        "display_name": "Nightly training", "description": "retrain every night",
        "trigger": {"type": "recurrence", "frequency": "day", "interval": 1, "schedule": {"hours": [3], "minutes": [0]},
                    "time_zone": "W. Europe Standard Time"},
        "create_job": "./job.yml"}))
    created = run_cli("schedule", "create", "-f", str(folder / "schedule.yml"), cwd=root)
    assert created.returncode == 0, created.stderr
    listed = run_cli("schedule", "list", cwd=root)
    assert "nightly-train" in listed.stdout and "every 1 day" in listed.stdout and "UTC" in listed.stdout

    triggered = run_cli("schedule", "trigger", "nightly-train", cwd=root)
    assert triggered.returncode == 0, triggered.stderr
    job = ws.jobs.wait(triggered.stdout.strip(), timeout=WAIT)
    fired = ws.events.list(types=["schedule.fired"]).events
    assert [(e.subject, e.data["job"], e.data["manual"]) for e in fired] == [("nightly-train", job.name, True)]
    assert job.status == "Completed", ws.jobs.logs(job.name)["text"]
    assert "hello from the schedule" in ws.jobs.logs(job.name)["text"]
    assert job.tags[SCHEDULE_TAG] == "nightly-train" and job.properties[SCHEDULE_TAG] == "nightly-train"

    shown = json.loads(run_cli("schedule", "show", "nightly-train", "-o", "json", cwd=root).stdout)
    assert shown["last_fires"][0]["job"] == job.name and shown["last_fires"][0]["manual"]
    next_times = [datetime.fromisoformat(t) for t in shown["next_fire_times"]]
    # 03:00 in Berlin is 02:00 UTC in winter, 01:00 in summer; one day apart
    assert len(next_times) == 5 and all(t.hour in (1, 2) and t.minute == 0 for t in next_times)
    table = run_cli("schedule", "show", "nightly-train", cwd=root)
    assert table.returncode == 0 and "last fires" in table.stdout and job.name in table.stdout

    assert run_cli("schedule", "disable", "nightly-train", cwd=root).returncode == 0
    assert "disabled" in run_cli("schedule", "list", cwd=root).stdout and not ws.schedules.get("nightly-train").enabled
    enabled = run_cli("schedule", "enable", "nightly-train", cwd=root)
    assert enabled.returncode == 0 and "next fire: " in enabled.stdout
    assert run_cli("schedule", "delete", "nightly-train", cwd=root).returncode == 0
    assert "nightly-train" not in [s.name for s in ws.schedules.list()] and ws.jobs.get(job.name)


@pytest.mark.parametrize(("trigger", "shown"), [
    ({"type": "cron", "expression": "0 25 * * *"}, ["trigger.cron.expression", "'0 3 * * *'"]),
    ({"type": "cron", "expression": "0 3 * * *", "time_zone": "Mars/Olympus"},
     ["trigger.cron.time_zone", "'Europe/Paris'"]),
    ({"type": "recurrence", "frequency": "fortnight", "interval": 1},
     ["trigger.recurrence.frequency", "frequency: day"]),
])
def test_a_bad_trigger_is_refused_by_the_cli_and_rest_and_nothing_is_written(served, trigger, shown):
    root, info, ws = served
    document = {"name": "refused", "trigger": trigger, "create_job": {"type": "command", "command": "echo"}}
    path = root / "bad-schedule.yml"
    path.write_text(yaml.safe_dump(document))
    done = run_cli("schedule", "create", "-f", str(path), cwd=root)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert all(part in done.stderr for part in shown), done.stderr
    response = httpx.post(f"{info.url}/api/schedules", json=document, timeout=30)
    assert response.status_code == 400 and all(part in response.json()["detail"] for part in shown)
    assert "refused" not in [s.name for s in ws.schedules.list()]


def test_a_job_that_no_longer_validates_records_the_error_and_the_schedule_stays_enabled(served):
    root, _, ws = served
    ws.compute.create(name="shortlived", type="cluster", max_instances=1)
    ws.schedules.create({"name": "orphaned", "trigger": {"type": "cron", "expression": "0 4 * * *"},
                         "create_job": {"type": "command", "command": "echo", "compute": "shortlived"}})
    ws.compute.delete("shortlived")
    done = run_cli("schedule", "trigger", "orphaned", cwd=root)
    assert done.returncode != 0 and "compute 'shortlived' does not exist" in done.stderr
    schedule = ws.schedules.get("orphaned")
    assert schedule.enabled and schedule.next_fire_times
    assert "compute 'shortlived' does not exist" in schedule.last_fires[0].error and schedule.last_fires[0].job is None


def test_the_server_fires_at_the_tick(tmp_path, monkeypatch):
    # the server's clock starts 20 s before a minute boundary and runs at real speed
    soon = (datetime.now(timezone.utc) + timedelta(days=1)).replace(second=0, microsecond=0) + timedelta(minutes=1)
    monkeypatch.setenv("MODELYARD_TEST_CLOCK", (soon - timedelta(seconds=20)).isoformat())
    with workspace_server(tmp_path / "ws", "ticks") as (_, ws):
        created = ws.schedules.create({"name": "every-minute", "trigger": {"type": "cron", "expression": "* * * * *"},
                                       "create_job": {"type": "command", "command": "echo tick"}})
        assert created.next_fire_times[0] == soon or created.next_fire_times[0] == soon + timedelta(minutes=1)
        fire = wait_for_fires(ws, "every-minute").last_fires[0]
        assert fire.scheduled_for == created.next_fire_times[0] and not fire.manual and fire.missed == 0
        assert ws.jobs.get(fire.job).tags[SCHEDULE_TAG] == "every-minute"


def test_after_downtime_a_schedule_fires_once_for_the_missed_period(tmp_path, monkeypatch):
    from modelyard import Workspace
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    root = tmp_path / "ws"
    first_tick = (datetime.now(timezone.utc) + timedelta(hours=2)).replace(second=0, microsecond=0)
    with workspace_server(root, "downtime") as (_, ws):
        ws.schedules.create({"name": "daily", "trigger": {"type": "cron",
                                                          "expression": f"{first_tick.minute} {first_tick.hour} * * *"},
                             "create_job": {"type": "command", "command": "echo daily"}})
        assert ws.schedules.get("daily").next_fire_times[0] == first_tick
        location = workspaces.load(root)
        servers.stop(location)
        # back three days later: the ticks of three days passed while no server ran
        monkeypatch.setenv("MODELYARD_TEST_CLOCK", (datetime.now(timezone.utc) + timedelta(days=3)).isoformat())
        servers.start_detached(location, "127.0.0.1", 0)
        with Workspace(root) as again:
            schedule = wait_for_fires(again, "daily")
            assert len(schedule.last_fires) == 1
            fire = schedule.last_fires[0]
            assert fire.scheduled_for == first_tick and fire.missed == 2
            assert schedule.next_fire_times[0] == first_tick + timedelta(days=3)
            assert [j.name for j in again.jobs.list(limit=100) if j.tags.get(SCHEDULE_TAG) == "daily"] == [fire.job]


def test_update_replaces_trigger_and_job_and_keeps_fires_and_enabled_state(served):
    from zoneinfo import ZoneInfo

    root, info, ws = served
    first = {"name": "updated", "trigger": {"type": "cron", "expression": "0 4 * * *"},
             "create_job": {"type": "command", "command": "echo first"}}
    ws.schedules.create(first)
    ws.schedules.trigger("updated")
    ws.schedules.disable("updated")
    second = {**first, "trigger": {"type": "cron", "expression": "30 5 * * *", "time_zone": "Europe/Paris"},
              "create_job": {"type": "command", "command": "echo second"}}
    path = root / "updated.yml"
    path.write_text(yaml.safe_dump(second))
    done = run_cli("schedule", "update", "-f", str(path), cwd=root)
    assert done.returncode == 0 and "updated schedule updated" in done.stdout, done.stderr

    schedule = ws.schedules.get("updated")
    assert schedule.trigger["expression"] == "30 5 * * *" and not schedule.enabled and len(schedule.last_fires) == 1
    enabled = ws.schedules.enable("updated")
    paris = enabled.next_fire_times[0].astimezone(ZoneInfo("Europe/Paris"))
    assert (paris.hour, paris.minute) == (5, 30)
    job = ws.jobs.get(ws.schedules.trigger("updated").job)
    assert "echo second" in json.dumps(job.model_dump(mode="json"))

    bad = httpx.put(f"{info.url}/api/schedules/updated", json={**second, "trigger": {"type": "cron", "expression": "61 * * * *"}},
                    timeout=30)
    assert bad.status_code == 400 and "expression" in bad.json()["detail"]
    renamed = httpx.put(f"{info.url}/api/schedules/updated", json={**second, "name": "other"}, timeout=30)
    assert renamed.status_code == 400 and "cannot be renamed" in renamed.json()["detail"]
    missing = httpx.put(f"{info.url}/api/schedules/nowhere", json={**second, "name": "nowhere"}, timeout=30)
    assert missing.status_code == 404
    assert ws.schedules.get("updated").trigger["expression"] == "30 5 * * *"  # the refused updates changed nothing

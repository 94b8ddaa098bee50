"""A schedule's create_monitor action runs a monitor at its tick, its lookback window ending at the tick."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import httpx

from modelyard.spec.schedule import SCHEDULE_TAG
from server_fixtures import workspace_server

from .conftest import JOB_SECONDS, SHIFTED, monitor_document, register_data

TICK = datetime(2026, 1, 3, tzinfo=timezone.utc)  # midnight after the first shifted day


def daily_lookback() -> dict:
    document = monitor_document("unused", production_data={
        "timestamp_column": "scored_at", "data_window": {"lookback_window_size": "P1D",
                                                         "lookback_window_offset": "P0D"}})
    return {key: value for key, value in document.items() if key not in ("$schema", "name")}


def wait_for_fire(ws, name: str):
    deadline = time.monotonic() + JOB_SECONDS
    while time.monotonic() < deadline:
        fires = ws.schedules.get(name).last_fires
        if fires:
            return fires[0]
        time.sleep(0.5)
    raise AssertionError(f"schedule {name} did not fire")


def test_an_inline_monitor_fires_at_its_tick_and_a_stored_one_on_trigger(tmp_path, monkeypatch, hr_csv):
    monkeypatch.setenv("MODELYARD_TEST_CLOCK", (TICK - timedelta(seconds=15)).isoformat())
    with workspace_server(tmp_path / "ws", "scheduled-monitors") as (info, ws):
        register_data(ws, hr_csv, tmp_path)
        schedule = ws.schedules.create({
            "$schema": "https://azuremlschemas.azureedge.net/latest/schedule.schema.json", "name": "daily-drift",
            "trigger": {"type": "cron", "expression": "0 0 * * *", "time_zone": "UTC"},
            "create_monitor": daily_lookback()})
        assert schedule.next_fire_times[0] == TICK
        assert schedule.create_monitor["monitoring_signals"]["drift"]["reference_data"]["input_data"]["path"] == \
            "azureml:hr:1"

        fire = wait_for_fire(ws, "daily-drift")
        assert fire.scheduled_for == TICK and fire.error is None
        job = ws.jobs.wait(fire.job, timeout=JOB_SECONDS)
        assert job.status == "Completed", job.error
        assert job.type == "monitor" and job.tags[SCHEDULE_TAG] == "daily-drift"
        [entry] = ws.monitors.history("daily-drift")
        assert (entry.window_start, entry.window_end) == (TICK - timedelta(days=1), TICK)
        assert entry.status == "failed" and set(entry.failed_features["drift"]) == SHIFTED

        ws.monitors.create(monitor_document("stored-drift"))
        ws.schedules.create({"name": "weekly-drift", "trigger": {"type": "recurrence", "frequency": "week",
                                                                 "interval": 1},
                             "create_monitor": "azureml:stored-drift"})
        manual = ws.schedules.trigger("weekly-drift")
        assert manual.error is None and ws.jobs.wait(manual.job, timeout=JOB_SECONDS).status == "Completed"
        assert ws.monitors.history("stored-drift")[0].job == manual.job

        for bad, named in (({"create_monitor": "azureml:nobody"}, "monitor 'nobody' not found"),
                           ({"create_monitor": "azureml:stored-drift", "create_job": {"type": "command",
                                                                                       "command": "true"}},
                            "give one action")):
            answer = httpx.post(f"{info.url}/api/schedules", json={
                "name": "refused", "trigger": {"type": "cron", "expression": "0 3 * * *"}, **bad}, timeout=60)
            assert answer.status_code == 400 and named in answer.json()["detail"]
        assert "refused" not in [s.name for s in ws.schedules.list()]

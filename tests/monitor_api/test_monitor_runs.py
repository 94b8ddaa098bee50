"""Monitors on a real server: create from YAML, run as a job, read the history, backfill per day."""

from __future__ import annotations

import httpx
import yaml

from server_fixtures import run_cli

from .conftest import JOB_SECONDS, SHIFTED, monitor_document


def test_cli_create_run_and_history_detect_exactly_the_shifted_features(monitored):
    (monitored.root / "monitor.yml").write_text(yaml.safe_dump(monitor_document()))
    created = run_cli("monitor", "create", "-f", str(monitored.root / "monitor.yml"), cwd=monitored.root)
    assert created.returncode == 0, created.stderr
    monitor = monitored.ws.monitors.get("hr-drift")
    assert monitor.definition["monitoring_signals"]["drift"]["reference_data"]["input_data"]["path"] == "azureml:hr:1"
    assert monitor.definition["monitoring_target"]["reference_data"]["input_data"]["path"] == "azureml:hr:1"

    ran = run_cli("monitor", "run", "hr-drift", "--start", "2026-01-02T00:00:00Z", "--end", "2026-01-03T00:00:00Z",
                  "--wait", cwd=monitored.root, timeout=JOB_SECONDS)
    assert ran.returncode == 0, ran.stderr
    assert "failed" in ran.stdout and "drift: Age, BusinessTravel, MonthlyIncome" in ran.stdout

    entry = monitored.ws.monitors.history("hr-drift")[0]
    assert entry.job_status == "Completed" and entry.status == "failed"
    assert set(entry.failed_features["drift"]) == SHIFTED
    result = monitored.ws.monitors.result("hr-drift", entry.job)
    drift = result.periods[0].signals["drift"]
    assert drift.production_rows == 2000 and drift.reference_rows == 1470 and len(drift.features) == 34
    age = next(f for f in drift.features if f.feature == "Age")
    assert age.passed is False and age.histogram.reference and age.histogram.production
    assert {m.metric for m in age.metrics} >= {"normalized_wasserstein_distance", "population_stability_index"}
    metrics = monitored.ws.jobs.get(entry.job).metrics
    assert metrics["drift.failed_features"] == 3 and metrics["drift.production_rows"] == 2000
    listed = run_cli("monitor", "history", "hr-drift", cwd=monitored.root)
    assert entry.job in listed.stdout and "2026-01-02 00:00:00" in listed.stdout
    assert "hr-drift" in run_cli("monitor", "list", cwd=monitored.root).stdout
    alerts = monitored.ws.events.list(types=["monitor.drift_detected"]).events
    assert [(a.subject, a.data["job"], set(a.data["features"])) for a in alerts] == [("hr-drift", entry.job, SHIFTED)]


def test_backfill_makes_one_result_per_day_and_an_empty_day_is_no_production_data(monitored):
    monitored.ws.monitors.create(monitor_document("hr-daily"))
    job = monitored.ws.monitors.run("hr-daily", start="2026-01-01T00:00:00Z", end="2026-01-05T00:00:00Z",
                                    backfill=True)
    assert job.type == "monitor" and job.properties["modelyard.monitor"] == "hr-daily"
    assert monitored.ws.jobs.wait(job.name, timeout=JOB_SECONDS).status == "Completed"
    history = monitored.ws.monitors.history("hr-daily")
    assert [(e.window_start.day, e.status) for e in history] == [
        (1, "passed"), (2, "failed"), (3, "failed"), (4, "no_production_data")]
    assert all(set(e.failed_features.get("drift", SHIFTED)) == SHIFTED for e in history)
    assert "no production data" in history[-1].message
    latest = monitored.ws.monitors.get("hr-daily").latest
    assert latest.job == job.name and latest.window_start.day == 4 and latest.status == "no_production_data"


def test_rest_routes_and_delete_keeps_the_runs(monitored):
    document = monitor_document("hr-rest")
    posted = httpx.post(f"{monitored.url}/api/monitors", json=document, timeout=60)
    assert posted.status_code == 201, posted.text
    run = httpx.post(f"{monitored.url}/api/monitors/hr-rest/runs", json={}, timeout=60)
    assert run.status_code == 201 and run.json()["type"] == "monitor"
    finished = monitored.ws.jobs.wait(run.json()["name"], timeout=JOB_SECONDS)
    assert finished.status == "Completed", finished.error
    whole = monitored.ws.monitors.history("hr-rest")
    assert len(whole) == 1 and whole[0].status == "failed" and whole[0].window_start is None
    assert httpx.delete(f"{monitored.url}/api/monitors/hr-rest", timeout=60).status_code == 204
    assert "hr-rest" not in [m.name for m in monitored.ws.monitors.list()]
    assert monitored.ws.jobs.get(finished.name).status == "Completed"
    paths = httpx.get(f"{monitored.url}/openapi.json", timeout=60).json()["paths"]
    assert paths["/api/monitors/{name}/runs"]["post"]["operationId"] == "runMonitor"


def test_a_failing_quality_signal_emits_monitor_data_quality_and_the_history_has_its_worst_metrics(monitored):
    document = monitor_document("hr-quality")
    document["monitoring_signals"]["quality"] = {"type": "data_quality",
                                                 "features": ["Age", "MonthlyIncome", "BusinessTravel", "DailyRate"]}
    monitored.ws.monitors.create(document)
    job = monitored.ws.monitors.run("hr-quality", start="2026-01-02T00:00:00Z", end="2026-01-03T00:00:00Z")
    assert monitored.ws.jobs.wait(job.name, timeout=JOB_SECONDS).status == "Completed"
    [entry] = monitored.ws.monitors.history("hr-quality")
    assert entry.failed_features["quality"] == ["Age", "MonthlyIncome", "BusinessTravel"]  # outside the reference's range
    quality = monitored.ws.monitors.result("hr-quality", job.name).periods[0].signals["quality"]
    worst = {w.metric: w for w in entry.worst_metrics["quality"]}
    out_of_bounds = {f.feature: m.value for f in quality.features for m in f.metrics if m.metric == "out_of_bounds_rate"}
    assert worst["out_of_bounds_rate"].value == max(out_of_bounds.values()) > 0
    assert worst["out_of_bounds_rate"].threshold == 0 and worst["out_of_bounds_rate"].passed is False
    assert worst["null_value_rate"].value == 0 and worst["null_value_rate"].passed is True
    assert {w.metric for w in entry.worst_metrics["drift"]} == {"normalized_wasserstein_distance",
                                                                "jensen_shannon_distance"}
    alerts = [(a.data["signal"], a.data["features"])
              for a in monitored.ws.events.list(types=["monitor.data_quality"]).events if a.data["job"] == job.name]
    assert alerts == [("quality", ["Age", "BusinessTravel", "MonthlyIncome"])]

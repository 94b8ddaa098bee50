"""A monitor over an endpoint's collected data, on a real server: a drifted sample scored through the key route
is detected on exactly the shifted features, windowed by the collection timestamp."""

from __future__ import annotations

from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pytest

from collection.conftest import COLLECT_BOTH, wait_until
from server_fixtures import run_cli

SHIFTED = {"Age", "MonthlyIncome", "BusinessTravel"}
SAMPLE_ROWS = 1000
BATCH = 100
JOB_SECONDS = 300
MODEL_COLUMNS = 30  # the HR table's 35 columns less Attrition and the four the model was not trained on


def drifted_sample(hr_csv) -> pd.DataFrame:
    """HR rows resampled, with Age +5, MonthlyIncome +3000 and 15% of BusinessTravel a new category."""
    hr = pd.read_csv(hr_csv, encoding="utf-8-sig")
    rng = np.random.default_rng(20)
    rows = hr.iloc[rng.integers(0, len(hr), SAMPLE_ROWS)].reset_index(drop=True)
    rows = rows.drop(columns=["Attrition", "EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"])
    rows["Age"] += 5
    rows["MonthlyIncome"] += 3000
    rows.loc[rng.random(SAMPLE_ROWS) < 0.15, "BusinessTravel"] = "Travel_Weekly"
    return rows


def monitor_document(name: str, endpoint: str, **production) -> dict:
    collected = f"azureml:{endpoint}-blue"
    return {"name": name,
            "monitoring_target": {
                "ml_task": "classification",
                "production_data": {"input_data": {"path": f"{collected}-model_inputs@latest", "type": "uri_folder"},
                                    **production},
                "reference_data": {"input_data": {"path": "azureml:hr@latest", "type": "mltable"},
                                   "data_context": "training", "target_column_name": "Attrition"}},
            "monitoring_signals": {
                "drift": {"type": "data_drift"},
                "predictions": {"type": "prediction_drift",
                                "production_data": {"input_data": {"path": f"{collected}-model_outputs@latest",
                                                                   "type": "uri_folder"}}}}}


@pytest.fixture(scope="module")
def drift_endpoint(served, hr_csv):
    """Endpoint 'drifting' (key auth, collecting both sides) that scored the drifted sample."""
    served.ws.data.create(name="hr", type="mltable", path=str(hr_csv))
    url = served.deploy("drifting", {**COLLECT_BOTH, "flush_seconds": 0.2}, auth_mode="key")
    key = served.ws.online_endpoints.get_credentials("drifting").primary_key
    sample = drifted_sample(hr_csv)
    for start in range(0, SAMPLE_ROWS, BATCH):
        rows = sample.iloc[start:start + BATCH].to_dict(orient="records")
        answer = httpx.post(url, json={"data": rows}, headers={"Authorization": f"Bearer {key}"}, timeout=60)
        assert answer.status_code == 200, answer.text
    expected = {"model_inputs": SAMPLE_ROWS, "model_outputs": SAMPLE_ROWS}
    wait_until(lambda: served.ws.online_endpoints.data_collection("drifting", "blue").rows == expected,
               f"{SAMPLE_ROWS} collected rows")
    return "drifting"


def test_a_monitor_over_collected_inputs_fails_exactly_the_shifted_features(served, drift_endpoint):
    document = monitor_document("collected-drift", drift_endpoint,
                                data_window={"lookback_window_size": "P1D"})
    monitor = served.ws.monitors.create(document)
    production = monitor.definition["monitoring_signals"]["drift"]["production_data"]
    assert production["timestamp_column"] == "timestamp" and production["data_context"] == "model_inputs"

    job = served.ws.monitors.run("collected-drift")
    assert served.ws.jobs.wait(job.name, timeout=JOB_SECONDS).status == "Completed"
    period = served.ws.monitors.result("collected-drift", job.name).periods[0]
    drift = period.signals["drift"]
    assert drift.status == "failed" and set(drift.failed_features) == SHIFTED
    assert drift.production_rows == SAMPLE_ROWS and drift.reference_rows == 1470
    assert len(drift.features) == MODEL_COLUMNS  # the model's inputs, not the training table's id columns
    assert drift.window_end - drift.window_start == pd.Timedelta(days=1)

    predictions = period.signals["predictions"]
    assert predictions.production_rows == SAMPLE_ROWS and [f.feature for f in predictions.features] == ["Attrition"]
    histogram = predictions.features[0].histogram
    assert set(histogram.categories) == {"No", "Yes"} and sum(histogram.production) == SAMPLE_ROWS
    assert sum(histogram.reference) == 1470
    alerts = served.ws.events.list(types=["monitor.drift_detected"]).events
    assert any(a.data["job"] == job.name and set(a.data["features"]) >= SHIFTED for a in alerts)


def test_a_window_before_the_collection_has_no_production_data(served, drift_endpoint):
    served.ws.monitors.create(monitor_document("collected-past", drift_endpoint))
    job = served.ws.monitors.run("collected-past", start="2020-01-01T00:00:00Z", end="2020-01-02T00:00:00Z")
    assert served.ws.jobs.wait(job.name, timeout=JOB_SECONDS).status == "Completed"
    [entry] = served.ws.monitors.history("collected-past")
    assert entry.status == "no_production_data" and "no production data" in entry.message


def test_data_list_and_show_name_the_collected_data_with_rows_and_time_range(served, drift_endpoint):
    collected = {c.name: c for c in served.ws.data.list_collected()}
    inputs = collected["drifting-blue-model_inputs"]
    assert inputs.rows == SAMPLE_ROWS and collected["drifting-blue-model_outputs"].rows == SAMPLE_ROWS
    assert inputs.first_timestamp <= inputs.last_timestamp and inputs.skipped_files == []

    listed = run_cli("data", "list", cwd=served.root)
    assert listed.returncode == 0, listed.stderr
    assert "drifting-blue-model_inputs" in listed.stdout and "collected at online endpoints" in listed.stdout
    shown = run_cli("data", "show", "azureml:drifting-blue-model_outputs@latest", "-o", "json", cwd=served.root)
    assert shown.returncode == 0, shown.stderr
    assert '"rows": 1000' in shown.stdout and '"last_timestamp"' in shown.stdout
    missing = run_cli("data", "show", "nowhere-blue-model_inputs", cwd=served.root)
    assert missing.returncode != 0 and "no deployment collects" in missing.stderr


def ranked_features(importance: dict[str, float], columns: list[str], n: int) -> list[str]:
    return sorted((c for c in importance if c in columns), key=lambda c: -abs(importance[c]))[:n]


def test_top_n_feature_importance_ranks_by_the_deployed_models_explanation(served, drift_endpoint, hr_csv):
    document = monitor_document("collected-top", drift_endpoint)
    document["monitoring_signals"] = {"drift": {"type": "data_drift", "features": {"top_n_feature_importance": 6}}}
    served.ws.monitors.create(document)

    computed = served.ws.monitors.run("collected-top")  # the model has no explanation yet: computed in the run
    assert served.ws.jobs.wait(computed.name, timeout=JOB_SECONDS).status == "Completed"
    assert "has no explanation; explaining it on 1470 reference rows" in served.ws.jobs.logs(computed.name)["text"]

    explained = served.ws.models.explain("attrition:1", data="hr")
    assert served.ws.jobs.wait(explained.name, timeout=JOB_SECONDS).status == "Completed"
    importance = served.ws.models.explanation("attrition:1").global_importance()
    model_columns = list(drifted_sample(hr_csv).columns)
    top = ranked_features(importance, model_columns, 6)
    assert len(top) == 6 and set(importance) >= set(model_columns)

    stored = served.ws.monitors.run("collected-top")
    assert served.ws.jobs.wait(stored.name, timeout=JOB_SECONDS).status == "Completed"
    assert "the stored explanation of model attrition:1" in served.ws.jobs.logs(stored.name)["text"]
    for job in (computed, stored):
        drift = served.ws.monitors.result("collected-top", job.name).periods[0].signals["drift"]
        assert [f.feature for f in drift.features] == top
        assert set(drift.failed_features) == SHIFTED & set(top)


def test_a_truncated_collected_file_is_skipped_and_counted_by_the_run(served, drift_endpoint):
    folder = Path(served.ws.online_endpoints.data_collection(drift_endpoint, "blue").path.removeprefix("file://"))
    first = sorted(folder.glob("model_inputs/*/*/*/*/*.parquet"))[0]
    truncated = first.with_name("truncated-by-a-crash.parquet")
    truncated.write_bytes(first.read_bytes()[:40])
    try:
        served.ws.monitors.create(monitor_document("collected-truncated", drift_endpoint,
                                                   data_window={"lookback_window_size": "P1D"}))
        job = served.ws.monitors.run("collected-truncated")
        assert served.ws.jobs.wait(job.name, timeout=JOB_SECONDS).status == "Completed"
        drift = served.ws.monitors.result("collected-truncated", job.name).periods[0].signals["drift"]
        assert drift.production_rows == SAMPLE_ROWS and set(drift.failed_features) == SHIFTED
        assert "1 files that did not read skipped" in served.ws.jobs.logs(job.name)["text"]
        assert served.ws.online_endpoints.collected_data(drift_endpoint, "blue", "model_inputs")["skipped_files"] == [
            str(truncated)]
    finally:
        truncated.unlink()

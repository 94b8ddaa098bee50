"""Bad monitor input is refused with the offending thing named (4xx / non-zero exit), and nothing is stored."""

from __future__ import annotations

import httpx
import pytest
import yaml

from server_fixtures import run_cli

from .conftest import JOB_SECONDS, monitor_document


def refused(monitored, document: dict) -> str:
    answer = httpx.post(f"{monitored.url}/api/monitors", json=document, timeout=60)
    assert answer.status_code == 400, answer.text
    assert document["name"] not in [m.name for m in monitored.ws.monitors.list()]
    return answer.json()["detail"]


def test_a_feature_the_reference_lacks_is_named_and_the_cli_exits_non_zero(monitored):
    document = monitor_document("lacking", features=["Age", "ShoeSize"])
    assert "reference data asset hr:1 lacks the feature 'ShoeSize'" in refused(monitored, document)
    (monitored.root / "lacking.yml").write_text(yaml.safe_dump(document))
    done = run_cli("monitor", "create", "-f", str(monitored.root / "lacking.yml"), cwd=monitored.root)
    assert done.returncode != 0 and "lacks the feature 'ShoeSize'" in done.stderr and "Traceback" not in done.stderr
    assert run_cli("monitor", "show", "lacking", cwd=monitored.root).returncode != 0


def test_a_production_asset_lacking_a_reference_feature_is_named(monitored, tmp_path):
    import pandas as pd

    rows = pd.DataFrame({"scored_at": ["2026-01-01T10:00:00Z"], "Age": [30]})
    rows.to_csv(tmp_path / "narrow.csv", index=False)
    monitored.ws.data.create(name="narrow-production", type="mltable", path=str(tmp_path / "narrow.csv"))
    document = monitor_document("narrow")
    document["monitoring_target"]["production_data"]["input_data"]["path"] = "azureml:narrow-production@latest"
    detail = refused(monitored, document)
    assert "production data asset narrow-production:1 lacks the feature" in detail and "signal 'drift'" in detail


@pytest.mark.parametrize("thresholds, named", [
    ({"BusinessTravel": {"normalized_wasserstein_distance": 0.1}},
     "metric 'normalized_wasserstein_distance' does not exist for categorical columns"),
    ({"Age": {"jensen_shannon_distance": 0.1}}, "metric 'jensen_shannon_distance' does not exist for numerical"),
])
def test_a_threshold_for_a_metric_the_columns_type_lacks_is_named(monitored, thresholds, named):
    detail = refused(monitored, monitor_document("mismatched", feature_thresholds=thresholds))
    assert named in detail and "feature_thresholds" in detail


def test_unknown_metrics_timestamps_and_data_are_named(monitored):
    unknown = monitor_document("unknown", metric_thresholds={"numerical": {"accuracy": 0.5}})
    assert "metric 'accuracy' does not exist for numerical columns" in refused(monitored, unknown)
    not_a_time = monitor_document("not-a-time")
    not_a_time["monitoring_target"]["production_data"]["timestamp_column"] = "Age"
    assert "timestamp column 'Age' of production data asset hr-production:1 is integer, not a time" in \
        refused(monitored, not_a_time)
    missing = monitor_document("missing")
    missing["monitoring_target"]["reference_data"]["input_data"]["path"] = "azureml:nothing:1"
    assert "nothing" in refused(monitored, missing)
    no_data = monitor_document("no-data")
    del no_data["monitoring_target"]["reference_data"]
    assert "reference data of signal 'drift' names no input_data" in refused(monitored, no_data)


def test_runs_of_unknown_monitors_and_windows_without_a_timestamp_column_are_refused(monitored):
    assert httpx.post(f"{monitored.url}/api/monitors/nobody/runs", json={}, timeout=60).status_code == 404
    document = monitor_document("untimed")
    del document["monitoring_target"]["production_data"]["timestamp_column"]
    monitored.ws.monitors.create(document)
    answer = httpx.post(f"{monitored.url}/api/monitors/untimed/runs", json={"start": "2026-01-01T00:00:00Z"},
                        timeout=60)
    assert answer.status_code == 400 and "no production timestamp_column" in answer.json()["detail"]
    backwards = httpx.post(f"{monitored.url}/api/monitors/untimed/runs",
                           json={"start": "2026-01-02T00:00:00Z", "end": "2026-01-01T00:00:00Z"}, timeout=60)
    assert backwards.status_code == 400 and "must be before end" in backwards.json()["detail"]
    mixed = httpx.post(f"{monitored.url}/api/monitors/untimed/runs",
                       json={"start": "2026-01-02", "end": "2026-01-01T12:00:00+00:00"}, timeout=60)
    assert mixed.status_code == 400 and "must be before end" in mixed.json()["detail"]
    assert monitored.ws.monitors.history("untimed") == []


def test_a_timestamp_that_does_not_parse_fails_the_run_naming_the_value(monitored, tmp_path):
    import pandas as pd

    rows = pd.DataFrame({"scored_at": ["2026-01-01T10:00:00Z", "yesterday"], "Age": [30, 40]})
    rows.to_csv(tmp_path / "garbled.csv", index=False)
    monitored.ws.data.create(name="garbled", type="mltable", path=str(tmp_path / "garbled.csv"))
    document = monitor_document("garbled", features=["Age"])
    document["monitoring_target"]["production_data"]["input_data"]["path"] = "azureml:garbled@latest"
    monitored.ws.monitors.create(document)
    job = monitored.ws.monitors.run("garbled", start="2026-01-01T00:00:00Z", end="2026-01-02T00:00:00Z")
    finished = monitored.ws.jobs.wait(job.name, timeout=JOB_SECONDS)
    assert finished.status == "Failed"
    assert "timestamp column 'scored_at' does not parse as a time: 'yesterday'" in finished.error
    assert monitored.ws.monitors.history("garbled")[0].status is None


def test_top_n_feature_importance_without_a_deployment_to_take_the_model_from_is_refused(monitored):
    document = monitor_document("ranked", features={"top_n_feature_importance": 5})
    assert "name the deployment that serves it" in refused(monitored, document)

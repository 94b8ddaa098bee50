"""Batch endpoints through the SDK against a real server: scoring jobs on local and cluster compute."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

TIMEOUT = 600  # a hang guard under pytest-timeout's 900 s: a loaded machine may take this long
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "batch"


def finished(ws, job):
    done = ws.jobs.wait(job.name, timeout=TIMEOUT)
    return done, ws.jobs.logs(job.name)["text"]


@pytest.fixture(scope="module")
def endpoint(scoring) -> str:
    ws = scoring.ws
    ws.batch_endpoints.create_or_update(name="attrition-batch", description="HR attrition scoring")
    ws.batch_deployments.create_or_update(name="local", endpoint_name="attrition-batch", model="attrition:1",
                                          mini_batch_size=200)
    return "attrition-batch"


def test_scores_the_hr_dataset_on_local_compute(scoring, endpoint, hr_csv: Path, tmp_path: Path):
    ws = scoring.ws
    job = ws.batch_endpoints.invoke(endpoint, "employeeattrition@latest")
    assert (job.type, job.status, job.compute) == ("batch_scoring", "Queued", "local")
    assert job.spec.inputs["input_data"].path == "data:employeeattrition:1"  # pinned at invocation
    done, logs = finished(ws, job)
    assert done.status == "Completed", (done.error, logs)
    assert list(done.status_history)[:2] == ["Queued", "Preparing"] and "Running" in done.status_history

    scored = pd.read_csv(ws.jobs.download(job.name, "score", tmp_path) / "predictions.csv")
    source = pd.read_csv(hr_csv, encoding="utf-8-sig")
    assert list(scored.columns) == [*source.columns, "prediction", "probability_No", "probability_Yes"]
    assert len(scored) == 1470
    pd.testing.assert_frame_equal(scored[source.columns], source, check_dtype=False)
    assert list(scored["prediction"]) == list(scoring.model.predict(scoring.frame))
    assert np.allclose(scored["probability_Yes"], scoring.model.predict_proba(scoring.frame)[:, 1], rtol=1e-12)

    progress = {"mini_batches_total": 8, "mini_batches_done": 8, "mini_batches_failed": 0, "rows_scored": 1470,
                "rows_failed": 0}
    assert done.metrics == {k: float(v) for k, v in progress.items()}
    assert {k: done.properties[k] for k in progress} == progress
    assert "mini-batch 8/8: 70 rows scored, 0 failed" in logs
    history = ws.jobs.metric_history(job.name)["rows_scored"]
    assert history[-1] == {**history[-1], "step": 8, "value": 1470.0}
    assert job.name in [j.name for j in ws.batch_endpoints.list_jobs(endpoint)]
    assert job.name in [j.name for j in ws.jobs.list()]


def test_scores_on_a_cluster_with_parallel_workers_and_registers_the_output(scoring, endpoint, tmp_path: Path):
    ws = scoring.ws
    deployment = ws.batch_deployments.create_or_update(
        name="parallel", endpoint_name=endpoint, model="azureml:attrition@latest", compute="azureml:cpucluster",
        max_concurrency_per_instance=2, mini_batch_size=100)
    assert (deployment.model, deployment.model_version, deployment.compute) == ("attrition", 1, "cpucluster")
    assert ws.batch_endpoints.get(endpoint).defaults.deployment_name == "local"  # the first one stays the default
    job = ws.batch_endpoints.invoke(endpoint, "employeeattrition:1", deployment_name="parallel",
                                    mini_batch_size=500, output_name="attrition-scores")
    done, logs = finished(ws, job)
    assert done.status == "Completed", (done.error, logs)
    assert (done.compute, done.properties["compute_type"]) == ("cpucluster", "cluster")
    assert done.metrics["mini_batches_total"] == 3 and done.metrics["rows_scored"] == 1470
    assert "3 mini-batches of 500, 2 at a time on cpucluster" in logs

    registered = ws.data.get("attrition-scores")
    assert registered.type == "uri_folder" and done.outputs["score"]["data_asset"] == "attrition-scores:1"
    scored = pd.read_csv(ws.jobs.download(job.name, "score", tmp_path) / "predictions.csv")
    assert list(scored["prediction"]) == list(scoring.model.predict(scoring.frame))  # in input order


def test_failed_rows_count_against_the_error_threshold(scoring, endpoint, hr_csv: Path, tmp_path: Path):
    ws = scoring.ws
    frame = pd.read_csv(hr_csv, encoding="utf-8-sig")
    frame["Age"] = frame["Age"].astype(str)
    frame.loc[[5, 300], "Age"] = "forty"
    bad = tmp_path / "hr-with-bad-ages.csv"
    frame.to_csv(bad, index=False)
    for name, threshold in (("tolerant", 2), ("strict", 1)):
        ws.batch_deployments.create_or_update(name=name, endpoint_name=endpoint, model="attrition:1",
                                              mini_batch_size=100, error_threshold=threshold)

    job = ws.batch_endpoints.invoke(endpoint, str(bad), deployment_name="tolerant")  # a local file is uploaded
    done, logs = finished(ws, job)
    assert done.status == "Completed", (done.error, logs)
    counts = ("rows_failed", "rows_scored", "mini_batches_failed")
    assert [done.metrics[k] for k in counts] == [2, 1468, 2]
    folder = ws.jobs.download(job.name, "score", tmp_path / "tolerant")
    errors = [json.loads(line) for line in (folder / "errors.jsonl").read_text().splitlines()]
    assert [(e["row"], e["mini_batch"], e["data"]["Age"]) for e in errors] == [(5, 0, "forty"), (300, 3, "forty")]
    assert all("'Age'" in e["error"] and "forty" in e["error"] for e in errors)
    scored = pd.read_csv(folder / "predictions.csv")
    kept = scoring.frame.drop(index=[5, 300])
    assert len(scored) == 1468 and list(scored["prediction"]) == list(scoring.model.predict(kept))

    failed, logs = finished(ws, ws.batch_endpoints.invoke(endpoint, str(bad), deployment_name="strict"))
    assert failed.status == "Failed"
    assert "2 rows failed, more than error_threshold 1" in failed.error and "'Age'" in failed.error, failed.error


def test_a_missing_column_fails_every_row_naming_the_column(scoring, endpoint, hr_csv: Path, tmp_path: Path):
    ws = scoring.ws
    ws.data.create(name="attrition-no-age", type="mltable", path=str(hr_csv), profile=False,
                   columns=[{"name": "Age", "include": False}])
    ws.batch_deployments.create_or_update(name="zero", endpoint_name=endpoint, model="attrition:1",
                                          mini_batch_size=500, error_threshold=0)
    failed, logs = finished(ws, ws.batch_endpoints.invoke(endpoint, "attrition-no-age:1", deployment_name="zero"))
    assert failed.status == "Failed" and "missing required column 'Age'" in failed.error, (failed.error, logs)
    assert failed.metrics["mini_batches_done"] == 1  # it stopped at the first failure

    ws.batch_deployments.create_or_update(name="summary", endpoint_name=endpoint, model="attrition:1",
                                          mini_batch_size=500, output_action="summary_only")
    done, logs = finished(ws, ws.batch_endpoints.invoke(endpoint, "attrition-no-age:1", deployment_name="summary"))
    assert done.status == "Completed" and done.metrics["rows_failed"] == 1470, (done.error, logs)
    folder = ws.jobs.download(done.name, "score", tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == ["errors.jsonl"]  # summary_only writes no predictions


def test_a_scoring_script_scores_with_the_azure_batch_contract(scoring, endpoint, tmp_path: Path):
    ws = scoring.ws
    ws.batch_deployments.create_or_update(EXAMPLES / "deployment-script.yml", endpoint_name=endpoint,
                                          model="attrition:1")
    done, logs = finished(ws, ws.batch_endpoints.invoke(endpoint, "employeeattrition:1",
                                                        deployment_name="probabilities"))
    assert done.status == "Completed", (done.error, logs)
    scored = pd.read_csv(ws.jobs.download(done.name, "score", tmp_path) / "predictions.csv")
    assert list(scored.columns) == ["EmployeeNumber", "attrition_probability"] and len(scored) == 1470
    assert np.allclose(scored["attrition_probability"], scoring.model.predict_proba(scoring.frame)[:, 1])


def test_a_scoring_script_that_raises_fails_its_mini_batches_after_retries(scoring, endpoint, tmp_path: Path):
    ws = scoring.ws
    code = tmp_path / "code"
    code.mkdir()
    (code / "score.py").write_text("def init():\n    pass\n\n\ndef run(mini_batch):\n"
                                   "    raise ValueError('cannot score these rows')\n")
    ws.batch_deployments.create_or_update(
        name="raising", endpoint_name=endpoint, model="attrition:1", error_threshold=0, mini_batch_size=1000,
        code_configuration={"code": str(code), "scoring_script": "score.py"}, retry_settings={"max_retries": 1})
    failed, logs = finished(ws, ws.batch_endpoints.invoke(endpoint, "employeeattrition:1", deployment_name="raising"))
    assert failed.status == "Failed"
    assert "ValueError: cannot score these rows (score.py line 6)" in failed.error, failed.error
    assert "1000 failed" in logs and "2 tries" in logs

    (code / "score.py").write_text("import time\n\n\ndef run(mini_batch):\n    time.sleep(60)\n")
    ws.batch_deployments.create_or_update(
        name="slow", endpoint_name=endpoint, model="attrition:1", error_threshold=0, mini_batch_size=1000,
        code_configuration={"code": str(code), "scoring_script": "score.py"},
        retry_settings={"max_retries": 0, "timeout": 1})
    failed, logs = finished(ws, ws.batch_endpoints.invoke(endpoint, "employeeattrition:1", deployment_name="slow"))
    assert failed.status == "Failed" and "ran past retry_settings.timeout of 1 s" in failed.error, (failed.error, logs)


def test_the_default_deployment_is_the_first_and_can_be_changed(scoring):
    from modelyard.errors import Conflict, InvalidInput

    ws = scoring.ws
    ws.batch_endpoints.create_or_update(name="defaults-ep")
    for name in ("first", "second"):
        ws.batch_deployments.create_or_update(name=name, endpoint_name="defaults-ep", model="attrition:1")
    assert ws.batch_endpoints.get("defaults-ep").defaults.deployment_name == "first"
    with pytest.raises(Conflict, match="default"):
        ws.batch_deployments.delete("first", "defaults-ep")
    with pytest.raises(InvalidInput, match="no deployment 'third'"):
        ws.batch_endpoints.update("defaults-ep", defaults={"deployment_name": "third"})
    updated = ws.batch_endpoints.create_or_update(name="defaults-ep", defaults={"deployment_name": "second"})
    assert updated.defaults.deployment_name == "second"
    again = ws.batch_endpoints.create_or_update(name="defaults-ep", description="kept default")
    assert (again.description, again.defaults.deployment_name) == ("kept default", "second")
    ws.batch_deployments.delete("first", "defaults-ep")
    assert [d.name for d in ws.batch_deployments.list("defaults-ep")] == ["second"]
    ws.batch_endpoints.delete("defaults-ep")
    assert "defaults-ep" not in [e.name for e in ws.batch_endpoints.list()]


def test_bad_input_is_refused_and_leaves_nothing_behind(scoring, endpoint):
    from modelyard.errors import InvalidInput, NotFound

    ws = scoring.ws
    with pytest.raises(InvalidInput, match="model attrition:9 not found"):
        ws.batch_deployments.create_or_update(name="d", endpoint_name=endpoint, model="attrition:9")
    with pytest.raises(InvalidInput, match="model nosuchmodel"):
        ws.batch_deployments.create_or_update(name="d", endpoint_name=endpoint, model="nosuchmodel@latest")
    with pytest.raises(NotFound, match="batch endpoint 'nowhere' not found"):
        ws.batch_deployments.create_or_update(name="d", endpoint_name="nowhere", model="attrition:1")
    with pytest.raises(InvalidInput, match="compute 'gpu' does not exist"):
        ws.batch_deployments.create_or_update(name="d", endpoint_name=endpoint, model="attrition:1", compute="gpu")
    with pytest.raises(InvalidInput, match="mini_batch_size"):
        ws.batch_deployments.create_or_update(name="d", endpoint_name=endpoint, model="attrition:1",
                                              mini_batch_size=0)
    with pytest.raises(InvalidInput, match="error_threshold"):
        ws.batch_deployments.create_or_update(name="d", endpoint_name=endpoint, model="attrition:1",
                                              error_threshold=-2)
    assert "d" not in [d.name for d in ws.batch_deployments.list(endpoint)]

    ws.batch_endpoints.create_or_update(name="empty-ep")
    with pytest.raises(InvalidInput, match="'empty-ep' has no deployments"):
        ws.batch_endpoints.invoke("empty-ep", "employeeattrition:1")
    with pytest.raises(InvalidInput, match="input: data asset nosuchdata:1 not found"):
        ws.batch_endpoints.invoke(endpoint, "nosuchdata:1")
    with pytest.raises(NotFound, match="has no deployment 'ghost'"):
        ws.batch_endpoints.invoke(endpoint, "employeeattrition:1", deployment_name="ghost")
    with pytest.raises(InvalidInput, match="mini_batch_size"):
        ws.batch_endpoints.invoke(endpoint, "employeeattrition:1", mini_batch_size=0)
    with pytest.raises(NotFound):
        ws.batch_endpoints.invoke("nowhere", "employeeattrition:1")
    assert ws.batch_endpoints.list_jobs("empty-ep") == []

    api = ws._server_api()  # the server checks what a client did not: raw REST bodies
    with pytest.raises(InvalidInput, match="mini_batch_size"):
        api.request("PUT", f"/api/batch-endpoints/{endpoint}/deployments/raw",
                    json={"name": "raw", "endpoint_name": endpoint, "model": "attrition:1", "mini_batch_size": 0})
    with pytest.raises(InvalidInput, match="error_threshold"):
        api.request("PUT", f"/api/batch-endpoints/{endpoint}/deployments/raw",
                    json={"name": "raw", "endpoint_name": endpoint, "model": "attrition:1", "error_threshold": -5})


def test_a_folder_is_scored_file_by_file(scoring, endpoint, hr_csv: Path, tmp_path: Path):
    ws = scoring.ws
    folder = tmp_path / "monthly"
    folder.mkdir()
    source = pd.read_csv(hr_csv, encoding="utf-8-sig")
    for month, rows in enumerate((source.iloc[:500], source.iloc[500:1000], source.iloc[1000:])):
        rows.to_csv(folder / f"month-{month}.csv", index=False)
    (folder / "month-3.csv").write_text("Name,Salary\nann,1\n")  # no column the model reads
    ws.batch_deployments.create_or_update(name="files", endpoint_name=endpoint, model="attrition:1",
                                          mini_batch_size=2)
    done, logs = finished(ws, ws.batch_endpoints.invoke(endpoint, str(folder), deployment_name="files"))
    assert done.status == "Completed", (done.error, logs)
    assert {k: done.metrics[k] for k in ("mini_batches_total", "files_scored", "files_failed")} == \
        {"mini_batches_total": 2, "files_scored": 3, "files_failed": 1}
    out = ws.jobs.download(done.name, "score", tmp_path / "out")
    scored = pd.read_csv(out / "predictions.csv")
    assert list(scored["file"].unique()) == ["month-0.csv", "month-1.csv", "month-2.csv"] and len(scored) == 1470
    assert list(scored["prediction"]) == list(scoring.model.predict(scoring.frame))
    error = json.loads((out / "errors.jsonl").read_text())
    assert error["file"] == "month-3.csv" and "missing required columns" in error["error"]

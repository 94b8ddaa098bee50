"""A job's run artifacts (what its MLflow run logged), children with metrics, and the AutoML options, over HTTP."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from modelyard import Workspace
from modelyard.errors import NotFound

TIMEOUT = 600  # a hang guard under pytest-timeout's 900 s: a loaded machine may take this long
LOGGER = """
import mlflow
mlflow.log_dict({"task": "classification", "classes": ["No", "Yes"]}, "charts.json")
mlflow.log_text("hello", "notes/readme.txt")
mlflow.log_metric("auc", 0.8)
"""


def test_a_jobs_logged_files_are_listed_and_served_and_children_carry_metrics(server, workspace_root: Path,
                                                                             tmp_path: Path):
    code = tmp_path / "code"
    code.mkdir()
    (code / "log.py").write_text(LOGGER)
    with Workspace(workspace_root) as ws:
        parent = ws.jobs.create({"type": "pipeline", "experiment_name": "artifacts",
                                 "jobs": {"log": {"command": "python log.py", "code": str(code)}}}).name
        assert ws.jobs.wait(parent, timeout=TIMEOUT).status == "Completed"
        step = ws.jobs.children(parent)[0].name

        files = ws.jobs.artifacts(step)
        assert [f["path"] for f in files] == ["charts.json", "notes/readme.txt"]
        assert all(f["size"] > 0 for f in files)
        saved = ws.jobs.download_artifact(step, "charts.json", tmp_path / "out" / "charts.json")
        assert saved.read_text().count('"Yes"') == 1
        answer = httpx.get(f"{server.url}/api/jobs/{step}/artifacts/notes/readme.txt")
        assert answer.status_code == 200 and answer.text == "hello"
        charts = httpx.get(f"{server.url}/api/jobs/{step}/artifacts/charts.json")
        assert charts.headers["content-type"].startswith("application/json")
        assert charts.json()["classes"] == ["No", "Yes"]

        assert ws.jobs.children(parent, metrics=True)[0].metrics == {"auc": 0.8}
        assert ws.jobs.children(parent)[0].metrics == {}

        target = tmp_path / "nothing.json"
        for path in ("missing.json", "notes", "../charts.json", "notes/../charts.json"):
            with pytest.raises(NotFound, match="logged no file"):
                ws.jobs.download_artifact(step, path, target)
            assert not target.exists()
            answer = httpx.get(f"{server.url}/api/jobs/{step}/artifacts/{quote(path, safe='')}")
            assert answer.status_code == 404 and "logged no file" in answer.json()["detail"]


def test_artifacts_of_an_unknown_job_are_not_found(server):
    for url in ("/api/jobs/nope/artifacts", "/api/jobs/nope/artifacts/charts.json"):
        answer = httpx.get(f"{server.url}{url}")
        assert answer.status_code == 404 and "job 'nope' not found" in answer.json()["detail"]


def test_a_job_that_logged_no_files_lists_none(ws: Workspace):
    job = ws.jobs.create({"type": "command", "command": "echo hi"})
    assert ws.jobs.artifacts(job.name) == []


def test_automl_options_per_task(ws: Workspace):
    options = ws.jobs.automl_options()
    classification, regression = options["tasks"]["classification"], options["tasks"]["regression"]
    assert classification["default_metric"] == "AUC_weighted" and "accuracy" in classification["primary_metrics"]
    assert "LogisticRegression" in classification["algorithms"] and "ElasticNet" not in classification["algorithms"]
    assert regression["default_metric"] == "r2_score" and "XGBoostRegressor" in regression["algorithms"]
    assert "normalized_root_mean_squared_error" in options["lower_is_better"]
    assert "AUC_weighted" not in options["lower_is_better"]
    assert set(options["column_purposes"]) == {"Numeric", "Categorical", "DateTime", "Text", "Ignore"}

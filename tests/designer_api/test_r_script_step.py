"""Execute R Script in a submitted draft on a real server: a script's frame flows downstream, and an R error
fails its step with R's message and calls in the step log while nothing downstream runs."""

from __future__ import annotations

import shutil

import pytest

from tests.designer_api.test_submit import RUN_TIMEOUT, steps_of

pytestmark = pytest.mark.skipif(shutil.which("Rscript") is None, reason="R (r-base-core) is not installed")

OLDER = "azureml_main <- function(dataframe1, dataframe2) dataframe1[dataframe1$Age > 50, c('Age', 'Attrition')]\n"
STOPPING = "azureml_main <- function(dataframe1, dataframe2) {\n  stop('no Salary column in the input')\n}\n"


def r_draft(ws, name, script):
    ws.designer_drafts.create({"name": name, "graph": {
        "nodes": [{"id": "hr", "module": "dataset", "parameters": {"asset": "employeeattrition:1"}},
                  {"id": "r", "module": "execute_r_script", "parameters": {"r_script": script}},
                  {"id": "after", "module": "select_columns_in_dataset", "parameters": {"select_columns": ["Age"]}}],
        "edges": [{"source": "hr", "source_port": "output", "target": "r", "target_port": "dataframe1"},
                  {"source": "r", "source_port": "result_dataset", "target": "after", "target_port": "dataset"}]}})
    job = ws.designer_drafts.submit(name, compute="cpu-cluster")
    return ws.jobs.wait(job.name, timeout=RUN_TIMEOUT), steps_of(ws, job.name)


def test_an_r_scripts_frame_flows_downstream(cluster, hr_csv):
    import pandas as pd

    job, steps = r_draft(cluster, "r-older", OLDER)
    assert job.status == "Completed", [(s.step, s.status, s.error) for s in steps.values()]
    after = cluster.designer_drafts.read_port(steps["after"].name, "results_dataset", limit=500)
    hr = pd.read_csv(hr_csv, encoding="utf-8-sig")
    assert [row[0] for row in after["rows"]] == hr.loc[hr["Age"] > 50, "Age"].tolist()


def test_an_r_error_fails_its_step_with_the_message_and_nothing_downstream_runs(cluster):
    job, steps = r_draft(cluster, "r-stopping", STOPPING)
    assert (job.status, steps["r"].status, steps["after"].status) == ("Failed", "Failed", "Canceled")
    log = cluster.jobs.logs(steps["r"].name)["text"]
    assert "the R script raised an error: no Salary column in the input" in log
    assert "stop(\"no Salary column in the input\") (line 2)" in log
    assert "no Salary column in the input" in steps["r"].error

"""The example v1 notebooks (examples/azureml-v1) executed top to bottom by nbclient in a workspace with a
running server, in a kernel set up as a compute instance's kernels are; a failing cell fails the test."""

from __future__ import annotations

from pathlib import Path

from notebook_runner import execute_notebook, printed
from server_fixtures import workspace_server

EXAMPLES = Path(__file__).parents[2] / "examples" / "azureml-v1"
NOTEBOOK = EXAMPLES / "train-register-deploy.ipynb"


def test_the_v1_notebook_runs_against_the_local_workspace(tmp_path, hr_csv):
    root = tmp_path / "ws"
    with workspace_server(root, "notebooks") as (_, ws):
        lines = printed(execute_notebook(NOTEBOOK, root, {"MODELYARD_SAMPLE_DATA": str(hr_csv)})).splitlines()
        assert lines[:3] == ["SDK version: 1.57.0", "notebooks", "local"]
        assert {"rows: 1470", "AUC values: 3", "registered: attrition-notebook 1", "Healthy", "predictions: 2",
                "status: 200", "deleted"} <= set(lines)
        assert ws.models.get("attrition-notebook").lineage["mlflow_run_id"]
        assert "attrition-notebook" not in {e.name for e in ws.online_endpoints.list()}


def test_the_v1_explanation_notebook_explains_and_uploads_to_the_models_explanations(tmp_path, hr_csv):
    root = tmp_path / "ws"
    with workspace_server(root, "notebooks") as (_, ws):
        notebook = execute_notebook(EXAMPLES / "explain-model.ipynb", root, {"MODELYARD_SAMPLE_DATA": str(hr_csv)})
        lines = printed(notebook).splitlines()
        assert {"rows: 1470", "registered: attrition-explained 1", "global features: 7", "ranked: True",
                "values descending: True", "local classes: 2 rows: 5 features per row: 7", "mimic warnings: 2",
                "mimic agrees: True", "raw features: True", "uploaded: 1", "downloaded matches: True",
                "raw/engineered features: 7 10"} <= set(lines), lines
        run = ws.jobs.list(experiment_name="explain-attrition")[0]
        assert (run.type, run.status) == ("interactive", "Completed")
        [analysis] = ws.models.analyses("attrition-explained:1")
        assert (analysis.status, analysis.data) == ("Completed", f"uploaded from run {run.name}")
        stored = ws.models.explanation("attrition-explained:1")  # what the model's Explanations tab shows
        assert stored.raw is not None and sorted(stored.raw.features) == sorted(
            ["Age", "DistanceFromHome", "MonthlyIncome", "TotalWorkingYears", "YearsAtCompany", "OverTime",
             "MaritalStatus"])

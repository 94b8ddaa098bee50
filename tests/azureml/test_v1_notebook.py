"""The example v1 notebook (examples/azureml-v1) executed top to bottom by nbclient in a workspace with a
running server, in a kernel set up as a compute instance's kernels are; a failing cell fails the test."""

from __future__ import annotations

from pathlib import Path

from notebook_runner import execute_notebook, printed
from server_fixtures import workspace_server

NOTEBOOK = Path(__file__).parents[2] / "examples" / "azureml-v1" / "train-register-deploy.ipynb"


def test_the_v1_notebook_runs_against_the_local_workspace(tmp_path, hr_csv):
    root = tmp_path / "ws"
    with workspace_server(root, "notebooks") as (_, ws):
        lines = printed(execute_notebook(NOTEBOOK, root, {"MODELYARD_SAMPLE_DATA": str(hr_csv)})).splitlines()
        assert lines[:3] == ["SDK version: 1.57.0", "notebooks", "local"]
        assert {"rows: 1470", "AUC values: 3", "registered: attrition-notebook 1", "Healthy", "predictions: 2",
                "status: 200", "deleted"} <= set(lines)
        assert ws.models.get("attrition-notebook").lineage["mlflow_run_id"]
        assert "attrition-notebook" not in {e.name for e in ws.online_endpoints.list()}

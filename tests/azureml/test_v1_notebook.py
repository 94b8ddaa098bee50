"""The example v1 notebook (examples/azureml-v1) executed top to bottom in a fresh Python process
whose working folder is a workspace with a running server, as Jupyter would run it there.

nbclient is not installed in the project's environment, so the code cells are joined in order and
run as one script; a failing cell fails the test with the process's output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from server_fixtures import workspace_server

NOTEBOOK = Path(__file__).parents[2] / "examples" / "azureml-v1" / "train-register-deploy.ipynb"
RUN_TIMEOUT_S = 300


def notebook_script(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


def test_the_v1_notebook_runs_against_the_local_workspace(tmp_path, hr_csv):
    root = tmp_path / "ws"
    with workspace_server(root, "notebooks") as (_, ws):
        env = {**os.environ, "MODELYARD_SAMPLE_DATA": str(hr_csv)}
        env.pop("MODELYARD_WORKSPACE", None)
        done = subprocess.run([sys.executable, "-c", notebook_script(NOTEBOOK)], cwd=root, env=env,
                              capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        printed = done.stdout.splitlines()
        assert printed[:3] == ["SDK version: 1.57.0", "notebooks", "local"]
        assert {"rows: 1470", "AUC values: 3", "registered: attrition-notebook 1", "Healthy", "predictions: 2",
                "status: 200", "deleted"} <= set(printed)
        assert ws.models.get("attrition-notebook").lineage["mlflow_run_id"]
        assert "attrition-notebook" not in {e.name for e in ws.online_endpoints.list()}

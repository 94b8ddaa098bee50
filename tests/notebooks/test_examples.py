"""The workshop's four example notebooks (examples/notebooks/), executed top to bottom by nbclient in the
workspace's notebooks folder against a real server, in their order (3 and 4 use the model 1 registers)."""

from __future__ import annotations

import shutil
from pathlib import Path

from notebook_runner import execute_notebook, printed

EXAMPLES = Path(__file__).parents[2] / "examples" / "notebooks"


def test_the_example_notebooks_run_in_order(served_workspace, hr_csv):
    root, ws = served_workspace
    folder = root / "notebooks"
    folder.mkdir(exist_ok=True)
    names = sorted(p.name for p in EXAMPLES.glob("*.ipynb"))
    assert names == ["01-train-sklearn.ipynb", "02-automl.ipynb", "03-deploy.ipynb", "04-explain.ipynb"]
    outputs = {}
    for name in names:
        shutil.copy(EXAMPLES / name, folder / name)
        outputs[name] = printed(execute_notebook(folder / name, folder, {"MODELYARD_SAMPLE_DATA": str(hr_csv)}))

    assert "registered: attrition-sklearn:1" in outputs["01-train-sklearn.ipynb"]
    assert ws.models.get("attrition-sklearn").lineage["data"] == ["employeeattrition:1"]
    assert "registered: attrition-automl:1" in outputs["02-automl.ipynb"]
    assert "trials:" in outputs["02-automl.ipynb"] and "predictions: [" in outputs["02-automl.ipynb"]
    assert "status: 200" in outputs["03-deploy.ipynb"] and "without the key: 401" in outputs["03-deploy.ipynb"]
    assert "attrition-notebook" not in {e.name for e in ws.online_endpoints.list()}
    assert "raw features: 30" in outputs["04-explain.ipynb"]
    assert ws.models.analyses("attrition-sklearn:1", "explanation")

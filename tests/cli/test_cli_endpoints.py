"""Model registry and endpoint commands as a user types them, against a real server."""

import json
from pathlib import Path

from modelyard.automl._mlflow import requirements

from server_fixtures import run_cli


def test_register_deploy_invoke_and_manage_an_endpoint(workspace_root: Path, tmp_path: Path):
    import mlflow.sklearn
    from mlflow.models import infer_signature
    from sklearn.linear_model import LogisticRegression
    import pandas as pd

    frame = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0]})
    model = LogisticRegression().fit(frame, ["a", "a", "b", "b"])
    mlflow.sklearn.save_model(model, tmp_path / "m", serialization_format="cloudpickle",
                              signature=infer_signature(frame, model.predict(frame)), pip_requirements=requirements())
    created = run_cli("model", "create", "--name", "tiny", "--path", str(tmp_path / "m"), "-o", "json")
    assert json.loads(created.stdout)["type"] == "mlflow_model", created.stderr
    assert run_cli("model", "update", "tiny:1", "--set-alias", "champion").returncode == 0
    assert "champion" in run_cli("model", "list").stdout

    assert run_cli("online-endpoint", "create", "--name", "tiny-ep").returncode == 0
    deployed = run_cli("online-deployment", "create", "--name", "blue", "--endpoint-name", "tiny-ep",
                       "--model", "tiny@champion", "-o", "json")
    assert json.loads(deployed.stdout)["state"] == "Succeeded", deployed.stderr
    shown = run_cli("online-endpoint", "show", "tiny-ep")
    assert "/api/v1/service/tiny-ep/score" in shown.stdout and "Succeeded" in shown.stdout

    request = tmp_path / "request.json"
    request.write_text(json.dumps({"data": [{"x": 0.1}, {"x": 2.9}]}))
    invoked = run_cli("online-endpoint", "invoke", "tiny-ep", "-r", str(request))
    assert json.loads(invoked.stdout) == {"result": ["a", "b"]}, invoked.stderr

    keys = json.loads(run_cli("online-endpoint", "get-credentials", "tiny-ep", "-o", "json").stdout)
    regenerated = json.loads(run_cli("online-endpoint", "regenerate-keys", "tiny-ep", "--key-type", "secondary",
                                     "-o", "json").stdout)
    assert regenerated["primary_key"] == keys["primary_key"] and regenerated["secondary_key"] != keys["secondary_key"]

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"data": [{"x": "many"}]}))
    refused = run_cli("online-endpoint", "invoke", "tiny-ep", "-r", str(bad))
    assert refused.returncode == 1 and "many" in refused.stderr and "Traceback" not in refused.stderr
    weights = run_cli("online-endpoint", "update", "tiny-ep", "--traffic", "blue=60,green=40")
    assert weights.returncode == 1 and "green" in weights.stderr
    assert "instance-0.log" in run_cli("online-deployment", "get-logs", "blue", "--endpoint-name", "tiny-ep").stdout
    packaged = run_cli("model", "package", "tiny:1", "--output", str(tmp_path / "pkg"))
    assert packaged.returncode == 0 and (tmp_path / "pkg" / "Dockerfile").is_file()

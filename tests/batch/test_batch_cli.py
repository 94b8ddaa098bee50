"""Batch endpoint commands as a user types them, against a real server."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from server_fixtures import run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "batch"


def test_create_deploy_invoke_and_download_from_the_cli(scoring, hr_csv: Path, tmp_path: Path):
    def cli(*args: str):
        return run_cli(*args, cwd=scoring.root)

    created = cli("batch-endpoint", "create", "-f", str(EXAMPLES / "endpoint.yml"), "-o", "json")
    assert json.loads(created.stdout)["scoring_uri"] == "/api/batch-endpoints/attrition-batch/jobs", created.stderr
    deployed = cli("batch-deployment", "create", "-f", str(EXAMPLES / "deployment.yml"), "--model", "attrition:1",
                   "--compute", "local", "-o", "json")
    assert json.loads(deployed.stdout)["instance_count"] == 2, deployed.stderr  # resources.instance_count
    assert "classifier (default)" in cli("batch-endpoint", "show", "attrition-batch").stdout

    invoked = cli("batch-endpoint", "invoke", "attrition-batch", "--input", "employeeattrition:1", "--stream")
    assert invoked.returncode == 0, invoked.stderr
    assert "8 mini-batches of 200, 2 at a time on local" in invoked.stdout
    assert "scored 1470 rows in 8 mini-batches; 0 failed" in invoked.stdout
    job = invoked.stdout.strip().splitlines()[-1]
    shown = cli("job", "show", job)
    assert "batch_scoring" in shown.stdout and "Completed" in shown.stdout
    assert "rows_scored" in shown.stdout and "1470" in shown.stdout and "mini_batches_total" in shown.stdout
    assert cli("job", "download", job, "--output-name", "score", "-p", str(tmp_path / "dl")).returncode == 0
    assert len(pd.read_csv(tmp_path / "dl" / "predictions.csv")) == 1470
    assert job in cli("batch-endpoint", "list-jobs", "attrition-batch").stdout

    script = cli("batch-deployment", "create", "-f", str(EXAMPLES / "deployment-script.yml"), "--model", "attrition:1")
    assert script.returncode == 0, script.stderr  # its code folder is found next to the file
    assert cli("batch-endpoint", "update", "attrition-batch", "--set",
               "defaults.deployment_name=probabilities").returncode == 0
    sample = tmp_path / "sample.csv"
    pd.read_csv(hr_csv, encoding="utf-8-sig").head(120).to_csv(sample, index=False)
    scored = cli("batch-endpoint", "invoke", "attrition-batch", "--input", str(sample), "--mini-batch-size", "50",
                 "--output-name", "sample-scores", "--stream", "-o", "json")
    assert scored.returncode == 0, scored.stderr
    result = json.loads(scored.stdout[scored.stdout.index("{\n"):])
    assert result["outputs"]["score"]["data_asset"] == "sample-scores:1"
    assert result["metrics"]["mini_batches_total"] == 3 and result["metrics"]["rows_scored"] == 120
    listed = cli("batch-deployment", "list", "--endpoint-name", "attrition-batch").stdout
    assert "classifier" in listed and "probabilities" in listed
    assert "attrition-batch" in cli("batch-endpoint", "list").stdout


def test_bad_input_exits_non_zero_with_the_reason(scoring):
    def refused(*args: str) -> str:
        done = run_cli(*args, cwd=scoring.root)
        assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
        return done.stderr

    assert run_cli("batch-endpoint", "create", "--name", "cli-ep", cwd=scoring.root).returncode == 0
    assert "mini_batch_size" in refused("batch-deployment", "create", "--name", "d", "--endpoint-name", "cli-ep",
                                        "--model", "attrition:1", "--mini-batch-size", "0")
    assert "model attrition:7 not found" in refused("batch-deployment", "create", "--name", "d",
                                                    "--endpoint-name", "cli-ep", "--model", "attrition:7")
    assert "has no deployments" in refused("batch-endpoint", "invoke", "cli-ep", "--input", "employeeattrition:1")
    assert "--set takes field=value" in refused("batch-endpoint", "update", "cli-ep", "--set", "nonsense")
    assert run_cli("batch-deployment", "create", "--name", "ok", "--endpoint-name", "cli-ep", "--model",
                   "attrition:1", cwd=scoring.root).returncode == 0
    assert "data asset nosuchdata not found" in refused("batch-endpoint", "invoke", "cli-ep", "--input",
                                                        "nosuchdata@latest")
    assert "not found" in refused("batch-endpoint", "show", "nowhere")

"""Compute, job and component commands as a user types them."""

import json
import textwrap
from pathlib import Path

import yaml

from server_fixtures import run_cli

REPO = Path(__file__).resolve().parents[2]


def test_the_training_example_from_the_cli(workspace_root: Path, hr_csv: Path):
    example = REPO / "examples" / "train"
    assert run_cli("compute", "create", "-f", str(example / "cpucluster.yml")).returncode == 0
    listed = json.loads(run_cli("compute", "list", "-o", "json").stdout)
    cluster = next(c for c in listed if c["name"] == "cpucluster")
    assert cluster["config"]["max_instances"] == 4 and cluster["config"]["idle_time_before_scale_down"] == 600
    assert run_cli("data", "create", "--name", "employeeattrition", "--type", "mltable", "--path", str(hr_csv),
                   "--no-profile").returncode == 0
    result = run_cli("job", "create", "-f", str(example / "job.yml"), "--stream", "-o", "json")
    assert result.returncode == 0, result.stderr
    assert "started the workspace server" in result.stderr and "Accuracy" in result.stdout
    job = json.loads(result.stdout[result.stdout.index("{"):])
    shown = run_cli("job", "show", job["name"])
    assert "AUC" in shown.stdout and "Completed" in shown.stdout
    assert run_cli("job", "download", job["name"], "--output-name", "model", "-p",
                   str(workspace_root / "model")).returncode == 0
    assert (workspace_root / "model" / "model.pkl").is_file()
    table = run_cli("compute", "show", "cpucluster", "-o", "yaml")
    assert yaml.safe_load(table.stdout)["provisioning_state"] == "Succeeded"
    assert run_cli("down").returncode == 0


def test_failing_job_exits_non_zero_and_bad_job_files_are_refused(workspace_root: Path):
    code = workspace_root / "src"
    code.mkdir()
    (code / "main.py").write_text("raise SystemExit('boom')\n")
    job = workspace_root / "job.yml"
    job.write_text(yaml.safe_dump({"type": "command", "code": "src", "command": "python main.py"}))
    failed = run_cli("job", "create", "-f", str(job), "--stream")
    assert failed.returncode == 1 and "boom" in failed.stdout
    bad = workspace_root / "bad.yml"
    bad.write_text(yaml.safe_dump({"type": "command", "command": "echo ${{inputs.x}}", "compute": "gpu"}))
    refused = run_cli("job", "create", "-f", str(bad))
    assert refused.returncode == 1 and "inputs.x" in refused.stderr and "Traceback" not in refused.stderr
    assert run_cli("compute", "create", "--name", "c", "--min-instances", "3", "--max-instances", "1").returncode == 1
    run_cli("down")


def test_components_and_a_pipeline_from_yaml(workspace_root: Path):
    (workspace_root / "steps").mkdir()
    (workspace_root / "steps" / "make.py").write_text(textwrap.dedent("""
        import sys; from pathlib import Path
        Path(sys.argv[1], "numbers.txt").write_text("\\n".join(str(i) for i in range(10)))
        print("made 10 numbers")
    """))
    (workspace_root / "steps" / "total.py").write_text(textwrap.dedent("""
        import sys, mlflow; from pathlib import Path
        mlflow.log_metric("total", sum(int(l) for l in Path(sys.argv[1], "numbers.txt").read_text().split()))
    """))
    (workspace_root / "make.yml").write_text(yaml.safe_dump({
        "name": "make_numbers", "type": "command", "code": "steps", "command": "python make.py ${{outputs.numbers}}",
        "outputs": {"numbers": {"type": "uri_folder"}}}))
    created = run_cli("component", "create", "-f", str(workspace_root / "make.yml"), "-o", "json")
    assert json.loads(created.stdout)["version"] == 1, created.stderr
    assert "make_numbers" in run_cli("component", "list").stdout
    (workspace_root / "pipeline.yml").write_text(yaml.safe_dump({
        "type": "pipeline", "experiment_name": "numbers",
        "jobs": {"make": {"component": "azureml:make_numbers@latest"},
                 "total": {"type": "command", "code": "steps", "command": "python total.py ${{inputs.n}}",
                           "inputs": {"n": "${{parent.jobs.make.outputs.numbers}}"}}}}))
    result = run_cli("job", "create", "-f", str(workspace_root / "pipeline.yml"), "--stream", "-o", "json")
    assert result.returncode == 0, result.stderr
    assert "[make]" in result.stderr and "[total]" in result.stderr
    assert "[make] made 10 numbers" in result.stderr   # --stream shows the steps' log lines, not only statuses
    name = json.loads(result.stdout[result.stdout.index("{"):])["name"]
    steps = json.loads(run_cli("job", "list", "--parent", name, "-o", "json").stdout)
    total = next(s for s in steps if s["step"] == "total")
    assert json.loads(run_cli("job", "show", total["name"], "-o", "json").stdout)["metrics"] == {"total": 45.0}
    assert "steps" in run_cli("job", "show", name).stdout
    run_cli("down")


def test_azure_yaml_is_accepted_with_notes_or_refused_with_what_to_write(workspace_root: Path):
    cluster = workspace_root / "cluster.yml"
    cluster.write_text(yaml.safe_dump({
        "$schema": "https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json", "name": "cpu-cluster",
        "type": "amlcompute", "size": "Standard_DS2_v2", "tier": "dedicated", "min_instances": 0, "max_instances": 2,
        "location": "westeurope"}))
    created = run_cli("compute", "create", "-f", str(cluster), "-o", "json")
    assert created.returncode == 0, created.stderr
    assert json.loads(created.stdout)["config"]["azure"] == {"size": "Standard_DS2_v2", "tier": "dedicated",
                                                             "location": "westeurope"}
    notes = [line for line in created.stderr.splitlines() if line.startswith("note: ")]
    assert len(notes) == 3 and "size (Standard_DS2_v2) is recorded but has no local effect" in notes[0]

    job = workspace_root / "job.yml"
    job.write_text(yaml.safe_dump({"type": "command", "command": "python -c \"import sklearn; print('sklearn here')\"",
                                   "compute": "cpu-cluster",
                                   "environment": "azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest"}))
    ran = run_cli("job", "create", "-f", str(job), "--stream")
    assert ran.returncode == 0 and "sklearn here" in ran.stdout, ran.stderr
    assert "note: environment 'azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest'" in ran.stderr
    assert "environment: system" in ran.stderr
    component = workspace_root / "component.yml"
    component.write_text(yaml.safe_dump({"name": "say_sklearn", "type": "command", "command": "echo hi",
                                         "environment": "azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest"}))
    made = run_cli("component", "create", "-f", str(component))
    assert made.returncode == 0 and "note: environment 'azureml:AzureML-sklearn-1.0" in made.stderr, made.stderr

    for environment, said in (("azureml:AzureML-pytorch-1.10-ubuntu18.04-py38-cuda11-gpu@latest", "curated"),
                              ("azureml:my-team-env:3", "environment azureml:my-team-env:3 not found")):
        job.write_text(yaml.safe_dump({"type": "command", "command": "true", "environment": environment}))
        refused = run_cli("job", "create", "-f", str(job))
        message = " ".join(refused.stderr.split())
        assert refused.returncode == 1 and said in message, message
        assert "write 'environment: system'" in message or "modelyard environment list" in message
        assert "literal" not in message and "PythonEnvironment" not in message and "Traceback" not in message
    run_cli("down")

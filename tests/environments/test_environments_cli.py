"""The environment CLI as a user types it: a conda file and a requirements file, a training job in the
environment, and a model that shows the environment it was trained in."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from server_fixtures import run_cli

from modelyard.errors import InvalidInput

from .conftest import PINNED, write_yaml

TRAIN = """
import sys, joblib, mlflow, tabulate
from sklearn.linear_model import LogisticRegression
model = LogisticRegression().fit([[0], [1], [2], [3]], [0, 0, 1, 1])
joblib.dump(model, sys.argv[1] + "/model.pkl")
print("trained with tabulate", tabulate.__version__, "and mlflow", mlflow.__version__)
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("cli-env")
    write_yaml(folder, "conda.yml", {"name": "train", "channels": ["conda-forge"],
                                     "dependencies": ["python=3.11", "pip", {"pip": [PINNED]}]})
    (folder / "requirements.txt").write_text("# the test's own pin\n")
    write_yaml(folder, "env.yml", {"name": "cli-env", "conda_file": "conda.yml", "requirements": "requirements.txt",
                                   "description": "from a conda file"})
    (folder / "src").mkdir()
    (folder / "src" / "train.py").write_text(TRAIN)
    write_yaml(folder, "job.yml", {"type": "command", "code": "src", "command": "python train.py ${{outputs.model}}",
                                   "environment": "azureml:cli-env@latest", "outputs": {"model": {"type": "uri_folder"}},
                                   "experiment_name": "env-cli"})
    return folder


def test_create_build_list_show_and_archive_from_the_cli(running, files):
    root, _ = running
    made = run_cli("environment", "create", "-f", str(files / "env.yml"), "--wait", cwd=root)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "created environment cli-env:1" in made.stdout and "cli-env:1: Ready" in made.stdout
    listed = run_cli("environment", "list", "-o", "json", cwd=root)
    assert {(e["name"], e["version"], e["state"]) for e in yaml.safe_load(listed.stdout)} >= {("cli-env", 1, "Ready")}
    shown = yaml.safe_load(run_cli("environment", "show", "cli-env@latest", "-o", "yaml", cwd=root).stdout)
    assert shown["python"] == "3.11" and shown["pip"] == [PINNED] and PINNED in shown["packages"]
    table = run_cli("environment", "show", "cli-env:1", cwd=root).stdout
    assert PINNED in table
    again = run_cli("environment", "build", "azureml:cli-env:1", cwd=root)
    assert again.returncode == 0 and "cli-env:1: Ready" in again.stdout
    assert run_cli("environment", "archive", "cli-env:1", cwd=root).returncode == 0
    hidden = yaml.safe_load(run_cli("environment", "list", "--name", "cli-env", "-o", "json", cwd=root).stdout)
    assert hidden == []
    missing = run_cli("environment", "show", "cli-env@latest", cwd=root)
    assert missing.returncode == 1 and "environment cli-env@latest not found" in missing.stderr


def test_a_trained_model_shows_the_environment_of_its_job(running, files):
    root, ws = running
    ws.environments.create(files / "env.yml", name="train-env")
    assert ws.environments.wait("train-env@latest", timeout=300).state == "Ready"
    job = yaml.safe_load((files / "job.yml").read_text())
    write_yaml(files, "job.yml", {**job, "environment": "azureml:train-env@latest"})
    ran = run_cli("job", "create", "-f", str(files / "job.yml"), "--stream", cwd=root)
    assert ran.returncode == 0 and "trained with tabulate 0.8.10" in ran.stdout, ran.stdout + ran.stderr
    name = ws.jobs.list(experiment_name="env-cli")[0].name
    assert "train-env:1" in run_cli("job", "show", name, cwd=root).stdout
    model = ws.models.create(name="env-model", path=f"job:{name}/outputs/model")
    assert model.lineage["environment"] == "train-env:1"
    assert "train-env:1" in run_cli("model", "show", "env-model:1", cwd=root).stdout
    graph = ws.lineage("model:env-model:1", depth=2)
    assert ("environment:train-env:1", f"job:{name}", "runs-in") in {(e.source, e.target, e.type) for e in graph.edges}


SCORE = """
import sys
import tabulate


def init():
    pass


def run(raw_data):
    return {"tabulate": tabulate.__version__, "prefix": sys.prefix}
"""


def test_an_online_deployment_serves_from_its_environment(running, files, tmp_path):
    root, ws = running
    import httpx
    import joblib
    from sklearn.dummy import DummyClassifier

    joblib.dump(DummyClassifier().fit([[0], [1]], [0, 1]), tmp_path / "model.pkl")
    ws.models.create(name="served-model", path=str(tmp_path / "model.pkl"))
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "score.py").write_text(SCORE)
    ws.environments.create(files / "env.yml", name="serve-env")
    assert ws.environments.wait("serve-env:1", timeout=300).state == "Ready"
    ws.online_endpoints.create(name="env-endpoint")
    deployment = dict(name="blue", endpoint_name="env-endpoint", model="served-model:1",
                      code_configuration={"code": str(tmp_path / "code"), "scoring_script": "score.py"})
    with pytest.raises(InvalidInput, match=r"environment: environment azureml:no-env:1 not found"):
        ws.online_endpoints.create_deployment(**deployment, environment="azureml:no-env:1")
    served = ws.online_endpoints.create_deployment(**deployment, environment="azureml:serve-env@latest")
    assert served.state == "Succeeded", served.error
    assert served.environment == "azureml:serve-env:1"
    endpoint = ws.online_endpoints.get("env-endpoint")
    key = ws.online_endpoints.get_credentials("env-endpoint").primary_key
    reply = httpx.post(str(ws._api.http.base_url).rstrip("/") + endpoint.scoring_uri, json={"data": []},
                       headers={"Authorization": f"Bearer {key}"}, timeout=60)
    assert reply.status_code == 200, reply.text
    assert reply.json()["tabulate"] == "0.8.10" and "/.modelyard/envs/" in reply.json()["prefix"]


def test_batch_scoring_jobs_run_in_their_deployments_environment(running, files, tmp_path):
    _, ws = running
    import joblib
    from sklearn.dummy import DummyClassifier

    joblib.dump(DummyClassifier().fit([[0], [1]], [0, 1]), tmp_path / "model.pkl")
    ws.models.create(name="batch-model", path=str(tmp_path / "model.pkl"))
    (tmp_path / "rows.csv").write_text("x\n1\n2\n3\n")
    ws.data.create(name="rows", type="mltable", path=str(tmp_path / "rows.csv"), profile=False)
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "score.py").write_text(
        "import tabulate\n\n\ndef run(mini_batch):\n    return [f'tabulate {tabulate.__version__}'] * len(mini_batch)\n")
    ws.environments.create(files / "env.yml", name="batch-env")
    assert ws.environments.wait("batch-env:1", timeout=300).state == "Ready"
    ws.batch_endpoints.create_or_update(name="env-batch")
    deployment = ws.batch_deployments.create_or_update(
        name="scripted", endpoint_name="env-batch", model="batch-model:1", environment="azureml:batch-env@latest",
        code_configuration={"code": str(tmp_path / "code"), "scoring_script": "score.py"})
    assert deployment.environment == "azureml:batch-env:1"
    job = ws.jobs.wait(ws.batch_endpoints.invoke("env-batch", "rows:1").name, timeout=180)
    assert job.status == "Completed", (job.error, ws.jobs.logs(job.name)["text"])
    assert job.properties["environment"] == "batch-env:1"
    scored = ws.jobs.download(job.name, "score", tmp_path / "out")
    assert "tabulate 0.8.10" in "".join(p.read_text() for p in scored.rglob("*.csv"))

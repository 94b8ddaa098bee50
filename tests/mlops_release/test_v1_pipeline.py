"""The workshop's v1 Azure DevOps steps (examples/mlops/azureml-v1/azure-pipelines.yml) run with `az ml` replaced by
`modelyard` against a real server: submit-script with a .runconfig and a conda file, register from run.json, deploy
with the v1 inference and AKS deployment configs. Unknown fields are refused by name; unhonoured ones warned."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from server_fixtures import run_cli

from .conftest import EXAMPLES

V1 = EXAMPLES / "azureml-v1"
STEP_TIMEOUT_S = 600


@pytest.fixture(scope="module")
def project(release_server, tmp_path_factory):
    """A copy of the v1 example folder (run.json and model.json are written into it) and the server's URL."""
    url, ws = release_server
    folder = tmp_path_factory.mktemp("v1") / "azureml-v1"
    shutil.copytree(V1, folder)
    if "cpu-cluster" not in {c.name for c in ws.compute.list()}:
        ws.compute.create(name="cpu-cluster", type="amlcompute", max_instances=2)
    return folder, url


def _pipeline_steps() -> list[tuple[str, str]]:
    """(display name, command line) of each modelyard step, the pipeline's $(variables) filled in."""
    document = yaml.safe_load((V1 / "azure-pipelines.yml").read_text())
    values = document["variables"]
    fill = lambda text: re.sub(r"\$\(([\w.]+)\)", lambda m: str(values[m.group(1)]), text)  # noqa: E731
    return [(step["displayName"], fill(step["script"])) for step in document["steps"]
            if step["script"].startswith("modelyard ") and "pip install" not in step["script"]]


def _shell(command: str, folder, url: str) -> subprocess.CompletedProcess:
    """One pipeline step in bash, `modelyard` being this checkout's CLI, the server from MODELYARD_URL."""
    env = {**os.environ, "MODELYARD_URL": url, "COLUMNS": "200"}
    env.pop("MODELYARD_WORKSPACE", None)
    script = f'modelyard() {{ "{sys.executable}" -m modelyard "$@"; }}\n{command}\n'
    return subprocess.run(["bash", "-c", script], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=STEP_TIMEOUT_S)


def test_the_workshop_pipeline_runs_with_az_ml_replaced_by_modelyard(project, release_server):
    folder, url = project
    _, ws = release_server
    steps = dict(_pipeline_steps())
    assert list(steps) == ["train", "register", "deploy"]

    trained = _shell(steps["train"], folder, url)
    run = json.loads((folder / "run.json").read_text())
    assert trained.returncode == 0, trained.stdout + trained.stderr + str(ws.jobs.get(run["runId"]).error)
    assert run["experimentName"] == "ibm-attrition" and run["target"] == "cpu-cluster"
    job = ws.jobs.get(run["runId"])
    assert job.status == "Completed" and job.compute == "cpu-cluster"
    assert job.metrics["AUC"] > 0.7 and job.metrics["environment"] == len("attrition")

    registered = _shell(steps["register"], folder, url)
    assert registered.returncode == 0, registered.stdout + registered.stderr
    model = json.loads((folder / "model.json").read_text())
    assert model["modelId"] == "ibm-attrition:1" and model["modelVersion"] == 1
    assert ws.models.get("ibm-attrition:1").lineage.get("mlflow_run_id") == job.mlflow_run_id

    deployed = _shell(steps["deploy"], folder, url)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    for named in ("--ct/deployment_target='aks-cluster'", "autoscale_enabled/autoscale_max_replicas",
                  "autoscaler.target_utilization", "autoscaler.refresh_period_in_seconds"):
        assert named.split("/")[-1] in deployed.stderr, deployed.stderr
    endpoint = ws.online_endpoints.get("ibm-attrition-aks")
    assert endpoint.auth_mode == "key" and endpoint.traffic == {"default": 100}
    assert endpoint.tags["cpu_cores"] == "0.5" and endpoint.tags["v1_compute_type"] == "AKS"
    deployment = ws.online_endpoints.get_deployment("ibm-attrition-aks", "default")
    assert deployment.model_version == 1 and deployment.instance_count == 1
    assert (deployment.request_settings.request_timeout_ms,
            deployment.request_settings.max_concurrent_requests_per_instance) == (5000, 2)
    body = json.loads((EXAMPLES / "deploy" / "sample-request.json").read_text())
    assert set(ws.online_endpoints.invoke("ibm-attrition-aks", body)["predictions"]) <= {"Yes", "No"}

    again = run_cli("model", "deploy", "-n", "ibm-attrition-aks", "-m", "ibm-attrition:1", "--ic",
                    "inference-config.yml", "--dc", "deployment-config-aks.yml", cwd=folder, env={"MODELYARD_URL": url})
    assert again.returncode == 1 and "ibm-attrition-aks" in again.stderr  # exists: --overwrite replaces it
    replaced = run_cli("model", "deploy", "-n", "ibm-attrition-aks", "-m", "ibm-attrition:1", "--ic",
                       "inference-config.yml", "--overwrite", cwd=folder, env={"MODELYARD_URL": url})
    assert replaced.returncode == 0, replaced.stderr
    assert ws.online_endpoints.get("ibm-attrition-aks").auth_mode == "none"  # ACI by default, as v1 (no --dc)
    assert set(ws.online_endpoints.invoke("ibm-attrition-aks", body)["predictions"]) <= {"Yes", "No"}


@pytest.mark.parametrize(("file", "field", "message"), [
    ("deployment-config-aks.yml", "gpuCount: 1\n", "unknown field gpuCount"),
    ("deployment-config-aks.yml", "autoScaler:\n  scaleToZero: true\n", "unknown field autoScaler.scaleToZero"),
    ("inference-config.yml", "entryScrpt: score.py\n", "unknown field entryScrpt"),
    (".azureml/train.runconfig", "scripts: train.py\n", "unknown field scripts"),
])
def test_unknown_fields_of_the_v1_files_are_refused_by_name(project, file, field, message):
    folder, url = project
    (folder / file).write_text((V1 / file).read_text() + field)
    try:
        step = {".azureml/train.runconfig": "modelyard run submit-script -c train -e bad -t bad.json train.py",
                "inference-config.yml": "modelyard model deploy -n bad -m ibm-attrition:1 --ic inference-config.yml",
                }.get(file, "modelyard model deploy -n bad -m ibm-attrition:1 --dc deployment-config-aks.yml")
        done = _shell(step, folder, url)
    finally:
        shutil.copyfile(V1 / file, folder / file)
    assert done.returncode == 1 and message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and not (folder / "bad.json").exists()


def test_a_conda_file_becomes_the_runs_environment(project, release_server):
    folder, url = project
    _, ws = release_server
    managed = (V1 / ".azureml" / "train.runconfig").read_text().replace("userManagedDependencies: true",
                                                                          "userManagedDependencies: false")
    (folder / ".azureml" / "conda.runconfig").write_text(managed)
    done = _shell("modelyard run submit-script -c conda --ct local -e conda --async -t conda.json train.py "
                  "--dataset attrition-train", folder, url)
    assert done.returncode == 0, done.stderr
    job = ws.jobs.get(json.loads((folder / "conda.json").read_text())["runId"])
    ws.jobs.cancel(job.name)  # building a virtualenv here takes minutes; what it is built from is the point
    assert job.spec.environment.python == "3.11" and job.compute == "local"
    assert job.spec.environment.pip == ["scikit-learn", "pandas", "joblib"]
    assert job.spec.environment_variables == {"EXAMPLE_ENV_VAR": "attrition"}
    assert "python train.py --dataset attrition-train" in job.spec.command
    assert "conda package 'scikit-learn' is installed with pip" in done.stderr
    assert "azureml-defaults not installed" in done.stderr


def test_a_missing_runconfig_and_run_json_are_named(project):
    folder, url = project
    missing = _shell("modelyard run submit-script -c nightly -e x train.py", folder, url)
    assert missing.returncode == 1 and "run configuration 'nightly' not found" in missing.stderr
    (folder / "empty.json").write_text("{}")
    empty = _shell("modelyard model register -n x -f empty.json --asset-path outputs/model.pkl", folder, url)
    assert empty.returncode == 1 and "empty.json has no runId, experimentName" in empty.stderr

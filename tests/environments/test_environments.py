"""Environments over a real server: a version is built once by a job, its packages are kept, and jobs
that name it run in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelyard.errors import InvalidInput

from .conftest import BUILD_SECONDS, PINNED, write_yaml

JOB_SECONDS = 180


def _job(environment: str, script: str = "import tabulate; print('tabulate', tabulate.__version__)") -> dict:
    return {"type": "command", "command": f'python -c "{script}"', "environment": environment}


@pytest.fixture(scope="module")
def built(running, tmp_path_factory):
    """attrition-env:1, built from an environment YAML with a pinned package."""
    _, ws = running
    folder = tmp_path_factory.mktemp("env")
    path = write_yaml(folder, "env.yml", {"$schema": "https://azuremlschemas.azureedge.net/latest/environment.schema.json",
                                          "name": "attrition-env", "description": "pinned tabulate",
                                          "pip": [PINNED], "tags": {"team": "hr"}})
    created = ws.environments.create(path)
    assert created.version == 1 and created.state in ("Queued", "Building") and created.build_job
    return ws.environments.wait("attrition-env:1", timeout=BUILD_SECONDS)


def test_a_version_is_built_by_a_job_and_keeps_its_packages_and_log(running, built):
    _, ws = running
    assert built.state == "Ready", ws.environments.build_log("attrition-env:1")
    assert PINNED in built.packages and built.pip == [PINNED] and built.tags == {"team": "hr"}
    build_job = ws.jobs.get(built.build_job)
    assert build_job.type == "environment_build" and build_job.status == "Completed"
    log = ws.environments.build_log("attrition-env:1")
    assert "building environment" in log and "tabulate" in log


def test_a_job_naming_the_environment_runs_in_it_and_shows_its_version(running, built):
    _, ws = running
    for reference in ("azureml:attrition-env@latest", "azureml:attrition-env:1", "attrition-env:1"):
        submitted = ws.jobs.create(_job(reference))
        done = ws.jobs.wait(submitted.name, timeout=JOB_SECONDS)
        log = ws.jobs.logs(done.name)["text"]
        assert done.status == "Completed", log
        assert "tabulate 0.8.10" in log and "building environment" not in log  # built once, by its build job
        assert done.properties["environment"] == "attrition-env:1"
    # the server's own interpreter does not have the package: the job really ran in the environment
    plain = ws.jobs.wait(ws.jobs.create(_job("system")).name, timeout=JOB_SECONDS)
    assert plain.status == "Failed" and "No module named 'tabulate'" in ws.jobs.logs(plain.name)["text"]


def test_equal_content_shares_one_build_and_latest_follows_new_versions(running, built, tmp_path):
    _, ws = running
    again = ws.environments.create({"name": "attrition-env", "pip": [PINNED], "description": "same packages"})
    assert again.version == 2 and again.content_hash == built.content_hash
    ready = ws.environments.wait("attrition-env:2", timeout=BUILD_SECONDS)
    assert ready.state == "Ready" and ready.packages == built.packages
    assert "building environment" not in ws.environments.build_log("attrition-env:2")
    assert ws.environments.get("attrition-env@latest").version == 2
    ws.environments.archive("attrition-env:2")
    assert ws.environments.get("attrition-env@latest").version == 1
    assert [e.version for e in ws.environments.list("attrition-env")] == [1]
    assert [e.version for e in ws.environments.list("attrition-env", include_archived=True)] == [2, 1]


def test_a_package_that_does_not_resolve_fails_the_build_with_pips_message(running):
    root, ws = running
    ws.environments.create({"name": "broken-env", "pip": ["modelyard-no-such-package-xyz==1.0"]})
    failed = ws.environments.wait("broken-env:1", timeout=BUILD_SECONDS)
    assert failed.state == "Failed" and failed.packages == []
    assert "modelyard-no-such-package-xyz" in failed.error and "No matching distribution" in failed.error
    assert "No matching distribution found" in ws.environments.build_log("broken-env:1")
    envs = root / ".modelyard" / "envs"
    assert not (envs / failed.content_hash).exists()  # nothing half-cached
    assert not list(envs.glob("*.building"))
    with pytest.raises(InvalidInput, match=r"environment: environment broken-env:1 failed to build"):
        ws.jobs.create(_job("azureml:broken-env:1"))


def test_a_job_naming_an_environment_that_does_not_exist_is_refused_at_submit(running, built):
    _, ws = running
    before = len(ws.jobs.list())
    for reference in ("azureml:no-such-env@latest", "attrition-env:9"):
        with pytest.raises(InvalidInput, match=rf"environment: environment {reference} not found"):
            ws.jobs.create(_job(reference))
    pipeline = {"type": "pipeline", "jobs": {"train": _job("azureml:missing-env:1")}}
    with pytest.raises(InvalidInput, match=r"jobs.train.environment: environment azureml:missing-env:1 not found"):
        ws.jobs.create(pipeline)
    assert len(ws.jobs.list()) == before


def test_pipeline_steps_run_in_the_environment_they_name(running, built):
    _, ws = running
    pipeline = {"type": "pipeline", "jobs": {"show": _job("azureml:attrition-env:1")}}
    done = ws.jobs.wait(ws.jobs.create(pipeline).name, timeout=JOB_SECONDS)
    step = ws.jobs.list(parent=done.name)[0]
    assert done.status == "Completed" and step.properties["environment"] == "attrition-env:1"
    assert "tabulate 0.8.10" in ws.jobs.logs(step.name)["text"]


BAD = {
    "missing name": ({"pip": ["tabulate"]}, "name"),
    "conda_file and image": ({"name": "e", "image": "mcr.microsoft.com/azureml/base:latest",
                              "conda_file": {"dependencies": ["python=3.11"]}}, "conda_file and image"),
    "unknown field": ({"name": "e", "pip": ["tabulate"], "colour": "red"}, "colour"),
    "bad requirement": ({"name": "e", "pip": ["tabulate=>1"]}, "pip.0"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_environment_yaml_is_a_400_naming_the_field(running, case):
    _, ws = running
    document, field = BAD[case]
    before = ws.environments.list(include_archived=True)
    with pytest.raises(InvalidInput) as refused:  # straight to REST, past the SDK's own check
        ws._server_api().post("/api/environments", json=document)
    assert refused.value.status_code == 400 and field in refused.value.message
    assert ws.environments.list(include_archived=True) == before

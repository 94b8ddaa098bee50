"""The GitHub Actions workflow and the Azure Pipelines YAML run the release script with flags it accepts, take the
server from the MODELYARD_URL/MODELYARD_TOKEN secrets, and build the training environment the job refers to."""

from __future__ import annotations

import importlib.util
import shlex

import pytest
import yaml

from server_fixtures import run_cli

from .conftest import EXAMPLES

TEMPLATES = {"github": ("github/release.yml", "run"), "azure": ("azure-pipelines/release.yml", "script")}


def _release_parser():
    """release.py's own argument parser, fed each template's command line."""
    spec = importlib.util.spec_from_file_location("release_script", EXAMPLES / "release.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    captured = {}

    def stop(options):
        captured.update(vars(options))
        return 0

    module.release = stop
    return module, captured


def _steps(document: dict) -> list[dict]:
    return document["jobs"]["release"]["steps"] if "jobs" in document else document["steps"]


@pytest.mark.parametrize("template", TEMPLATES)
def test_each_template_runs_the_release_script_with_flags_it_accepts(template, monkeypatch):
    path, key = TEMPLATES[template]
    text = (EXAMPLES / path).read_text()
    steps = _steps(yaml.safe_load(text))
    commands = [step[key] for step in steps if "release.py" in str(step.get(key, ""))]
    assert len(commands) == 1
    words = shlex.split(commands[0].replace("${{", "").replace("}}", "").replace("$(", "").replace(")", ""))
    assert words[:2] == ["python", "examples/mlops/release.py"]
    module, captured = _release_parser()
    monkeypatch.setattr("sys.argv", words[1:])
    with pytest.raises(SystemExit) as done:
        module.main()
    assert done.value.code == 0
    assert (captured["model"], captured["endpoint"], captured["holdout"]) == ("attrition", "attrition-ep",
                                                                              "attrition-holdout")
    assert captured["metric"] == "AUC_weighted" and captured["min_gain"] == 0.0 and captured["reason"]
    assert "MODELYARD_URL" in text and "MODELYARD_TOKEN" in text
    assert captured["environment"].is_file() and "TODO" not in text
    assert yaml.safe_load(captured["environment"].read_text())["name"] in captured["job"].read_text()


def test_the_cli_takes_the_server_from_modelyard_url(release_server, tmp_path):
    url, ws = release_server
    shown = run_cli("workspace", "show", "-o", "json", cwd=tmp_path, env={"MODELYARD_URL": url})
    assert shown.returncode == 0, shown.stderr
    assert f'"name": "{ws.info().name}"' in shown.stdout
    refused = run_cli("workspace", "show", cwd=tmp_path, env={"MODELYARD_URL": "http://127.0.0.1:9"})
    assert refused.returncode != 0 and "127.0.0.1:9" in refused.stderr

"""examples/mlops/release.py, the one script both CI templates call, run against a real server in the order a
project lives through it: a first release, a better challenger shifted in blue/green, a worse challenger stopped
by the gate, and a deployment that fails its health check rolled back. Each test builds on the one before."""

from __future__ import annotations

import json

from .conftest import EXAMPLES, release

BROKEN_SCORE = "def init():\n    raise RuntimeError('the model store is unreachable (on purpose)')\n\n" \
               "def run(raw_data):\n    return raw_data\n"


def _release(release_server, tmp_path, job: str, reason: str, *more: str):
    url, _ = release_server
    return release(url, tmp_path, "--model", "attrition", "--endpoint", "attrition-ep", "--holdout",
                   "attrition-holdout", "--reason", reason, "--job", str(EXAMPLES / "train" / job), *more)


def _state(ws):
    endpoint = ws.online_endpoints.get("attrition-ep")
    champion = [m.version for m in ws.models.list("attrition") if "champion" in m.aliases]
    return ({k: v for k, v in endpoint.traffic.items() if v}, sorted(d.name for d in endpoint.deployments), champion)


def _labels(ws) -> list[str]:
    body = json.loads((EXAMPLES / "deploy" / "sample-request.json").read_text())
    return ws.online_endpoints.invoke("attrition-ep", body)["result"]


def test_the_first_release_goes_to_blue_without_a_gate(release_server, tmp_path):
    _, ws = release_server
    done = _release(release_server, tmp_path, "job-few-features.yml", "first release")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no champion yet: attrition:1 is the first release" in done.stdout
    assert _state(ws) == ({"blue": 100}, ["blue"], [1])
    assert len(_labels(ws)) == 2 and set(_labels(ws)) <= {"Yes", "No"}
    reasons = {r.verb: r.reason for r in ws.audit.list(noun="model") if r.name == "attrition"}
    assert reasons == {"create": "first release", "update": "first release"}


def test_a_better_challenger_shifts_the_traffic_to_green(release_server, tmp_path):
    _, ws = release_server
    done = _release(release_server, tmp_path, "job.yml", "all the columns")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "model compare attrition:2 attrition:1 --data attrition-holdout --metric AUC_weighted" in done.stdout
    assert "--traffic blue=90,green=10" in done.stdout and "--traffic green=100" in done.stdout
    assert _state(ws) == ({"green": 100}, ["green"], [2])
    assert ws.online_endpoints.get_deployment("attrition-ep", "green").model_version == 2


def test_a_worse_challenger_is_stopped_and_nothing_is_deployed(release_server, tmp_path):
    _, ws = release_server
    done = _release(release_server, tmp_path, "job-few-features.yml", "fewer columns")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "attrition:1 is worse than champion attrition:2" in done.stderr
    assert "does not beat attrition:2; nothing deployed" in done.stderr
    assert _state(ws) == ({"green": 100}, ["green"], [2])


def test_a_deployment_that_fails_its_health_check_is_rolled_back(release_server, tmp_path):
    _, ws = release_server
    (tmp_path / "score").mkdir()
    (tmp_path / "score" / "score.py").write_text(BROKEN_SCORE)
    deployment = tmp_path / "broken.yml"
    deployment.write_text("instance_count: 1\ncode_configuration:\n  code: score\n  scoring_script: score.py\n")
    done = _release(release_server, tmp_path, "job.yml", "same model, broken scoring script",
                    "--deployment", str(deployment))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "rolling back: the traffic goes back to {'green': 100}, deployment blue is removed" in done.stderr
    assert _state(ws) == ({"green": 100}, ["green"], [2])
    assert len(_labels(ws)) == 2 and set(_labels(ws)) <= {"Yes", "No"}

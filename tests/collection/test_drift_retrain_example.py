"""examples/mlops/drift-retrain end to end against a real server: collection enabled on the demo endpoint from
the CLI, drifted traffic through the key route, the monitor run from the CLI, and a loopback webhook receiver
that submits the retraining job when monitor.drift_detected arrives, then takes the retrained model through
examples/mlops/release.py's gate (challenger vs champion on held-out data) and its blue/green redeployment."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from collection.conftest import score, wait_until
from server_fixtures import run_cli
from workshop_rows import WORKSHOP_ROW

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mlops" / "drift-retrain"
ENDPOINT = "ibm-attrition-aks"
SECRET = "drift-retrain-example-secret"
JOB_SECONDS = 300
HOLDOUT_ROWS = 370


@pytest.fixture
def receiver(served):
    """retrain_receiver.py on a free loopback port, in the workspace; (its URL, its output lines)."""
    env = {**os.environ, "MODELYARD_WORKSPACE": str(served.root)}
    process = subprocess.Popen([sys.executable, str(EXAMPLE / "retrain_receiver.py"), "--port", "0",
                                "--secret", SECRET, "--compute", "local", "--model", "attrition",
                                "--endpoint", ENDPOINT, "--holdout", "attrition-holdout"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: list[str] = []
    def read() -> None:
        for line in process.stdout:
            lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        listening = wait_until(lambda: next((line for line in lines if line.startswith("listening on ")), None),
                               "the receiver to listen")
        yield listening.removeprefix("listening on ").strip(), lines
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_drift_fires_the_webhook_that_retrains_gates_and_redeploys(served, receiver, hr_csv, tmp_path):
    url, lines = receiver
    cwd = served.root
    assert run_cli("data", "create", "--name", "employeeattrition", "--type", "mltable", "--path", str(hr_csv),
                   cwd=cwd).returncode == 0
    rows = hr_csv.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    (tmp_path / "holdout.csv").write_text("".join(rows[:1] + rows[-HOLDOUT_ROWS:]), encoding="utf-8")
    assert run_cli("data", "create", "--name", "attrition-holdout", "--type", "mltable", "--path",
                   str(tmp_path / "holdout.csv"), cwd=cwd).returncode == 0
    assert run_cli("model", "update", "attrition:1", "--set-alias", "champion", cwd=cwd).returncode == 0
    scoring = served.deploy(ENDPOINT, auth_mode="key")
    updated = run_cli("online-deployment", "update", "blue", "-e", ENDPOINT, "-f", str(EXAMPLE / "collect.yml"),
                      cwd=cwd)
    assert updated.returncode == 0, updated.stderr
    assert served.ws.online_endpoints.data_collection(ENDPOINT, "blue").collections == ["model_inputs",
                                                                                        "model_outputs"]
    hooked = run_cli("webhook", "create", "--name", "retrain", "--url", url, "--events", "monitor.drift_detected",
                     "--secret", SECRET, cwd=cwd)
    assert hooked.returncode == 0, hooked.stderr

    key = served.ws.online_endpoints.get_credentials(ENDPOINT).primary_key
    sent = subprocess.run([sys.executable, str(EXAMPLE / "send_traffic.py"), "--url", scoring, "--key", key,
                           "--csv", str(hr_csv), "--drift"], capture_output=True, text=True, timeout=300)
    assert sent.returncode == 0 and "scored 1000 drifted rows" in sent.stdout, sent.stderr
    wait_until(lambda: served.ws.online_endpoints.data_collection(ENDPOINT, "blue").rows["model_inputs"] == 1000,
               "1000 collected rows")

    assert run_cli("monitor", "create", "-f", str(EXAMPLE / "monitor.yml"), cwd=cwd).returncode == 0
    ran = run_cli("monitor", "run", "attrition-drift", "--wait", cwd=cwd, timeout=JOB_SECONDS)
    assert ran.returncode == 0, ran.stderr
    assert "failed" in ran.stdout and "drift: Age, BusinessTravel, MonthlyIncome" in ran.stdout
    shown = run_cli("data", "show", "ibm-attrition-aks-blue-model_inputs", cwd=cwd)
    assert "1000" in shown.stdout

    announced = wait_until(lambda: [line for line in lines if "retraining job" in line], "the retraining job")
    assert len(announced) == 1 and "(monitor attrition-drift, run " in announced[0]
    retraining = announced[0].rsplit("retraining job ", 1)[1].split()[0]
    job = served.ws.jobs.wait(retraining, timeout=JOB_SECONDS)
    assert job.status == "Completed", job.error
    assert job.experiment_name == "attrition-classification" and job.tags["retrained_for"].startswith("attrition-drift/")
    deliveries = served.ws.webhooks.deliveries("retrain")
    assert deliveries and all(d.status == "Succeeded" for d in deliveries)  # one per drifting signal

    outcome = wait_until(lambda: [line for line in lines if line.startswith(f"release of {retraining}: ")],
                         "the release's outcome", timeout=JOB_SECONDS)
    log = "".join(lines)
    assert "model compare attrition:2 attrition:1 --data attrition-holdout --metric AUC_weighted" in log
    gate = served.ws.models.compare("attrition:2", "attrition:1", data="attrition-holdout", metric="AUC_weighted",
                                    target="Attrition")
    assert f"challenger attrition:2: {gate.challenger.value:.6f}" in log and f"gain {gate.gain:+.6f}" in log
    endpoint = served.ws.online_endpoints.get(ENDPOINT)
    traffic = {name: percent for name, percent in endpoint.traffic.items() if percent}
    champions = [m.version for m in served.ws.models.list("attrition") if "champion" in m.aliases]
    if gate.passed:  # the challenger is at least as good as the champion: it serves all the traffic, as champion
        assert outcome == [f"release of {retraining}: released\n"], log
        assert traffic == {"green": 100} and champions == [2], log
    else:
        assert outcome == [f"release of {retraining}: the champion stays (the challenger is not better)\n"], log
        assert traffic == {"blue": 100} and champions == [1], log
    answer = score(scoring, [WORKSHOP_ROW], Authorization=f"Bearer {key}")
    answered_by = answer.headers["azureml-model-deployment"]
    assert answered_by == next(iter(traffic))
    assert served.ws.online_endpoints.get_deployment(ENDPOINT, answered_by).model_version == (2 if gate.passed else 1)
    assert answer.json()["result"][0] in {"Yes", "No"}

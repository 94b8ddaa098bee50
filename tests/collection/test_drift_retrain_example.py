"""examples/mlops/drift-retrain end to end against a real server: collection enabled on the demo endpoint from
the CLI, drifted traffic through the key route, the monitor run from the CLI, and a loopback webhook receiver
that submits the retraining job when monitor.drift_detected arrives."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from collection.conftest import wait_until
from server_fixtures import run_cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mlops" / "drift-retrain"
ENDPOINT = "ibm-attrition-aks"
SECRET = "drift-retrain-example-secret"
JOB_SECONDS = 300


@pytest.fixture
def receiver(served):
    """retrain_receiver.py on a free loopback port, in the workspace; (its URL, its output lines)."""
    env = {**os.environ, "MODELYARD_WORKSPACE": str(served.root)}
    process = subprocess.Popen([sys.executable, str(EXAMPLE / "retrain_receiver.py"), "--port", "0",
                                "--secret", SECRET, "--compute", "local"],
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


def test_drift_in_collected_traffic_fires_the_webhook_that_starts_retraining(served, receiver, hr_csv):
    url, lines = receiver
    cwd = served.root
    assert run_cli("data", "create", "--name", "employeeattrition", "--type", "mltable", "--path", str(hr_csv),
                   cwd=cwd).returncode == 0
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

"""Scoring scripts and request settings through the key-authenticated route of a real server:
the workshop body answered by init()/run(raw_data), a request past request_timeout_ms (504), more
concurrent requests than max_concurrent_requests_per_instance (429), and a script that raises
(500 with an error id; the traceback only in the deployment's logs)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import httpx
import pytest

from workshop_rows import WORKSHOP_ROW

SCRIPT = '''
import json
import os
import time

import mlflow.sklearn
import pandas as pd

model = None


def init():
    global model
    model = mlflow.sklearn.load_model(os.environ["AZUREML_MODEL_DIR"])


def run(raw_data):
    body = json.loads(raw_data)
    if "sleep" in body:
        time.sleep(body["sleep"])
        return {"slept": body["sleep"]}
    if "fail" in body:
        return explode(body["fail"])
    return {"result": model.predict(pd.DataFrame(body["data"])).tolist()}


def explode(marker):
    raise RuntimeError(f"the scoring script failed on purpose ({marker})")
'''


@pytest.fixture(scope="module")
def code(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("code")
    (folder / "score.py").write_text(SCRIPT)
    return folder


@pytest.fixture(scope="module")
def script_endpoint(served, code):
    """Endpoint 'scripted' with deployments: 'quick' (1 s timeout) and 'narrow' (2 concurrent requests)."""
    _, ws = served
    ws.online_endpoints.create(name="scripted")
    for name, settings in (("quick", {"request_timeout_ms": 1000}),
                           ("narrow", {"request_timeout_ms": 60_000, "max_concurrent_requests_per_instance": 2})):
        deployment = ws.online_endpoints.create_deployment(
            name=name, endpoint_name="scripted", model="attrition:1", request_settings=settings,
            code_configuration={"code": str(code), "scoring_script": "score.py"})
        assert deployment.state == "Succeeded", deployment.error
    endpoint = ws.online_endpoints.get("scripted")
    key = ws.online_endpoints.get_credentials("scripted").primary_key
    url = str(ws._api.http.base_url).rstrip("/") + endpoint.scoring_uri

    def post(deployment: str, body, timeout: float = 60) -> httpx.Response:
        return httpx.post(url, json=body, timeout=timeout,
                          headers={"Authorization": f"Bearer {key}", "azureml-model-deployment": deployment})

    return ws, post


def test_the_scoring_script_answers_the_workshop_body(script_endpoint, served, hr_csv):
    _, post = script_endpoint
    for deployment in ("quick", "narrow"):
        reply = post(deployment, {"data": [WORKSHOP_ROW, {**WORKSHOP_ROW, "OverTime": "No"}]})
        assert reply.status_code == 200, reply.text
        assert len(reply.json()["result"]) == 2 and set(reply.json()["result"]) <= {"Yes", "No"}


def test_a_request_past_the_timeout_is_504(script_endpoint):
    _, post = script_endpoint
    started = time.monotonic()
    reply = post("quick", {"sleep": 6})
    assert reply.status_code == 504, reply.text
    assert "1000 ms" in reply.json()["error"]
    assert time.monotonic() - started < 5.5  # answered at the deadline, not when the script returns


def test_more_concurrent_requests_than_allowed_is_429(script_endpoint):
    ws, post = script_endpoint
    slow: list[httpx.Response] = []
    threads = [threading.Thread(target=lambda: slow.append(post("narrow", {"sleep": 4}))) for _ in range(2)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 30
    # the two slow requests are in flight once the process's metrics say so
    while _in_flight(ws, "narrow") < 2:
        assert time.monotonic() < deadline, "the slow requests never reached the scoring process"
        time.sleep(0.05)
    refused = post("narrow", {"data": [WORKSHOP_ROW]})
    assert refused.status_code == 429, refused.text
    assert "2 concurrent" in refused.json()["error"]
    for t in threads:
        t.join(60)
    assert [r.status_code for r in slow] == [200, 200]
    assert post("narrow", {"data": [WORKSHOP_ROW]}).status_code == 200  # capacity is back


def test_a_raising_script_is_500_with_an_error_id_and_the_traceback_in_the_logs(script_endpoint):
    ws, post = script_endpoint
    reply = post("quick", {"fail": "marker-7"})
    assert reply.status_code == 500
    error_id = reply.json()["error_id"]
    assert error_id and "Traceback" not in reply.text and "marker-7" not in reply.text
    deadline = time.monotonic() + 10
    while error_id not in (logs := ws.online_endpoints.deployment_logs("scripted", "quick")):
        assert time.monotonic() < deadline, logs
        time.sleep(0.1)
    after = logs[logs.index(error_id):]
    assert "Traceback" in after and "in explode" in after and "failed on purpose (marker-7)" in after


def _in_flight(ws, deployment: str) -> int:
    """From the scoring process's own /metrics, over its socket (the workspace's owner can reach it)."""
    for instance in ws.online_endpoints.get_deployment("scripted", deployment).instances:
        record = ws.location.folder / "run" / "scoring" / f"{instance.pid}.json"
        with httpx.Client(transport=httpx.HTTPTransport(uds=json.loads(record.read_text())["socket"])) as client:
            metrics = client.get("http://scoring/metrics", timeout=5).text
        for line in metrics.splitlines():
            if line.startswith("modelyard_scoring_in_flight"):
                return int(float(line.rsplit(" ", 1)[1]))
    return 0

"""Issue 10 items 3, 6 and 7 (scoring) against a real server on loopback: the scoring processes are
reachable only through the key-checking route, die with their server and are ended by the next one;
bad bodies are refused with the reason (deep nesting, missing or infinite numbers, bodies over the
deployment's limit, before they are read); a pickle that is not a model fails its deployment."""

from __future__ import annotations

import json
import os
import pickle
import select
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from modelyard import server as servers
from modelyard._processes import pid_alive
from modelyard.automl._mlflow import requirements
from modelyard.errors import InvalidInput
from modelyard.services import workspace as workspaces
from server_fixtures import workspace_server

COLUMNS = ["Age", "MonthlyIncome", "Department"]
ROW = {"Age": 41.0, "MonthlyIncome": 5993.0, "Department": "Sales"}
LINUX = sys.platform.startswith("linux")


def save_model(hr_csv: Path, folder: Path, impute: bool) -> Path:
    """A small attrition pipeline on float columns (signature: doubles), with or without an imputer."""
    import mlflow.sklearn
    import pandas as pd
    from mlflow.models import infer_signature
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    frame = pd.read_csv(hr_csv, encoding="utf-8-sig")
    target = frame.pop("Attrition")
    frame = frame[COLUMNS].astype({"Age": float, "MonthlyIncome": float})
    numbers = make_pipeline(SimpleImputer(), StandardScaler()) if impute else StandardScaler()
    model = Pipeline([("features", ColumnTransformer([("num", numbers, ["Age", "MonthlyIncome"]),
                                                      ("cat", OneHotEncoder(handle_unknown="ignore"),
                                                       ["Department"])])),
                      ("classifier", LogisticRegression(max_iter=1000))]).fit(frame, target)
    mlflow.sklearn.save_model(model, folder, serialization_format="cloudpickle", pip_requirements=requirements(),
                              signature=infer_signature(frame, model.predict(frame)), input_example=frame.head(2))
    return folder


def deploy(ws, endpoint: str, model: str, max_body_bytes: int | None = None):
    ws.online_endpoints.create(name=endpoint)
    settings = {"request_settings": {"max_body_bytes": max_body_bytes}} if max_body_bytes else {}
    deployment = ws.online_endpoints.create_deployment(name="blue", endpoint_name=endpoint, model=model, **settings)
    key = ws.online_endpoints.get_credentials(endpoint).primary_key
    url = str(ws._api.http.base_url).rstrip("/") + ws.online_endpoints.get(endpoint).scoring_uri
    return deployment, url, {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def served(tmp_path_factory, hr_csv):
    """A server with models 'plain' (no imputer) and 'imputing', each deployed to an endpoint of its name."""
    root = tmp_path_factory.mktemp("security-scoring") / "ws"
    with workspace_server(root, "security-scoring") as (info, ws):
        for name, impute in (("plain", False), ("imputing", True)):
            ws.models.create(name=name, path=str(save_model(hr_csv, root.parent / name, impute)))
        endpoints = {name: deploy(ws, name, f"{name}:1", 1_000_000) for name in ("plain", "imputing")}
        yield root, ws, endpoints


def listening_tcp_inodes() -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if os.path.exists(table):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A":  # LISTEN
                    inodes.add(fields[9])
    return inodes


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


@pytest.mark.skipif(not LINUX, reason="reads the listening sockets from /proc")
def test_a_scoring_process_has_no_port_and_only_the_key_route_reaches_it(served):
    root, ws, endpoints = served
    deployment, url, auth = endpoints["plain"]
    published = deployment.model_dump()["instances"][0]
    assert "port" not in published and published["state"] == "Ready"
    pid = published["pid"]
    assert not socket_inodes(pid) & listening_tcp_inodes(), "the scoring process listens on a TCP port"
    record = json.loads((root / ".modelyard" / "run" / "scoring" / f"{pid}.json").read_text())
    folder = Path(record["socket"]).parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(os.stat(record["socket"]).st_mode) == 0o600
    assert httpx.post(url, json={"data": [ROW]}).status_code == 401
    assert httpx.post(url, json={"data": [ROW]}, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert httpx.post(url, json={"data": [ROW]}, headers=auth).status_code == 200


def test_a_body_nested_1000_deep_is_400(served):
    _, _, endpoints = served
    _, url, auth = endpoints["plain"]
    deep = '{"a":' * 1000 + "1" + "}" * 1000
    body = '{"data":[{"Age":' + deep + ', "MonthlyIncome": 1.0, "Department": "Sales"}]}'
    answer = httpx.post(url, content=body, headers={**auth, "Content-Type": "application/json"})
    assert answer.status_code == 400, answer.text
    assert "column 'Age', row 0" in answer.json()["error"]


@pytest.mark.parametrize("value, shown", [(None, "a missing value"), ("NaN", "a missing value"),
                                           ("inf", "inf"), ("-Infinity", "-inf")])
def test_a_missing_or_infinite_number_is_400_naming_its_column_and_row(served, value, shown):
    _, _, endpoints = served
    _, url, auth = endpoints["plain"]
    rows = [ROW, {**ROW, "MonthlyIncome": value}]
    answer = httpx.post(url, json={"data": rows}, headers=auth)
    assert answer.status_code == 400, answer.text
    assert f"column 'MonthlyIncome', row 1: the model cannot score {shown}" in answer.json()["error"]


def test_a_missing_number_is_imputed_where_the_model_imputes(served):
    _, _, endpoints = served
    _, url, auth = endpoints["imputing"]
    answer = httpx.post(url, json={"data": [{**ROW, "Age": None}, {**ROW, "Age": "NaN"}]}, headers=auth)
    assert answer.status_code == 200, answer.text
    assert all(label in ("Yes", "No") for label in answer.json()["result"])
    infinite = httpx.post(url, json={"data": [{**ROW, "Age": "inf"}]}, headers=auth)  # an imputer keeps infinity
    assert infinite.status_code == 400 and "column 'Age', row 0" in infinite.json()["error"]


def raw_request(url: str, head: str, chunks=()) -> bytes:
    """Send ``head`` then ``chunks`` (stopping once the server answers); the server's answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head.encode())
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:
                break  # it answered already: the rest is never read
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
        answer = b""
        while b"\r\n\r\n" not in answer:
            part = sock.recv(65536)
            if not part:
                break
            answer += part
        return answer


def test_a_body_over_the_limit_is_413_before_it_is_read(served):
    _, _, endpoints = served
    _, url, auth = endpoints["plain"]  # max_body_bytes: 1,000,000
    path = urlsplit(url).path
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {auth['Authorization']}\r\n"
            "Content-Type: application/json\r\n")
    declared = raw_request(url, head + "Content-Length: 150000000\r\n\r\n", [b'{"data": ['])
    assert declared.startswith(b"HTTP/1.1 413 "), declared[:200]
    chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
    streamed = raw_request(url, head + "Transfer-Encoding: chunked\r\n\r\n", (chunk for _ in range(160)))  # 10 MB
    assert streamed.startswith(b"HTTP/1.1 413 "), streamed[:200]
    assert httpx.post(url, json={"data": [ROW]}, headers=auth).status_code == 200  # the server is fine


def test_a_pickle_that_is_not_a_model_fails_its_deployment_with_the_reason(served, tmp_path):
    _, ws, _ = served
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    (folder / "model.pkl").write_bytes(pickle.dumps({"weights": [1, 2, 3]}))
    ws.models.create(name="not-a-model", path=str(folder))
    ws.online_endpoints.create(name="broken")
    started = time.monotonic()
    with pytest.raises(InvalidInput, match="holds a builtins.dict, not a model: it has no predict method"):
        ws.online_endpoints.create_deployment(name="blue", endpoint_name="broken", model="not-a-model:1", timeout=60)
    deployment = ws.online_endpoints.get_deployment("broken", "blue")
    assert deployment.state == "Failed" and "not a model" in deployment.error
    assert time.monotonic() - started < 55, "the deployment failed only after the restarts ran out"


def scoring_pids(root: Path) -> list[int]:
    return [int(p.stem) for p in (root / ".modelyard" / "run" / "scoring").glob("*.json")]


def wait_until(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_scoring_processes_die_with_a_killed_server_and_come_back_with_the_next(tmp_path, hr_csv):
    root = tmp_path / "ws"
    with workspace_server(root, "orphans") as (info, ws):
        ws.models.create(name="plain", path=str(save_model(hr_csv, tmp_path / "plain", False)))
        deployment, url, auth = deploy(ws, "survivor", "plain:1")
        pid = deployment.instances[0].pid
        os.kill(info.pid, signal.SIGKILL)
        wait_until(lambda: not pid_alive(pid), 10, f"scoring process {pid} outlived its killed server")
        location = workspaces.load(root)
        again = servers.start_detached(location, "127.0.0.1", 0)
        url = url.replace(f":{info.port}/", f":{again.port}/")
        reply: list[httpx.Response] = []
        wait_until(lambda: reply.append(httpx.post(url, json={"data": [ROW]}, headers=auth)) or
                   reply[-1].status_code == 200, 60, "the restarted server does not serve the endpoint")
        pids = scoring_pids(root)
        assert pids and all(pid_alive(p) for p in pids)
        servers.stop(location)  # 'modelyard down'
        assert not any(pid_alive(p) for p in pids) and not scoring_pids(root)


def test_the_next_server_ends_the_scoring_processes_a_dead_one_left(tmp_path, hr_csv):
    """Processes that outlived their server (one not started with --parent-pid) end when the next starts;
    a recorded pid that is now another program is left alone."""
    from modelyard.runtime._scoring_processes import ScoringProcesses

    folder = tmp_path / ".modelyard"
    model = save_model(hr_csv, tmp_path / "plain", False)
    processes = ScoringProcesses(folder)
    socket_path = processes.new_socket()
    leftover = subprocess.Popen([sys.executable, "-m", "modelyard.serving", "--model-dir", str(model),
                                 "--uds", socket_path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        processes.record(leftover.pid, socket_path)
        (processes.folder / f"{bystander.pid}.json").write_text(json.dumps(
            {"pid": bystander.pid, "identity": "1 python -m modelyard.serving --model-dir x", "socket": ""}))
        ended = ScoringProcesses(folder).end_leftovers()
        assert ended == [leftover.pid]
        assert leftover.wait(10) is not None
        assert bystander.poll() is None and not list(processes.folder.glob("*.json"))
    finally:
        for process in (leftover, bystander):
            process.kill()
            process.wait()

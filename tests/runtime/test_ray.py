"""The ray compute target against a real local Ray cluster: a head node and a second worker node."""

import os
import signal
import textwrap
import time
from pathlib import Path

import pytest

from modelyard.errors import InvalidInput
from server_fixtures import free_port

TIMEOUT = 600  # a hang guard under pytest-timeout's 900 s: a loaded machine may take this long


@pytest.fixture(scope="module")
def ray_ws(running, ray_cluster):
    root, ws = running
    ws.compute.create(name="raycluster", type="ray", address=ray_cluster)
    return root, ws


def script(tmp_path: Path, body: str) -> str:
    folder = tmp_path / "src"
    folder.mkdir(exist_ok=True)
    (folder / "main.py").write_text(textwrap.dedent(body))
    return str(folder)


def test_unreachable_ray_address_is_refused(running):
    _, ws = running
    with pytest.raises(InvalidInput, match="no Ray job API"):
        ws.compute.create(name="nowhere", type="ray", address=f"http://127.0.0.1:{free_port()}")


def test_command_job_runs_on_ray_with_tracking_logs_and_outputs(ray_ws, tmp_path: Path):
    _, ws = ray_ws
    code = script(tmp_path, """
        import sys, mlflow
        from pathlib import Path
        data, out = Path(sys.argv[1]), Path(sys.argv[2])
        rows = len(next(data.rglob("*.csv")).read_text(encoding="utf-8-sig").splitlines()) - 1
        mlflow.log_metric("rows", rows)
        (out / "rows.txt").write_text(str(rows))
        print("counted", rows)
    """)
    job = ws.jobs.create({"type": "command", "compute": "raycluster", "code": code,
                          "command": "python main.py ${{inputs.data}} ${{outputs.counts}}",
                          "inputs": {"data": "azureml:employeeattrition:1"},
                          "outputs": {"counts": {"type": "uri_folder"}}})
    done = ws.jobs.wait(job.name, timeout=TIMEOUT)
    logs = ws.jobs.logs(job.name)["text"]
    assert done.status == "Completed", logs
    assert "submitted to Ray" in logs and "counted 1470" in logs
    assert done.metrics == {"rows": 1470.0}
    assert (ws.jobs.download(job.name, "counts", tmp_path / "dl") / "rows.txt").read_text() == "1470"


def test_two_jobs_use_both_nodes_at_once(ray_ws, tmp_path: Path):
    _, ws = ray_ws
    code = script(tmp_path, """
        import time
        start = time.time(); time.sleep(4); print("span", start, time.time())
    """)
    names = [ws.jobs.create({"type": "command", "compute": "raycluster", "code": code,
                             "command": "python main.py"}).name for _ in range(2)]
    spans = []
    for name in names:
        done = ws.jobs.wait(name, timeout=TIMEOUT)
        assert done.status == "Completed", (done.error, ws.jobs.logs(name)["text"][-2000:])
        line = next(l for l in ws.jobs.logs(name)["text"].splitlines() if l.startswith("span"))
        spans.append(tuple(map(float, line.split()[1:])))
    (a_start, a_end), (b_start, b_end) = spans
    assert a_start < b_end and b_start < a_end, "each node has one CPU: overlapping jobs ran on both nodes"


def test_failure_cancel_and_timeout_on_ray(ray_ws, tmp_path: Path):
    _, ws = ray_ws
    failing = ws.jobs.create({"type": "command", "compute": "raycluster",
                              "command": "python -c \"raise SystemExit('ray boom')\""})
    sleeping = ws.jobs.create({"type": "command", "compute": "raycluster", "command": "sleep 120"})
    limited = ws.jobs.create({"type": "command", "compute": "raycluster", "command": "sleep 120",
                              "limits": {"timeout": 3}})
    failed = ws.jobs.wait(failing.name, timeout=TIMEOUT)
    assert failed.status == "Failed" and "ray boom" in failed.error
    deadline = time.monotonic() + TIMEOUT
    while ws.jobs.get(sleeping.name).status != "Running" and time.monotonic() < deadline:
        time.sleep(0.3)
    ws.jobs.cancel(sleeping.name)
    assert ws.jobs.wait(sleeping.name, timeout=TIMEOUT).status == "Canceled"
    timed_out = ws.jobs.wait(limited.name, timeout=TIMEOUT)
    assert timed_out.status == "Failed" and "timeout" in timed_out.error


def test_a_ray_job_survives_a_server_crash(ray_ws, tmp_path: Path):
    root, ws = ray_ws
    from modelyard import Workspace
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    location = workspaces.load(root)
    go, done_marker = tmp_path / "go", tmp_path / "printed"
    # the job's last lines are logged while the server is down, whatever the machine's speed
    code = script(tmp_path, "import os, pathlib, time; print('working', flush=True)\n"
                            f"while not os.path.exists({str(go)!r}): time.sleep(0.1)\n"
                            f"print('finished', flush=True); pathlib.Path({str(done_marker)!r}).touch()")
    name = ws.jobs.create({"type": "command", "compute": "raycluster", "code": code, "command": "python main.py"}).name
    deadline = time.monotonic() + TIMEOUT
    while ws.jobs.get(name).status != "Running" and time.monotonic() < deadline:
        time.sleep(0.3)
    pid = servers.running(location).pid
    os.kill(pid, signal.SIGKILL)
    while servers.running(location) is not None:
        time.sleep(0.1)
    go.touch()
    while not done_marker.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    servers.start_detached(location, "127.0.0.1", 0)
    with Workspace(root) as again:
        done = again.jobs.wait(name, timeout=TIMEOUT)
        assert done.status == "Completed", done.error
        assert "finished" in again.jobs.logs(name)["text"]
    ws._bind(Workspace(root)._api)  # the module's client follows the restarted server

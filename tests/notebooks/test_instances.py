"""Compute instances against a real workspace server: JupyterLab started from the CLI, answering with
its token, its kernels logging into the workspace, stopped mid-execution, back after a server restart."""

from __future__ import annotations

import socket
import time

from modelyard._processes import pid_alive
from lab_kernels import Lab, read_output, run_in_kernel, send_code
from server_fixtures import run_cli

from .conftest import PATIENCE, assert_ended, instance_json

LOGGING_CELL = """
import os
from modelyard.azureml.core import Experiment, Workspace
ws = Workspace.from_config()
run = Experiment(ws, "from-lab").start_logging()
run.log("accuracy", 0.91)
run.complete()
print(ws.name, run.id, os.getcwd())
"""


def started(name: str, root, *flags: str) -> Lab:
    done = run_cli("compute", "create", "--type", "instance", "--name", name, *flags, cwd=root)
    assert done.returncode == 0, done.stderr
    shown = instance_json(name, root, "--wait")
    assert shown["provisioning_state"] == "Running" and shown["url"], shown
    return Lab(shown["url"])


def test_an_instance_serves_jupyterlab_whose_kernels_log_into_the_workspace(served_workspace):
    root, ws = served_workspace
    lab = started("nb1", root)
    assert lab.get("/api/status").status_code == 200
    assert lab.get("/api/status", token=False).status_code == 403
    assert lab.base.startswith("http://127.0.0.1:")

    workspace_name, run_id, cwd = run_in_kernel(lab, LOGGING_CELL).split()
    assert (workspace_name, cwd) == ("notebooks", str(root / "notebooks"))
    from modelyard.azureml.core import Experiment, Run, Workspace

    logged = Run(Experiment(Workspace(sdk=ws), "from-lab"), run_id=run_id)
    assert logged.get_metrics() == {"accuracy": 0.91}

    done = run_cli("compute", "create", "--type", "instance", "--name", "nb1", cwd=root)
    assert done.returncode != 0 and "exists already" in done.stderr


def test_stopping_an_instance_mid_execution_ends_its_kernel(served_workspace):
    root, ws = served_workspace
    lab = started("nb-stop", root)
    open_run = ws.jobs.start_interactive(experiment_name="from-lab", compute="nb-stop")  # a notebook's, not ended
    channel = lab.kernel_channel(lab.start_kernel())
    msg_id = send_code(channel, "import os, time\nprint(os.getpid(), flush=True)\ntime.sleep(600)")
    kernel_pid = int(read_output(channel, msg_id, until_idle=False))
    channel.close()

    done = run_cli("compute", "stop", "nb-stop", cwd=root)
    assert done.returncode == 0 and "Stopped" in done.stdout, done.stderr
    deadline = time.monotonic() + PATIENCE
    while pid_alive(kernel_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not pid_alive(kernel_pid), "the kernel outlived its stopped instance"
    shown = instance_json("nb-stop", root)
    assert (shown["provisioning_state"], shown["url"]) == ("Stopped", None)
    assert_ended(root, ws, open_run.name, "Canceled", "compute instance 'nb-stop' stopped, ending the kernel")
    deadline = time.monotonic() + PATIENCE
    while lab_answers(lab) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not lab_answers(lab)


def lab_answers(lab: Lab) -> bool:
    import httpx

    try:
        return lab.get("/api/status").status_code == 200
    except httpx.HTTPError:
        return False


def test_a_taken_port_is_refused_and_leaves_no_instance(served_workspace):
    root, _ = served_workspace
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = run_cli("compute", "create", "--type", "instance", "--name", "nb-port", "--port", str(port), cwd=root)
    assert done.returncode != 0
    assert f"port {port} is taken" in done.stderr and "--port" in done.stderr
    assert "nb-port" not in run_cli("compute", "list", "-o", "json", cwd=root).stdout


def test_instances_come_back_after_a_server_restart(served_workspace):
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    root, _ = served_workspace
    before = started("nb-restart", root)
    location = workspaces.load(root)
    servers.stop(location)
    assert not lab_answers(before)
    servers.start_detached(location, "127.0.0.1", 0)
    after = Lab(instance_json("nb-restart", root, "--wait")["url"])
    assert after.token != before.token
    assert after.get("/api/status").status_code == 200
    assert "ok" in run_in_kernel(after, "print('ok')")


def test_an_idle_instance_shuts_down_by_itself(served_workspace):
    """With no request and no busy kernel for a minute the instance is stopped, saying why; the runs its
    kernels left open are Canceled, a plain MLflow run too (though MLflow ends it FINISHED as its kernel exits)."""
    from modelyard import Workspace

    root, _ = served_workspace
    with Workspace(root) as ws:  # the server's address now: an earlier test may have restarted it
        idle_instance_cancels_its_runs(root, ws)


def idle_instance_cancels_its_runs(root, ws) -> None:
    lab = started("nb-idle", root, "--idle-shutdown-minutes", "1")
    v1_style = ws.jobs.start_interactive(experiment_name="from-lab", compute="nb-idle")
    plain = run_in_kernel(lab, "import mlflow\nprint(mlflow.start_run(run_name='open').info.run_id)").strip()
    deadline = time.monotonic() + PATIENCE
    while instance_json("nb-idle", root)["provisioning_state"] == "Running" and time.monotonic() < deadline:
        time.sleep(5)
    shown = instance_json("nb-idle", root)
    assert (shown["provisioning_state"], shown["url"]) == ("Stopped", None)
    assert shown["provisioning_errors"] == "stopped after 1 idle minute(s)"
    assert not lab_answers(lab)
    (plain_job,) = [job for job in ws.jobs.list() if job.mlflow_run_id == plain]
    for job in (v1_style.name, plain_job.name):
        assert_ended(root, ws, job, "Canceled",
                     "compute instance 'nb-idle' stopped after 1 idle minute(s), ending the kernel")


def non_loopback_address() -> str | None:
    """This machine's address on its default route (no packet is sent), or None without one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_with_a_token_on_a_network_address_jupyterlab_listens_on_that_address(tmp_path, monkeypatch):
    import pytest

    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no network address besides loopback")
    monkeypatch.delenv("MODELYARD_WORKSPACE", raising=False)
    root = tmp_path / "ws"
    location = workspaces.create(root, name="exposed")
    servers.start_detached(location, address, 0, require_token=True)
    try:
        lab = started("nb-exposed", root)
        assert lab.base.startswith(f"http://{address}:")
        assert lab.get("/api/status").status_code == 200
        assert lab.get("/api/status", token=False).status_code == 403
        with socket.socket() as probe:  # not on loopback any more: only on the server's address
            assert probe.connect_ex(("127.0.0.1", int(lab.base.rsplit(":", 1)[1]))) != 0
    finally:
        servers.stop(location)


def test_an_instance_offers_the_r_kernel_and_runs_an_r_cell(served_workspace):
    import shutil

    import pytest

    if shutil.which("R") is None:
        pytest.skip("R is not installed here (.ci/run installs r-base-core and r-cran-irkernel)")
    root, _ = served_workspace
    lab = started("nb-r", root)
    assert "ir" in lab.get("/api/kernelspecs").json()["kernelspecs"]
    assert run_in_kernel(lab, "cat(sum(1:10), R.version$major, sep = ' ')", kernel="ir").split() == ["55", "4"]

"""Compute instances against a real workspace server: JupyterLab started from the CLI, answering with
its token, its kernels logging into the workspace, stopped mid-execution, back after a server restart."""

from __future__ import annotations

import socket
import time

from modelyard._processes import pid_alive
from server_fixtures import run_cli

from .conftest import Lab, instance_json, read_output, run_in_kernel, send_code

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
    root, _ = served_workspace
    lab = started("nb-stop", root)
    channel = lab.kernel_channel(lab.start_kernel())
    msg_id = send_code(channel, "import os, time\nprint(os.getpid(), flush=True)\ntime.sleep(600)")
    kernel_pid = int(read_output(channel, msg_id, until_idle=False))
    channel.close()

    done = run_cli("compute", "stop", "nb-stop", cwd=root)
    assert done.returncode == 0 and "Stopped" in done.stdout, done.stderr
    deadline = time.monotonic() + 30
    while pid_alive(kernel_pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not pid_alive(kernel_pid), "the kernel outlived its stopped instance"
    shown = instance_json("nb-stop", root)
    assert (shown["provisioning_state"], shown["url"]) == ("Stopped", None)
    deadline = time.monotonic() + 30
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
    """JupyterLab's own idle culling: with no kernel and no request for a minute it ends itself (it checks
    once a minute), and the instance is Stopped, saying why."""
    root, _ = served_workspace
    lab = started("nb-idle", root, "--idle-shutdown-minutes", "1")
    deadline = time.monotonic() + 300
    while instance_json("nb-idle", root)["provisioning_state"] == "Running" and time.monotonic() < deadline:
        time.sleep(5)
    shown = instance_json("nb-idle", root)
    assert (shown["provisioning_state"], shown["url"]) == ("Stopped", None)
    assert shown["provisioning_errors"] == "stopped after 1 idle minute(s)"
    assert not lab_answers(lab)

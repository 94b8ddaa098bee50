"""Rules on compute instances, checked by the service before anything is written (no JupyterLab runs:
the API is embedded, without the server's engines)."""

from __future__ import annotations

import json
import sys

import pytest

from modelyard.errors import Conflict, InvalidInput, NotFound


def test_without_jupyterlab_an_instance_is_refused_with_how_to_install(ws, monkeypatch):
    monkeypatch.setitem(sys.modules, "jupyterlab", None)  # what `import jupyterlab` meets when it is not installed
    with pytest.raises(InvalidInput, match=r"needs JupyterLab on the server: pip install 'modelyard\[notebooks\]'"):
        ws.compute.create(name="nb1", type="instance")
    assert [c.name for c in ws.compute.list()] == ["local"]


def test_an_instance_is_wanted_running_until_stopped_and_takes_no_jobs(ws):
    created = ws.compute.create(name="nb1", type="computeinstance", idle_shutdown_minutes=30)
    assert (created.type, created.provisioning_state, created.config) == ("instance", "Starting",
                                                                          {"idle_shutdown_minutes": 30})
    with pytest.raises(Conflict, match="exists already"):
        ws.compute.create(name="nb1", type="instance")
    assert ws.compute.stop("nb1").provisioning_state == "Stopped"
    assert ws.compute.start("nb1").provisioning_state == "Starting"
    with pytest.raises(InvalidInput, match="notebook instance"):
        ws.jobs.create({"type": "command", "command": "true", "compute": "nb1"})
    with pytest.raises(InvalidInput, match="idle_shutdown_minutes"):
        ws.compute.create(name="nb2", type="instance", idle_shutdown_minutes=0)


def test_the_notebooks_folder_lists_downloads_and_takes_uploads(ws, workspace_root, tmp_path):
    source = tmp_path / "train.ipynb"
    source.write_text('{"cells": []}')
    assert ws.notebooks.list() == []
    uploaded = ws.notebooks.upload(source, "attrition/train.ipynb")
    assert (uploaded.path, uploaded.size) == ("attrition/train.ipynb", 13)
    assert (workspace_root / "notebooks" / "attrition" / "train.ipynb").read_text() == '{"cells": []}'
    (workspace_root / "notebooks" / ".ipynb_checkpoints").mkdir()
    (workspace_root / "notebooks" / ".ipynb_checkpoints" / "train-checkpoint.ipynb").write_text("{}")
    assert [f.path for f in ws.notebooks.list()] == ["attrition/train.ipynb"]
    assert ws.notebooks.download("attrition/train.ipynb", tmp_path / "back.ipynb").read_text() == '{"cells": []}'
    for bad in ("../escape.ipynb", "a/../../b.ipynb", ".hidden/x.ipynb"):
        with pytest.raises(InvalidInput, match="inside notebooks/"):
            ws.notebooks.upload(source, bad)
    with pytest.raises(NotFound, match="not found"):
        ws.notebooks.download("missing.ipynb", tmp_path / "x")
    assert not (workspace_root / "escape.ipynb").exists() and not list((tmp_path).glob("x"))


def test_jupyterlab_listens_on_loopback_unless_a_server_with_a_token_listens_elsewhere():
    from modelyard.runtime._notebooks import lab_address
    from modelyard.server import ServerInfo

    def server(host: str, token_required: bool) -> ServerInfo:
        return ServerInfo(pid=1, host=host, port=8000, token_required=token_required)

    assert lab_address(None) == ("127.0.0.1", "127.0.0.1")  # an embedded API: no server process
    assert lab_address(server("127.0.0.1", True)) == ("127.0.0.1", "127.0.0.1")
    assert lab_address(server("192.0.2.7", False)) == ("127.0.0.1", "127.0.0.1")  # no token: JupyterLab stays local
    assert lab_address(server("192.0.2.7", True)) == ("192.0.2.7", "192.0.2.7")
    import socket

    assert lab_address(server("0.0.0.0", True)) == ("0.0.0.0", socket.gethostname())


def test_an_irkernel_without_a_registered_kernelspec_is_offered_through_the_instances_jupyter_path(tmp_path,
                                                                                                   monkeypatch):
    import shutil

    from jupyter_client.kernelspec import KernelSpecManager

    from modelyard.runtime._r_kernel import r_kernel_environment

    if shutil.which("Rscript") is None:
        pytest.skip("R is not installed here (.ci/run installs r-base-core and r-cran-irkernel)")
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
    monkeypatch.setattr(KernelSpecManager, "find_kernel_specs", lambda self: {"python3": "/nowhere"})
    env = r_kernel_environment(tmp_path)  # as after a CRAN install of IRkernel, without installspec()
    assert env == {"JUPYTER_PATH": str(tmp_path / "jupyter")}
    spec = json.loads((tmp_path / "jupyter" / "kernels" / "ir" / "kernel.json").read_text())
    assert spec["language"] == "R" and "IRkernel::main()" in spec["argv"]

    monkeypatch.setattr(KernelSpecManager, "find_kernel_specs", lambda self: {"ir": "/usr/share/jupyter/kernels/ir"})
    assert r_kernel_environment(tmp_path / "other") == {}  # registered already: nothing to add

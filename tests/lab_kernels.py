"""Helpers for tests that drive a compute instance's JupyterLab over its REST and kernel websocket API
(the notebook tests here and the studio's)."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlparse, parse_qs

import httpx
import pytest

KERNEL_TIMEOUT_S = 300  # a loaded machine starts a kernel slowly


@dataclass
class Lab:
    """A running instance's JupyterLab, from the address ``compute show`` gives."""

    url: str
    base: str = field(init=False)
    token: str = field(init=False)

    def __post_init__(self) -> None:
        parsed = urlparse(self.url)
        self.base = f"{parsed.scheme}://{parsed.netloc}"
        self.token = parse_qs(parsed.query)["token"][0]

    def get(self, path: str, token: bool = True) -> httpx.Response:
        headers = {"Authorization": f"token {self.token}"} if token else {}
        return httpx.get(f"{self.base}{path}", headers=headers, timeout=30)

    def start_kernel(self, name: str = "python3") -> str:
        response = httpx.post(f"{self.base}/api/kernels", json={"name": name}, timeout=60,
                              headers={"Authorization": f"token {self.token}"})
        response.raise_for_status()
        return response.json()["id"]

    def kernel_channel(self, kernel: str):
        import websocket

        ws_url = f"ws{self.base[4:]}/api/kernels/{kernel}/channels"
        return websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"],
                                           timeout=KERNEL_TIMEOUT_S)


def send_code(channel, code: str) -> str:
    msg_id = uuid.uuid4().hex
    channel.send(json.dumps({
        "header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex, "msg_type": "execute_request",
                   "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                    "allow_stdin": False, "stop_on_error": True}}))
    return msg_id


def read_output(channel, msg_id: str, until_idle: bool = True) -> str:
    """What the cell printed on stdout: all of it once the kernel is idle again, or the first output when not
    ``until_idle``; a cell's error fails the test with its traceback."""
    printed = []
    deadline = time.monotonic() + KERNEL_TIMEOUT_S
    while time.monotonic() < deadline:
        message = json.loads(channel.recv())
        if message.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = message["msg_type"], message["content"]
        if kind == "stream" and content["name"] == "stdout":
            printed.append(content["text"])
            if not until_idle:
                return "".join(printed)
        elif kind == "error":
            pytest.fail("the cell failed:\n" + "\n".join(content["traceback"]))
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(printed)
    pytest.fail(f"the kernel did not finish within {KERNEL_TIMEOUT_S} s")


def run_in_kernel(lab: Lab, code: str, kernel: str = "python3") -> str:
    channel = lab.kernel_channel(lab.start_kernel(kernel))
    try:
        return read_output(channel, send_code(channel, code))
    finally:
        channel.close()


def run_notebook(lab: Lab, path: str) -> str:
    """Run the code cells of the instance's notebook ``path`` in order in one new kernel, as JupyterLab's
    "Run All" does; what they printed."""
    cells = lab.get(f"/api/contents/{path}").json()["content"]["cells"]
    channel = lab.kernel_channel(lab.start_kernel())
    try:
        return "".join(read_output(channel, send_code(channel, "".join(cell["source"])))
                       for cell in cells if cell["cell_type"] == "code")
    finally:
        channel.close()

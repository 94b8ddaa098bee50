"""A real loopback HTTP receiver for webhooks, and a workspace server with short retry settings."""

from __future__ import annotations

import pickle
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

WAIT_SECONDS = 60.0


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers each path as ``modes`` says: ``ok`` (200), ``fail`` (500) or ``hang`` (no answer until
    ``release`` is set, at most ``hang_seconds``). Records every request it got."""

    modes: dict[str, str] = field(default_factory=dict)
    hang_seconds: float = 3.0
    requests: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def at(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]

    def wait_for(self, path: str, count: int = 1, timeout: float = WAIT_SECONDS) -> list[Received]:
        deadline = time.monotonic() + timeout
        while len(self.at(path)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{path} got {len(self.at(path))} requests, not {count}, in {timeout:.0f}s")
            time.sleep(0.05)
        return self.at(path)


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append(Received(self.path, dict(self.headers), body))
            mode = state.modes.get(self.path, "ok")
            if mode == "hang":
                state.release.wait(state.hang_seconds)
            self.send_response(500 if mode == "fail" else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    state.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.server.daemon_threads = True
    thread = threading.Thread(target=state.server.serve_forever, daemon=True)
    thread.start()
    yield state
    state.release.set()
    state.server.shutdown()
    state.server.server_close()


FAST_RETRIES = {"timeout_seconds": 1.0, "backoff_seconds": 0.2, "max_attempts": 3}


def configure_webhooks(root: Path, **settings) -> None:
    """Set ``webhooks:`` in the workspace's workspace.yaml (before its server starts)."""
    path = root / ".modelyard" / "workspace.yaml"
    config = yaml.safe_load(path.read_text())
    config["webhooks"] = {**FAST_RETRIES, **settings}
    path.write_text(yaml.safe_dump(config))


def start_server(root: Path, **settings):
    """The workspace server at ``root`` with ``webhooks:`` settings (short retries unless overridden)."""
    from modelyard import server as servers
    from modelyard.services import workspace as workspaces

    configure_webhooks(root, **settings)
    return servers.start_detached(workspaces.load(root), "127.0.0.1", 0)


@pytest.fixture
def events_server(workspace_root: Path):
    """The workspace server (1 s webhook timeout, 0.2 s backoff, 3 attempts) and the SDK over it; the
    workspace_root fixture stops the server."""
    from modelyard import Workspace

    info = start_server(workspace_root)
    with Workspace(workspace_root) as ws:
        assert not ws.embedded
        yield info, ws


def model_folder(root: Path, text: str = "weights") -> Path:
    folder = root / f"model-{abs(hash(text))}"
    folder.mkdir(exist_ok=True)
    (folder / "model.pkl").write_bytes(pickle.dumps({"weights": text}))
    return folder


def wait_until(check, timeout: float = WAIT_SECONDS, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout:.0f}s")
        time.sleep(0.1)

"""A workspace server with the attrition model registered, and helpers to deploy it with a data collector
and read back what it collected."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(TESTS / "endpoints")]

from server_fixtures import workspace_server  # noqa: E402
from workshop_rows import WORKSHOP_ROW, register_pipeline  # noqa: E402

WAIT_SECONDS = 60


@dataclass
class Served:
    root: Path
    ws: object
    location: object

    def deploy(self, endpoint: str, data_collector: dict | None = None, auth_mode: str = "none", **fields) -> str:
        """Endpoint ``endpoint`` with deployment 'blue' serving attrition:1; its scoring URL."""
        self.ws.online_endpoints.create(name=endpoint, auth_mode=auth_mode)
        if data_collector is not None:
            fields["data_collector"] = data_collector
        self.ws.online_endpoints.create_deployment(name="blue", endpoint_name=endpoint, model="attrition:1", **fields)
        self.ws.online_endpoints.update(endpoint, traffic={"blue": 100})
        base = str(self.ws._api.http.base_url).rstrip("/")
        return base + self.ws.online_endpoints.get(endpoint).scoring_uri

    def stop(self, endpoint: str) -> None:
        """Delete ``endpoint`` and wait until its scoring process has ended (and written what it held)."""
        pid = self.ws.online_endpoints.get_deployment(endpoint, "blue").instances[0].pid
        self.ws.online_endpoints.delete(endpoint)
        wait_until(lambda: not _alive(pid), f"scoring process {pid} of {endpoint} to end")

    def service(self):
        from modelyard.services._context import ServiceContext
        from modelyard.services.data_collection import DataCollectionService

        return DataCollectionService(ServiceContext.open(self.location))


@pytest.fixture(scope="module")
def served(tmp_path_factory, hr_csv: Path) -> Served:
    from modelyard.services import workspace as workspaces

    root = tmp_path_factory.mktemp("collection") / "ws"
    with workspace_server(root, "collection") as (_, ws):
        register_pipeline(ws, hr_csv, root.parent / "model")
        yield Served(root, ws, workspaces.load(root))


def score(url: str, rows: list[dict] | None = None, **headers: str) -> httpx.Response:
    answer = httpx.post(url, json={"data": rows or [WORKSHOP_ROW]}, headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer


def wait_until(predicate, what: str, timeout: float = WAIT_SECONDS):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"waited {timeout}s for {what}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


COLLECT_BOTH = {"collections": {"model_inputs": {"enabled": True}, "model_outputs": {"enabled": True}}}

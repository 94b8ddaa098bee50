"""SDK for monitors: ``ws.monitors.create("monitor.yml")``, ``ws.monitors.run(name)``, ``ws.monitors.history(name)``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from modelyard.client._http import ApiClient
from modelyard.client._jobs import load_document
from modelyard.spec._common import validate_spec
from modelyard.spec.job_record import Job
from modelyard.spec.monitor_definition import (Monitor, MonitorCreate, MonitorHistoryEntry, MonitorRunRequest,
                                               MonitorRunResult)


class MonitorOperations:
    def __init__(self, api: Callable[[], ApiClient]) -> None:
        self._api = api

    def create(self, monitor: str | Path | dict[str, Any], **fields: Any) -> Monitor:
        """Create a monitor from its YAML file or a dict (``fields`` override the file's)."""
        document, _ = load_document(monitor)
        document.update({k: v for k, v in fields.items() if v is not None})
        validate_spec(MonitorCreate, document, "monitor")
        return Monitor.model_validate(self._api().post("/api/monitors", json=document))

    def get(self, name: str) -> Monitor:
        return Monitor.model_validate(self._api().get(f"/api/monitors/{quote(name)}"))

    def list(self) -> list[Monitor]:
        return [Monitor.model_validate(m) for m in self._api().get("/api/monitors")]

    def delete(self, name: str) -> None:
        self._api().delete(f"/api/monitors/{quote(name)}")

    def run(self, name: str, start: datetime | str | None = None, end: datetime | str | None = None,
            backfill: bool = False, compute: str | None = None) -> Job:
        """Queue a run over [start, end) (default: the signals' own windows); ``backfill``: one result per period
        of the monitor's frequency."""
        request = validate_spec(MonitorRunRequest, {"start": start, "end": end, "backfill": backfill,
                                                    "compute": compute}, "monitor run")
        body = request.model_dump(mode="json", exclude_none=True)
        return Job.model_validate(self._api().post(f"/api/monitors/{quote(name)}/runs", json=body))

    def history(self, name: str) -> list[MonitorHistoryEntry]:
        """Each period of each run, newest run first."""
        return [MonitorHistoryEntry.model_validate(e) for e in self._api().get(f"/api/monitors/{quote(name)}/runs")]

    def result(self, name: str, job: str) -> MonitorRunResult:
        return MonitorRunResult.model_validate(self._api().get(f"/api/monitors/{quote(name)}/runs/{quote(job)}"))

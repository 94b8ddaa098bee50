"""SDK for schedules: ``ws.schedules.create("schedule.yml")``, ``ws.schedules.trigger(name)``.

``create_job`` may name a local job YAML (``./train.yml`` or ``file:train.yml``, relative to the
schedule file): it is read here and its local files uploaded, as ``ws.jobs.create`` does, so the server
stores a job it can submit at every tick.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from modelyard.client._http import ApiClient
from modelyard.client._jobs import JobOperations, load_document
from modelyard.spec._common import validate_spec
from modelyard.spec.schedule import Schedule, ScheduleCreate, ScheduleFire


class ScheduleOperations:
    def __init__(self, api: Callable[[], ApiClient]) -> None:
        self._api = api

    def create(self, schedule: str | Path | dict[str, Any], **fields: Any) -> Schedule:
        """Create a schedule from its YAML file or a dict (``fields`` override the file's)."""
        api = self._api()
        return Schedule.model_validate(api.post("/api/schedules", json=_document(schedule, fields, api)))

    def update(self, schedule: str | Path | dict[str, Any], **fields: Any) -> Schedule:
        """Replace a schedule's trigger, job and settings with its YAML file or a dict (its fires and enabled
        state stay)."""
        api = self._api()
        document = _document(schedule, fields, api)
        return Schedule.model_validate(api.request("PUT", f"/api/schedules/{quote(document['name'])}", json=document))

    def get(self, name: str) -> Schedule:
        return Schedule.model_validate(self._api().get(f"/api/schedules/{quote(name)}"))

    def list(self) -> list[Schedule]:
        return [Schedule.model_validate(s) for s in self._api().get("/api/schedules")]

    def enable(self, name: str) -> Schedule:
        return Schedule.model_validate(self._api().post(f"/api/schedules/{quote(name)}/enable"))

    def disable(self, name: str) -> Schedule:
        return Schedule.model_validate(self._api().post(f"/api/schedules/{quote(name)}/disable"))

    def delete(self, name: str) -> None:
        self._api().delete(f"/api/schedules/{quote(name)}")

    def trigger(self, name: str) -> ScheduleFire:
        """Fire once now; the fire names the job submitted, or the error that kept it from being submitted."""
        return ScheduleFire.model_validate(self._api().post(f"/api/schedules/{quote(name)}/trigger"))


def _document(schedule: Any, fields: dict[str, Any], api: ApiClient) -> dict[str, Any]:
    """The schedule as the server takes it: checked here first (a bad trigger is refused before any upload),
    a local job YAML read and its files uploaded."""
    if hasattr(schedule, "model_dump"):
        schedule = schedule.model_dump(mode="json", by_alias=True, exclude_none=True)
    document, base = load_document(schedule)
    document.update({k: v for k, v in fields.items() if v is not None})
    validate_spec(ScheduleCreate, document, "schedule")
    if document.get("create_job") is not None:
        document["create_job"] = _job(document["create_job"], base, api)
    return document


def _job(action: Any, base: Path, api: ApiClient) -> Any:
    """``create_job`` as the server takes it: local job files read, their local paths uploaded."""
    jobs = JobOperations(lambda: api)
    if isinstance(action, str) and _local(action):
        return jobs.uploaded(base / action.removeprefix("file:"), api)
    if isinstance(action, dict) and isinstance(action.get("job"), str) and _local(action["job"]):
        document = jobs.uploaded(base / action["job"].removeprefix("file:"), api)
        changes = {key: value for key, value in action.items() if key not in ("job", "type")}
        for key in ("inputs", "outputs", "settings"):
            if key in changes:
                changes[key] = {**(document.get(key) or {}), **changes[key]}
        return jobs.uploaded({**document, **changes}, api, base)
    if isinstance(action, dict) and "job" not in action:
        return jobs.uploaded(action, api, base)
    return action


def _local(reference: str) -> bool:
    return not reference.startswith("azureml:")

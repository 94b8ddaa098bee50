"""One CRUD contract for every noun, run in-process (embedded) and against a real server.

A new noun gets its basic behaviour tested by adding one row to NOUNS.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from modelyard.client import ApiClient
from modelyard.errors import InvalidInput, NotFound
from modelyard.services import workspace as workspaces


@dataclass
class Noun:
    route: str
    body: Callable[[Path], dict]
    item: str  # route of one item, formatted with the created record
    remove: tuple[str, dict | None]  # ("DELETE", None) or ("PATCH", {...}) for archive-only nouns
    prepare: Callable[[ApiClient, Path], None] | None = None  # what the noun needs to exist first


def _rows_asset(api: ApiClient, folder: Path) -> None:
    (folder / "rows.csv").write_text("Age,Travel\n30,rarely\n40,often\n")
    api.post("/api/data", json={"name": "contract-rows", "type": "mltable", "path": str(folder / "rows.csv")})


def _text_file(folder: Path) -> str:
    path = folder / "contract.txt"
    path.write_text("contract")
    return str(path)


NOUNS = {
    "datastore": Noun("/api/datastores", lambda d: {"name": "contract", "type": "local", "path": str(d)},
                      "/api/datastores/{name}", ("DELETE", None)),
    "data": Noun("/api/data", lambda d: {"name": "contract", "type": "uri_file", "path": _text_file(d)},
                 "/api/data/{name}/versions/{version}", ("PATCH", {"archived": True})),
    "compute": Noun("/api/compute", lambda d: {"name": "contract", "type": "cluster", "max_instances": 2},
                    "/api/compute/{name}", ("DELETE", None)),
    "job": Noun("/api/jobs", lambda d: {"name": "contract", "type": "command", "command": "true",
                                        "compute": "local"},
                "/api/jobs/{name}", ("PATCH", {"archived": True})),
    "batch-endpoint": Noun("/api/batch-endpoints", lambda d: {"name": "contract", "description": "contract"},
                           "/api/batch-endpoints/{name}", ("DELETE", None)),
    "designer-draft": Noun("/api/designer-drafts",
                           lambda d: {"name": "contract", "graph": {"nodes": [
                               {"id": "learner", "module": "two_class_logistic_regression"}]}},
                           "/api/designer-drafts/{name}/versions/{version}", ("DELETE", None)),
    "online-endpoint": Noun("/api/online-endpoints", lambda d: {"name": "contract", "description": "contract"},
                            "/api/online-endpoints/{name}", ("DELETE", None)),
    "schedule": Noun("/api/schedules", lambda d: {"name": "contract", "trigger": {"type": "cron", "expression":
                                                  "0 3 * * *"}, "create_job": {"type": "command", "command": "true"}},
                     "/api/schedules/{name}", ("DELETE", None)),
    "monitor": Noun("/api/monitors", lambda d: {"name": "contract", "monitoring_signals": {"drift": {
                        "type": "data_drift", "production_data": {"input_data": {"path": "azureml:contract-rows:1"}},
                        "reference_data": {"input_data": {"path": "azureml:contract-rows:1"}}}}},
                    "/api/monitors/{name}", ("DELETE", None), _rows_asset),
    "environment": Noun("/api/environments", lambda d: {"name": "contract", "pip": ["tabulate==0.8.10"]},
                        "/api/environments/{name}/versions/{version}", ("PATCH", {"archived": True})),
    "webhook": Noun("/api/webhooks", lambda d: {"name": "contract", "url": "http://127.0.0.1:9/hook",
                                                "events": ["job.completed"]},
                    "/api/webhooks/{name}", ("DELETE", None)),
}


@pytest.fixture(params=["embedded", "http"])
def api(request, workspace_root: Path):
    if request.param == "embedded":
        client = ApiClient.embedded(workspaces.load(workspace_root))
    else:
        client = ApiClient.remote(request.getfixturevalue("server").url)
    yield client
    client.close()


@pytest.mark.parametrize("noun", sorted(NOUNS))
def test_create_get_list_remove(noun: str, api: ApiClient, tmp_path: Path):
    spec = NOUNS[noun]
    if spec.prepare:
        spec.prepare(api, tmp_path)
    created = api.post(spec.route, json=spec.body(tmp_path))
    assert created["name"] == "contract"
    item = spec.item.format(**created)
    assert api.get(item)["name"] == "contract"
    assert "contract" in [record["name"] for record in api.get(spec.route)]
    method, body = spec.remove
    api.request(method, item, json=body)
    assert "contract" not in [record["name"] for record in api.get(spec.route)]


@pytest.mark.parametrize("noun", sorted(NOUNS))
def test_unknown_names_are_404_and_bad_bodies_are_400(noun: str, api: ApiClient, tmp_path: Path):
    spec = NOUNS[noun]
    if spec.prepare:
        spec.prepare(api, tmp_path)
    with pytest.raises(NotFound):
        api.get(spec.item.format(name="missing", version=1))
    with pytest.raises(InvalidInput) as bad_name:
        api.post(spec.route, json={**spec.body(tmp_path), "name": "../escape"})
    assert bad_name.value.status_code == 400 and "name" in bad_name.value.message
    with pytest.raises(InvalidInput, match="unexpected"):
        api.post(spec.route, json={**spec.body(tmp_path), "unexpected": 1})
    assert all(record["name"] != "contract" for record in api.get(spec.route))

"""The Designer's built-in modules as read-only components: SDK, REST and CLI against a real server."""

from __future__ import annotations

import json

import httpx
import pytest

from modelyard.designer import catalogue
from modelyard.errors import Conflict, NotFound

from tests.server_fixtures import run_cli


def test_every_builtin_module_is_a_read_only_component(served):
    _, ws, _ = served
    builtins = {c.name: c for c in ws.components.builtin()}
    assert set(builtins) == {spec.id for spec in catalogue()}
    split = builtins["split_data"]
    assert (split.builtin, split.display_name, split.category, split.version) == (True, "Split Data",
                                                                                   "Data Transformation", 1)
    assert [p["name"] for p in split.spec["outputs"]] == ["results_dataset1", "results_dataset2"]
    assert "split_data" not in [c.name for c in ws.components.list()]  # registered components only


@pytest.mark.parametrize("reference", ["azureml:split_data:1", "split_data", "split_data@latest",
                                       "azureml://registries/azureml/components/split_data/labels/default"])
def test_show_finds_a_builtin_by_any_of_azures_references(served, reference):
    _, ws, _ = served
    assert ws.components.get(reference).display_name == "Split Data"


def test_a_builtin_cannot_be_created_over_deleted_or_asked_for_in_another_version(served):
    info, ws, _ = served
    with pytest.raises(Conflict, match="built-in Designer module, which is read-only"):
        ws.components.create({"name": "split_data", "type": "command", "command": "echo hi"})
    response = httpx.delete(f"{info.url}/api/components/azureml:split_data:1")
    assert response.status_code == 400 and "cannot be deleted" in response.json()["detail"]
    with pytest.raises(NotFound, match="version 1 only"):
        ws.components.get("azureml:split_data:2")
    with pytest.raises(NotFound, match="component list --builtin"):
        ws.components.get("azureml://registries/azureml/components/no_such_module/labels/default")
    assert ws.components.get("split_data").builtin  # still there, unchanged


def test_rest_lists_builtins_with_their_ports_and_parameters(served):
    info, _, _ = served
    listed = httpx.get(f"{info.url}/api/components", params={"builtin": "true"}).json()
    train = next(c for c in listed if c["name"] == "train_model")
    assert {p["type"] for p in train["spec"]["inputs"]} == {"UntrainedModel", "DataFrameDirectory"}
    assert train["spec"]["parameters"][0]["name"] == "label_column"


def test_cli_lists_and_shows_builtins(served):
    _, _, root = served
    listed = run_cli("component", "list", "--builtin", "-o", "json", cwd=root)
    assert listed.returncode == 0, listed.stderr
    assert "select_columns_in_dataset" in {c["name"] for c in json.loads(listed.stdout)}
    shown = run_cli("component", "show", "azureml:split_data:1", "-o", "json", cwd=root)
    assert shown.returncode == 0 and json.loads(shown.stdout)["category"] == "Data Transformation", shown.stderr
    refused = run_cli("component", "show", "azureml:split_data:7", cwd=root)
    assert refused.returncode != 0 and "version 1 only" in refused.stderr + refused.stdout

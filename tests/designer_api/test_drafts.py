"""Designer drafts against a real server: saved and versioned with their layout, validated on the server
with each problem named next to its node, and refused whole when the graph breaks a rule."""

from __future__ import annotations

import copy
import json

import httpx
import pytest
import yaml

from modelyard.errors import InvalidGraph, InvalidInput, NotFound

from tests.designer.test_graph_rules import WORKSHOP
from tests.server_fixtures import run_cli

LAYOUT = {node["id"]: {"x": 100.0 * i, "y": 50.0 * i} for i, node in enumerate(WORKSHOP["nodes"])}


@pytest.fixture(scope="module")
def hr(served, hr_csv):
    """The workshop's dataset, employeeattrition:1, registered on the module's server."""
    _, ws, _ = served
    return ws.data.create(name="employeeattrition", type="mltable", path=str(hr_csv), profile=False)


def workshop_graph(**changes):
    """The workshop's graph with some nodes' parameters replaced (node id -> parameters)."""
    graph = copy.deepcopy(WORKSHOP)
    for node in graph["nodes"]:
        node["parameters"] = {**node.get("parameters", {}), **changes.get(node["id"], {})}
    return graph


def test_a_draft_is_saved_versioned_and_read_back_with_its_layout(served, hr):
    _, ws, _ = served
    first = ws.designer_drafts.create({"name": "attrition", "description": "workshop", "graph": WORKSHOP,
                                       "layout": LAYOUT})
    assert (first.name, first.version, first.layout["split"].x) == ("attrition", 1, 200.0)
    assert first.graph.nodes[2].module == "split_data"  # the azureml:// reference stored as the module id
    second = ws.designer_drafts.create({"name": "attrition", "graph": workshop_graph(
        split={"fraction_of_rows_in_the_first_output_dataset": 0.8})})
    assert second.version == 2
    assert ws.designer_drafts.get("attrition").version == 2
    assert ws.designer_drafts.get("attrition:1").layout == first.layout
    assert [d.version for d in ws.designer_drafts.list("attrition")] == [2, 1]
    assert [(d.name, d.version) for d in ws.designer_drafts.list()] == [("attrition", 2)]
    ws.designer_drafts.delete("attrition", 2)
    assert ws.designer_drafts.get("attrition").version == 1
    with pytest.raises(NotFound, match="designer draft attrition:2 not found"):
        ws.designer_drafts.get("attrition:2")


def test_an_invalid_graph_is_refused_with_each_problem_on_its_node_and_nothing_saved(served, hr):
    info, ws, _ = served
    graph = workshop_graph(train={"label_column": "Attritio"})
    graph["nodes"].append({"id": "mystery", "module": "no_such_module"})
    with pytest.raises(InvalidGraph) as refused:
        ws.designer_drafts.create({"name": "broken", "graph": graph})
    by_node = {p["node"]: p for p in refused.value.problems}
    assert by_node["mystery"]["rule"] == "unknown_module"
    assert by_node["train"]["rule"] == "unknown_column"
    assert "'Attritio'" in by_node["train"]["message"] and "Train Model" in by_node["train"]["message"]
    assert ws.designer_drafts.list("broken") == []
    response = httpx.post(f"{info.url}/api/designer-drafts", json={"name": "broken", "graph": graph})
    assert response.status_code == 400
    assert {p["rule"] for p in response.json()["problems"]} == {"unknown_module", "unknown_column"}


@pytest.mark.parametrize("mutate, rule, node", [
    (lambda g: g["edges"].append({"source": "lr", "source_port": "untrained_model", "target": "score",
                                  "target_port": "dataset"}), "edge_type_mismatch", "score"),
    (lambda g: g["edges"].pop(), "unconnected_input", "evaluate"),
    (lambda g: g["nodes"][2]["parameters"].update(fraction_of_rows_in_the_first_output_dataset=1.5),
     "invalid_parameter", "split"),
    (lambda g: g["edges"].append({"source": "split", "source_port": "results_dataset1", "target": "select",
                                  "target_port": "dataset"}), "port_connected_twice", "select"),
], ids=["type-mismatch", "unconnected", "out-of-range", "two-edges-into-a-port"])
def test_the_server_names_each_graph_rule_without_saving(served, hr, mutate, rule, node):
    _, ws, _ = served
    graph = workshop_graph()
    mutate(graph)
    result = ws.designer_drafts.validate(graph)
    assert not result.valid
    assert (rule, node) in [(p.rule, p.node) for p in result.problems], [p.message for p in result.problems]


def test_dataset_nodes_are_checked_against_the_stored_assets(served, hr, hr_csv):
    _, ws, _ = served
    old = ws.data.create(name="hr_old", type="mltable", path=str(hr_csv), profile=False)
    ws.data.archive(old.name, old.version)
    archived = ws.designer_drafts.validate(workshop_graph(hr={"asset": "hr_old:1"}))
    assert [(p.rule, p.node) for p in archived.problems] == [("archived_dataset", "hr")]
    assert "modelyard data restore hr_old:1" in archived.problems[0].message
    missing = ws.designer_drafts.validate(workshop_graph(hr={"asset": "azureml:nowhere:3"}))
    assert [(p.rule, p.node) for p in missing.problems] == [("unknown_dataset", "hr")]
    assert ws.designer_drafts.validate(workshop_graph(hr={"asset": "employeeattrition@latest"})).valid


def test_a_layout_must_place_only_the_graphs_nodes(served, hr):
    _, ws, _ = served
    with pytest.raises(InvalidInput, match="layout places node.s. ghost"):
        ws.designer_drafts.create({"name": "ghostly", "graph": WORKSHOP, "layout": {"ghost": {"x": 0, "y": 0}}})
    assert ws.designer_drafts.list("ghostly") == []


def test_cli_creates_lists_shows_validates_and_deletes(served, hr, tmp_path):
    _, _, root = served
    (tmp_path / "draft.yml").write_text(yaml.safe_dump({"name": "cli_draft", "graph": WORKSHOP}))
    created = run_cli("designer", "create", "-f", str(tmp_path / "draft.yml"), cwd=root)
    assert created.returncode == 0 and "saved designer draft cli_draft:1" in created.stdout, created.stderr
    assert "cli_draft" in run_cli("designer", "list", cwd=root).stdout
    shown = json.loads(run_cli("designer", "show", "cli_draft:1", "-o", "json", cwd=root).stdout)
    assert len(shown["graph"]["nodes"]) == 7
    assert run_cli("designer", "validate", "cli_draft", cwd=root).returncode == 0
    (tmp_path / "bad.yml").write_text(yaml.safe_dump({"name": "cli_draft", "graph": workshop_graph(
        train={"label_column": "Salary"})}))
    for command in (("validate", "-f"), ("create", "-f")):
        refused = run_cli("designer", *command, str(tmp_path / "bad.yml"), cwd=root)
        assert refused.returncode == 1 and "nodes.train.parameters.label_column [unknown_column]" in refused.stderr
    assert run_cli("designer", "delete", "cli_draft", cwd=root).returncode == 1  # which version?
    assert run_cli("designer", "delete", "cli_draft:1", cwd=root).returncode == 0
    assert "cli_draft" not in run_cli("designer", "list", cwd=root).stdout


def test_reading_a_port_names_what_is_wrong(served):
    info, ws, _ = served
    plain = ws.jobs.create({"type": "command", "command": "true", "compute": "local"})
    with pytest.raises(InvalidInput, match="not a step of a submitted Designer draft"):
        ws.designer_drafts.read_port(plain.name, "output")
    with pytest.raises(NotFound, match="job 'nowhere' not found"):
        ws.designer_drafts.read_port("nowhere", "output")
    response = httpx.get(f"{info.url}/api/jobs/{plain.name}/designer-ports/output", params={"limit": 0})
    assert response.status_code == 400 and "limit" in response.json()["detail"]


def test_the_canvas_autosaves_a_graph_with_problems_renames_and_deletes_a_draft_whole(served, hr):
    info, ws, _ = served
    unfinished = {"nodes": [{"id": "split", "module": "split_data"}], "edges": []}  # its input is not connected
    drafts = f"{info.url}/api/designer-drafts"
    assert httpx.post(drafts, json={"name": "wip", "graph": unfinished}).status_code == 400
    saved = httpx.post(drafts, json={"name": "wip", "graph": unfinished, "allow_problems": True})
    assert saved.status_code == 201 and saved.json()["version"] == 1
    with pytest.raises(InvalidGraph, match="required input port"):
        ws.designer_drafts.submit("wip")  # saved, yet it cannot run until it is fixed
    taken = httpx.post(drafts, json={"name": "wip", "version": 1, "graph": unfinished, "allow_problems": True})
    assert taken.status_code == 409  # a second tab saving the same version is told, not overwritten
    httpx.post(drafts, json={"name": "wip", "graph": WORKSHOP}).raise_for_status()
    httpx.post(drafts, json={"name": "other", "graph": WORKSHOP}).raise_for_status()

    clash = httpx.patch(f"{drafts}/wip", json={"name": "other"})
    assert clash.status_code == 409 and "'other' already exists" in clash.json()["detail"]
    renamed = httpx.patch(f"{drafts}/wip", json={"name": "Employee_Attrition"})
    assert renamed.status_code == 200 and renamed.json()["version"] == 2
    assert [d.version for d in ws.designer_drafts.list("Employee_Attrition")] == [2, 1]
    assert ws.designer_drafts.list("wip") == []

    assert httpx.delete(f"{drafts}/Employee_Attrition").status_code == 204
    assert ws.designer_drafts.list("Employee_Attrition") == []
    assert "other" in [d.name for d in ws.designer_drafts.list()]
    assert httpx.delete(f"{drafts}/Employee_Attrition").status_code == 404


def test_validation_lists_the_columns_flowing_into_each_input_for_the_column_selectors(served, hr):
    _, ws, _ = served
    result = ws.designer_drafts.validate(workshop_graph())
    into_select = result.input_columns["select"]["dataset"]
    assert into_select["Age"] == "integer" and "EmployeeCount" in into_select  # the dataset's columns
    into_train = result.input_columns["train"]["dataset"]
    assert "Attrition" in into_train and "EmployeeCount" not in into_train  # after Select Columns dropped it
    assert "lr" not in result.input_columns  # a learner has no input port

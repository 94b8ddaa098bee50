"""The Designer canvas in Chromium against a real server, driven with real mouse drags: a new pipeline, the
dataset and the workshop's modules dragged from the palette, ports connected by dragging handles (a mismatched
one refused with its reason), parameters set in the properties panel (four columns dropped in the column
selector), autosaved, submitted to a cluster, every node completed, and the scored dataset read back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from modelyard import Workspace

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO_ROOT / "docs" / "designer-employee-attrition.png"  # the README shows it
ARTIFACTS = REPO_ROOT / "test-artifacts" / "studio"
RUN_TIMEOUT_MS = 600_000  # seven modules on a shared machine
DROPPED = ["EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"]
PIPELINE = "Employee-Attrition"
# where each node is dropped, in canvas pixels from its top-left corner (two columns of 220-pixel nodes)
PLACES = {"dataset": (10, 10), "select_columns_in_dataset": (10, 110), "split_data": (10, 210),
          "two_class_logistic_regression": (260, 210), "train_model": (260, 320), "score_model": (10, 430),
          "evaluate_model": (10, 540)}
EDGES = [("dataset", "output", "select_columns_in_dataset", "dataset"),
         ("select_columns_in_dataset", "results_dataset", "split_data", "dataset"),
         ("split_data", "results_dataset1", "train_model", "dataset"),
         ("two_class_logistic_regression", "untrained_model", "train_model", "untrained_model"),
         ("train_model", "trained_model", "score_model", "trained_model"),
         ("split_data", "results_dataset2", "score_model", "dataset"),
         ("score_model", "scored_dataset", "evaluate_model", "scored_dataset")]


@pytest.fixture
def workshop(server, workspace_root: Path, hr_csv: Path):
    with Workspace(workspace_root) as ws:
        ws.data.create(name="employeeattrition", type="mltable", path=str(hr_csv), profile=False)
        ws.compute.create(name="cpu-cluster", type="cluster", min_instances=0, max_instances=1)
        yield ws


def mouse_drag(page: Page, source, to) -> None:
    """Press on ``source``, move in steps (so the browser starts a drag) to the page point ``to()``, release.

    The point is read once the button is down: a node still changes size when its validation comes back,
    which moves the handles on it."""
    source.hover()  # waits until it stands still, then points at its centre
    page.mouse.down()
    x, y = to()
    page.mouse.move(x, y, steps=12)
    page.mouse.move(x + 1, y + 1)  # linger on the target, as a hand does, before letting go
    page.mouse.move(x, y)
    page.mouse.up()


def drop_from_palette(page: Page, item: str, search: str, node_id: str) -> None:
    page.get_by_label("Search the palette").fill(search)
    canvas = page.get_by_test_id("canvas").bounding_box()
    x, y = PLACES[node_id]
    mouse_drag(page, page.locator(f'[data-palette-item="{item}"]'), lambda: (canvas["x"] + x, canvas["y"] + y))
    expect(node(page, node_id)).to_be_visible()


def node(page: Page, node_id: str):
    return page.locator(f'.react-flow__node[data-id="{node_id}"]')


def handle(page: Page, node_id: str, port: str):
    return node(page, node_id).locator(f'.react-flow__handle[data-handleid="{port}"]')


def connect(page: Page, source: str, source_port: str, target: str, target_port: str) -> None:
    def target_centre() -> tuple[float, float]:
        box = handle(page, target, target_port).bounding_box()
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    mouse_drag(page, handle(page, source, source_port), target_centre)


@pytest.mark.timeout(1500)  # building, then seven module runs on a loaded machine
def test_build_submit_and_read_back_the_workshop_pipeline_with_mouse_drags(studio: str, page: Page, workshop):
    crashes = []
    page.on("pageerror", lambda error: crashes.append(error))
    page.goto(f"{studio}/designer")
    page.get_by_role("button", name="New pipeline").click()
    page.get_by_label("Pipeline name").fill(PIPELINE)
    page.get_by_role("button", name="Create").click()
    expect(page).to_have_url(re.compile(f"/designer/{PIPELINE}$"))
    expect(page.locator("[data-save-state]")).to_have_text("Saved (version 1)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "designer-new-pipeline.png"))

    drop_from_palette(page, "dataset:employeeattrition", "employee", "dataset")
    for module, search in [("select_columns_in_dataset", "Select Columns"), ("split_data", "Split Data"),
                           ("two_class_logistic_regression", "Two-Class Logistic"), ("train_model", "Train Model"),
                           ("score_model", "Score Model"), ("evaluate_model", "Evaluate Model")]:
        drop_from_palette(page, module, search, module)
    expect(page.locator(".react-flow__node")).to_have_count(7)
    expect(node(page, "train_model")).to_contain_text("required input port")  # the server's rule, on its node

    connect(page, "two_class_logistic_regression", "untrained_model", "split_data", "dataset")
    expect(page.get_by_test_id("connection-refused")).to_contain_text(
        "input 'Dataset' takes a DataFrameDirectory, but 'Untrained model' of Two-Class Logistic Regression carries "
        "a UntrainedModel")
    expect(page.locator(".react-flow__edge")).to_have_count(0)
    for count, edge in enumerate(EDGES, start=1):
        connect(page, *edge)
        expect(page.locator(".react-flow__edge"), f"the edge {edge}").to_have_count(count)

    node(page, "select_columns_in_dataset").locator(".module-title").click()
    page.get_by_role("button", name="Edit columns").click()
    page.get_by_label("All columns except the ticked ones").check()
    for column in DROPPED:
        page.get_by_role("group", name="Select columns").get_by_label(column, exact=True).check()
    expect(page.locator("#param-select_columns-summary")).to_have_text("all columns except " + ", ".join(DROPPED))
    node(page, "split_data").locator(".module-title").click()
    page.get_by_label("Fraction of rows in the first output dataset").fill("0.7")
    node(page, "train_model").locator(".module-title").click()
    page.get_by_role("combobox", name="Label column").select_option("Attrition")  # listed from the columns flowing in
    expect(page.locator(".node-problems")).to_have_count(0)
    expect(page.locator('[data-save-state="saved"]')).to_be_visible()

    saved = workshop.designer_drafts.get(PIPELINE)
    assert len(saved.graph.nodes) == 7 and len(saved.graph.edges) == len(EDGES)
    selection = next(n for n in saved.graph.nodes if n.id == "select_columns_in_dataset").parameters["select_columns"]
    assert selection["rules"][1] == {"ruleType": "ColumnNames", "exclude": True, "columns": DROPPED}
    assert saved.layout["split_data"].x < saved.layout["two_class_logistic_regression"].x  # where it was dropped

    page.get_by_label("Compute").select_option("cpu-cluster")
    page.get_by_role("button", name="Submit").click()
    for node_id in PLACES:
        if node_id != "dataset":
            expect(node(page, node_id).locator(".module-node")).to_have_attribute("data-status", "Completed",
                                                                   timeout=RUN_TIMEOUT_MS)
    expect(page.locator(".run-status")).to_contain_text("Completed")
    page.screenshot(path=str(SCREENSHOT))

    node(page, "score_model").locator(".module-title").click()
    page.get_by_role("button", name="Visualize Scored dataset").click()
    table = page.get_by_test_id("preview-table")
    expect(table.locator("thead")).to_contain_text("Scored Labels")
    expect(table.locator("thead")).to_contain_text("Scored Probabilities")
    expect(page.get_by_role("region", name="Output Scored dataset")).to_contain_text("rows 1–50 of 441")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("region", name="Output Scored dataset")).to_contain_text("rows 51–100 of 441")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "designer-scored-dataset.png"), full_page=True)

    node(page, "evaluate_model").locator(".module-title").click()
    page.get_by_role("button", name="Visualize Evaluation results").click()
    metrics = page.get_by_role("table", name="Metrics of the left scored dataset")
    expect(metrics.get_by_role("row", name=re.compile(r"^Accuracy 0\.\d+"))).to_be_visible()
    expect(metrics).to_contain_text("AUC")
    assert not crashes, crashes


TWO_NODES = {"nodes": [{"id": "lr", "module": "two_class_logistic_regression"},
                       {"id": "tree", "module": "two_class_boosted_decision_tree"}], "edges": []}


def test_the_drafts_list_renames_clones_and_deletes_pipelines(studio: str, page: Page, workspace_root: Path):
    with Workspace(workspace_root) as ws:
        for name in ("first", "second"):
            ws.designer_drafts.create({"name": name, "graph": {"nodes": [], "edges": []}})
        page.goto(f"{studio}/designer")
        page.get_by_role("button", name="Rename pipeline first").click()
        page.get_by_label("New name of first").fill("second")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("alert")).to_contain_text("designer draft 'second' already exists")
        page.get_by_label("New name of first").fill("churn")
        page.get_by_role("button", name="Save").click()
        expect(page.locator('tr[data-draft="churn"]')).to_be_visible()
        page.get_by_role("button", name="Delete pipeline second").click()
        page.get_by_role("button", name="Delete second").click()
        expect(page.locator('tr[data-draft="second"]')).to_have_count(0)
        assert [d.name for d in ws.designer_drafts.list()] == ["churn"]
        ws.designer_drafts.create({"name": "churn", "graph": TWO_NODES, "layout": {"lr": {"x": 5, "y": 5}}})
        page.reload()
        page.get_by_role("button", name="Clone pipeline churn").click()
        expect(page.get_by_role("heading", name="Designer / churn-copy")).to_be_visible()
        expect(page.locator(".react-flow__node")).to_have_count(2)
        copy = ws.designer_drafts.get("churn-copy")
        assert (copy.version, copy.graph, copy.layout) == (1, ws.designer_drafts.get("churn").graph,
                                                           ws.designer_drafts.get("churn").layout)


def test_undo_redo_the_delete_key_and_a_draft_edited_in_two_tabs(studio: str, page: Page, workspace_root: Path):
    with Workspace(workspace_root) as ws:
        ws.designer_drafts.create({"name": "tabs", "graph": {"nodes": [], "edges": []}})
    page.goto(f"{studio}/designer/tabs")
    drop_from_palette(page, "split_data", "Split Data", "split_data")
    drop_from_palette(page, "two_class_logistic_regression", "Two-Class Logistic", "two_class_logistic_regression")
    nodes = page.locator(".react-flow__node")
    page.get_by_role("button", name="Undo").click()
    expect(nodes).to_have_count(1)
    page.get_by_role("button", name="Redo").click()
    expect(nodes).to_have_count(2)
    node(page, "two_class_logistic_regression").locator(".module-title").click()
    page.keyboard.press("Delete")
    expect(nodes).to_have_count(1)
    page.keyboard.press("Control+z")
    expect(nodes).to_have_count(2)
    expect(page.locator('[data-save-state="saved"]')).to_be_visible()

    other = page.context.new_page()
    other.goto(f"{studio}/designer/tabs")
    expect(other.locator(".react-flow__node")).to_have_count(2)
    drop_from_palette(page, "score_model", "Score Model", "score_model")
    expect(page.locator('[data-save-state="saved"]')).to_be_visible()
    drop_from_palette(other, "evaluate_model", "Evaluate Model", "evaluate_model")
    expect(other.locator('[data-save-state="conflict"]')).to_contain_text("saved elsewhere (another tab?): reload")
    with Workspace(workspace_root) as ws:
        kept = [n.id for n in ws.designer_drafts.get("tabs").graph.nodes]
    assert kept == ["split_data", "two_class_logistic_regression", "score_model"]  # the first tab's edit stays

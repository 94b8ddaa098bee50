"""What a Designer run leads to, in Chromium against a real server: the draft opens on its latest run, its run
history lists the runs, "Create inference pipeline" opens the real-time draft, Deploy ends on the endpoint's
Test tab where the workshop's request scores, Publish makes a pipeline endpoint and then a new version of it,
and a past run clones into a new draft."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from modelyard import Workspace

from tests.designer.conftest import WORKSHOP_DROPPED
from tests.designer.test_graph_rules import WORKSHOP

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "studio"
RUN_TIMEOUT = 600  # seconds: six modules on a shared machine
LAYOUT = {"hr": (10, 10), "select": (10, 110), "split": (10, 210), "lr": (260, 210), "train": (260, 320),
          "score": (10, 430), "evaluate": (10, 540)}


@pytest.fixture
def trained(server, workspace_root: Path, hr_csv: Path):
    """The workshop's draft 'attrition' run to completion on a cluster: (SDK workspace, the run's job name)."""
    with Workspace(workspace_root) as ws:
        ws.data.create(name="employeeattrition", type="mltable", path=str(hr_csv), profile=False)
        ws.compute.create(name="cpu-cluster", type="cluster", min_instances=0, max_instances=1)
        ws.designer_drafts.create({"name": "attrition", "graph": WORKSHOP,
                                   "layout": {n: {"x": x, "y": y} for n, (x, y) in LAYOUT.items()}})
        run = ws.designer_drafts.submit("attrition", compute="cpu-cluster")
        assert ws.jobs.wait(run.name, timeout=RUN_TIMEOUT).status == "Completed"
        yield ws, run.name


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.timeout(1500)  # a model build and an endpoint start on a loaded machine
def test_a_run_leads_to_inference_pipelines_deploy_publish_and_clones(studio: str, page: Page, trained, hr_csv):
    ws, run = trained
    crashes = []
    page.on("pageerror", lambda error: crashes.append(error))
    page.goto(f"{studio}/designer/attrition")
    expect(page.locator(f'.run-status[data-run="{run}"]')).to_contain_text("Completed")  # the latest run, shown
    expect(page.locator('.react-flow__node[data-id="score"] .module-node')).to_have_attribute("data-status", "Completed")

    page.get_by_role("button", name="Runs (1)").click()
    history = page.get_by_role("region", name="Run history")
    expect(history.locator(f'tr[data-run="{run}"]')).to_contain_text("Completed")
    expect(history.locator(f'tr[data-run="{run}"]')).to_contain_text("on the canvas")
    shot(page, "designer-run-history")

    # right-click an output port -> Visualize: the scored rows with per-column statistics, then the evaluation
    page.locator('.react-flow__node[data-id="score"] .react-flow__handle[data-handleid="scored_dataset"]').click(
        button="right")
    page.get_by_role("menu", name="Output Scored dataset").get_by_role("menuitem", name="Visualize").click()
    scored = page.get_by_role("region", name="Output Scored dataset")
    expect(scored.get_by_test_id("preview-table").locator("thead")).to_contain_text("Scored Probabilities")
    scored.get_by_role("button", name="Column statistics").click()
    expect(scored.get_by_role("region", name="Column statistics")).to_contain_text("Scored Probabilities")
    shot(page, "designer-visualize-scored")
    page.locator('.react-flow__node[data-id="evaluate"] .react-flow__handle[data-handleid="evaluation_results"]').click(
        button="right")
    page.get_by_role("menuitem", name="Visualize").click()
    evaluation = page.get_by_role("region", name="Output Evaluation results")
    for chart in ("ROC curve", "Precision-recall curve", "Lift curve"):
        expect(evaluation.get_by_role("img", name=re.compile(f"^{chart}"))).to_be_visible()
    expect(evaluation.locator(".recharts-line-curve").first).to_be_visible()  # a drawn curve, not an empty frame
    matrix = evaluation.get_by_test_id("confusion-matrix")
    counts = [int(c) for c in matrix.locator("td").all_inner_texts()]
    assert sum(counts) == 441  # the test split's rows
    slider = evaluation.get_by_role("slider", name="Threshold")
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.1, box["y"] + box["height"] / 2)  # a low threshold: more "Yes"
    expect(matrix.locator("td").nth(3)).not_to_have_text(str(counts[3]))
    lowered = [int(c) for c in matrix.locator("td").all_inner_texts()]
    assert sum(lowered) == 441 and lowered[3] > counts[3] and lowered[1] > counts[1]
    shot(page, "designer-evaluation")

    # a step's log tail and metrics in a side drawer
    page.locator('.react-flow__node[data-id="score"] .module-title').click()
    page.get_by_role("complementary", name="Properties").get_by_role("button", name="Logs").click()
    drawer = page.get_by_role("complementary", name="Step Score Model")
    expect(drawer.get_by_test_id("job-log")).to_contain_text("wrote Scored dataset (DataFrameDirectory) of Score Model")
    expect(drawer).to_contain_text("The job has ended; this is its whole log.")
    shot(page, "designer-step-logs")
    drawer.get_by_role("tab", name="Metrics").click()
    expect(drawer).to_contain_text("This job logged no metrics.")
    drawer.get_by_role("button", name="Close").click()
    expect(drawer).to_have_count(0)

    # Publish: a new pipeline endpoint, then a new version of it
    page.get_by_role("button", name="Publish").click()
    dialog = page.get_by_role("dialog", name="Publish attrition")
    dialog.get_by_label("Endpoint name").fill("attrition-pipeline")
    dialog.get_by_label("Compute of its runs").select_option("cpu-cluster")
    dialog.get_by_role("button", name="Publish").click()
    expect(dialog.get_by_role("status")).to_contain_text("as version 1 (the default) of attrition-pipeline")
    expect(dialog).to_contain_text("POST /api/pipeline-endpoints/attrition-pipeline/runs")
    shot(page, "designer-published")
    dialog.get_by_role("button", name="Close").click()
    page.get_by_role("button", name="Publish").click()
    dialog = page.get_by_role("dialog", name="Publish attrition")
    dialog.get_by_label("A new version of an endpoint").check()
    expect(dialog.get_by_label("Endpoint", exact=True)).to_have_value("attrition-pipeline")
    dialog.get_by_role("button", name="Publish").click()
    expect(dialog.get_by_role("status")).to_contain_text("as version 2 (the default) of attrition-pipeline")
    published = ws.pipeline_endpoints.get("attrition-pipeline")
    assert published.default_version == 2 and [v.draft for v in published.versions] == ["attrition:1"] * 2
    assert published.versions[0].compute == "cpu-cluster"
    dialog.get_by_role("button", name="Close").click()

    # clone the run into a new draft
    history.locator(f'tr[data-run="{run}"]').get_by_role("button", name="Clone into a new draft").click()
    history.get_by_label("New draft name").fill("attrition-copy")
    history.get_by_role("button", name="Clone", exact=True).click()
    expect(page).to_have_url(re.compile("/designer/attrition-copy$"))
    expect(page.locator(".react-flow__node")).to_have_count(len(WORKSHOP["nodes"]))
    copy = ws.designer_drafts.get("attrition-copy")
    assert copy.version == 1 and copy.graph == ws.designer_drafts.get("attrition:1").graph
    expect(page.get_by_role("button", name="Runs (0)")).to_be_visible()  # a clone has no runs of its own

    # Create inference pipeline (real-time) from the training run, then Deploy it
    page.goto(f"{studio}/designer/attrition")
    page.locator('.react-flow__node[data-id="split"] .module-title').click()
    page.get_by_label("Fraction of rows in the first output dataset").fill("0.75")
    expect(page.locator("[data-save-state]")).to_have_text("Saved (version 2)")
    expect(page.get_by_role("note")).to_have_text(
        f"Run {run} ran version 1; the canvas holds version 2 (Runs: clone the run to open its graph).")
    page.get_by_role("group", name="Create inference pipeline").get_by_role(
        "button", name="Real-time inference pipeline").click()
    expect(page).to_have_url(re.compile("/designer/attrition-real-time$"))
    for node_id in ("web_service_input", "web_service_output"):
        expect(page.locator(f'.react-flow__node[data-id="{node_id}"]')).to_be_visible()
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)  # a real-time pipeline deploys
    shot(page, "designer-real-time-pipeline")
    page.get_by_role("button", name="Deploy").click()
    dialog = page.get_by_role("dialog", name=re.compile("^Deploy attrition-real-time"))
    dialog.get_by_label("Endpoint name").fill("attrition-designer")
    dialog.get_by_role("button", name="Deploy").click()
    expect(dialog.get_by_role("status")).to_contain_text("Deployed.", timeout=RUN_TIMEOUT * 1000)
    shot(page, "designer-deployed")
    dialog.get_by_role("link", name="Open endpoint attrition-designer").click()
    expect(page).to_have_url(re.compile(r"/endpoints/attrition-designer\?tab=test$"))

    row = pd.read_csv(hr_csv, encoding="utf-8-sig").drop(columns=["Attrition", *WORKSHOP_DROPPED]).iloc[0]
    page.get_by_role("button", name="JSON").click()
    page.get_by_label("Request body (JSON)").fill(json.dumps({"data": [json.loads(row.to_json())]}))
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("region", name="Response")).to_contain_text("200")
    expect(page.get_by_role("region", name="Response")).to_contain_text(re.compile(r'"result".*"(Yes|No)"', re.S))
    shot(page, "designer-endpoint-test")
    assert not crashes, crashes


EDITED = {"nodes": [{"id": "split", "module": "split_data"}, {"id": "lr", "module": "two_class_logistic_regression"},
                    {"id": "train", "module": "train_model", "parameters": {"label_column": "Attrition"}}],
          "edges": [{"source": "split", "source_port": "results_dataset1", "target": "train", "target_port": "dataset"},
                    {"source": "lr", "source_port": "untrained_model", "target": "train",
                     "target_port": "untrained_model"}]}


def test_shift_click_and_box_select_copy_paste_and_delete_each_undo_in_one_step(studio: str, page: Page,
                                                                                 workspace_root: Path):
    with Workspace(workspace_root) as ws:
        ws.designer_drafts.create({"name": "edits", "graph": EDITED, "allow_problems": True,
                                   "layout": {"split": {"x": 0, "y": 0}, "lr": {"x": 260, "y": 0},
                                              "train": {"x": 130, "y": 140}}})
    page.goto(f"{studio}/designer/edits")
    nodes, edges = page.locator(".react-flow__node"), page.locator(".react-flow__edge")
    expect(nodes).to_have_count(3)
    selected = page.locator(".react-flow__node.selected")

    page.locator('.react-flow__node[data-id="split"] .module-title').click()
    page.locator('.react-flow__node[data-id="train"] .module-title').click(modifiers=["Shift"])
    expect(selected).to_have_count(2)
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(nodes).to_have_count(5)
    expect(edges).to_have_count(3)  # split -> train came along; lr -> train did not (lr was not copied)
    expect(selected).to_have_count(2)  # the pasted pair, ready to be dragged away
    pasted = [n for n in nodes.evaluate_all("els => els.map(e => e.dataset.id)") if n not in ("split", "lr", "train")]
    assert sorted(pasted) == ["split_data", "train_model"]
    shot(page, "designer-pasted")
    page.keyboard.press("Control+z")
    expect(nodes).to_have_count(3)
    expect(edges).to_have_count(2)
    page.keyboard.press("Control+Shift+z")
    expect(nodes).to_have_count(5)

    boxes = [nodes.nth(i).bounding_box() for i in range(5)]
    left, top = min(b["x"] for b in boxes) - 20, min(b["y"] for b in boxes) - 20
    right = max(b["x"] + b["width"] for b in boxes) + 20
    bottom = max(b["y"] + b["height"] for b in boxes) + 20
    page.keyboard.down("Shift")
    page.mouse.move(left, top)
    page.mouse.down()
    page.mouse.move(right, bottom, steps=10)
    page.mouse.up()
    page.keyboard.up("Shift")
    expect(selected).to_have_count(5)
    page.keyboard.press("Delete")
    expect(nodes).to_have_count(0)
    page.keyboard.press("Control+z")
    expect(nodes).to_have_count(5)
    expect(edges).to_have_count(3)
    expect(page.locator('[data-save-state="saved"]')).to_be_visible()
    with Workspace(workspace_root) as ws:
        saved = ws.designer_drafts.get("edits")
        assert sorted(n.id for n in saved.graph.nodes) == ["lr", "split", "split_data", "train", "train_model"]
        assert len(saved.graph.edges) == 3
        assert len(ws.designer_drafts.list("edits")) <= 6  # a version per settled edit, none per intermediate state


def test_a_script_parameter_is_edited_in_a_code_editor_with_line_numbers_and_indentation(studio: str, page: Page,
                                                                                          workspace_root: Path):
    with Workspace(workspace_root) as ws:
        ws.designer_drafts.create({"name": "script", "allow_problems": True, "graph": {"nodes": [
            {"id": "py", "module": "execute_python_script", "parameters": {"python_script": "x = 1"}}], "edges": []}})
    page.goto(f"{studio}/designer/script")
    page.locator('.react-flow__node[data-id="py"] .module-title').click()
    editor = page.get_by_label("Python script")
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("def azureml_main(dataframe1=None, dataframe2=None):")
    page.keyboard.press("Enter")  # one level deeper after the colon
    page.keyboard.type("return dataframe1,")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # indents instead of leaving the editor
    page.keyboard.type("# done")
    typed = "x = 1\ndef azureml_main(dataframe1=None, dataframe2=None):\n    return dataframe1,\n        # done"
    expect(editor).to_have_value(typed)
    expect(page.locator(".code-gutter")).to_have_text("1\n2\n3\n4")
    expect(page.locator(".code-editor")).to_contain_text("Python")
    shot(page, "designer-code-editor")
    expect(page.locator('[data-save-state="saved"]')).to_be_visible()
    with Workspace(workspace_root) as ws:
        assert ws.designer_drafts.get("script").graph.nodes[0].parameters["python_script"] == typed
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # Escape, then Tab: the focus moves on, the text stays
    expect(editor).not_to_be_focused()
    expect(editor).to_have_value(typed)

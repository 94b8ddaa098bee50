"""A past Designer run, in Chromium against a real server: its step metrics in the Metrics drawer, and its own
graph opened read-only from the run history (the graph as submitted, though the draft changed since; each
node's final status; outputs visualized; nothing editable), then cloned back into a draft."""

from __future__ import annotations

import copy
import re

import pytest
from playwright.sync_api import Page, expect

from tests.designer.test_graph_rules import WORKSHOP
from tests.studio.test_designer_run import LAYOUT, shot, trained  # noqa: F401 (trained: the run, a fixture)


def without_evaluate(graph: dict) -> dict:
    edited = copy.deepcopy(graph)
    edited["nodes"] = [n for n in edited["nodes"] if n["id"] != "evaluate"]
    edited["edges"] = [e for e in edited["edges"] if "evaluate" not in (e["source"], e["target"])]
    return edited


def metric_text(value: float) -> str:
    """A metric as the studio's formatValue writes it (four significant digits)."""
    return f"{float(f'{value:.4g}')}"


@pytest.mark.timeout(1200)
def test_a_past_run_opens_read_only_shows_its_metrics_and_outputs_and_clones_to_a_draft(studio: str, page: Page,
                                                                                       trained):  # noqa: F811
    ws, run = trained
    steps = {child.step: child for child in ws.jobs.children(run)}
    evaluation = ws.designer_drafts.read_port(steps["evaluate"].name, "evaluation_results")["value"]["left"]
    ws.designer_drafts.create({"name": "attrition", "graph": without_evaluate(WORKSHOP),  # edited after the run
                               "layout": {n: {"x": x, "y": y} for n, (x, y) in LAYOUT.items() if n != "evaluate"}})
    crashes = []
    page.on("pageerror", lambda error: crashes.append(error))
    page.goto(f"{studio}/designer/attrition")
    expect(page.locator(".react-flow__node")).to_have_count(len(WORKSHOP["nodes"]) - 1)
    page.get_by_role("button", name="Runs (1)").click()
    page.get_by_role("region", name="Run history").locator(f'tr[data-run="{run}"]').get_by_role(
        "link", name="Open run").click()

    expect(page).to_have_url(re.compile(f"/designer/attrition/runs/{run}$"))
    nodes = page.locator(".react-flow__node")
    expect(nodes).to_have_count(len(WORKSHOP["nodes"]))  # the graph as submitted: Evaluate Model is there
    for step in steps:
        expect(page.locator(f'.react-flow__node[data-id="{step}"] .module-node')).to_have_attribute(
            "data-status", "Completed")
    expect(page.get_by_role("note")).to_contain_text("Read-only: version 1 of attrition")
    expect(page.locator(".palette")).to_have_count(0)

    # nothing edits: a real drag leaves the node where it was, Delete removes nothing, parameters are disabled
    split, select = (page.locator(f'.react-flow__node[data-id="{node}"]') for node in ("split", "select"))

    def offset() -> tuple[float, float]:  # the split node's place relative to another node's
        moved, still = split.bounding_box(), select.bounding_box()
        return moved["x"] - still["x"], moved["y"] - still["y"]

    before, box = offset(), split.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(box["x"] + 240, box["y"] + 200, steps=10)
    page.mouse.up()
    assert offset() == before  # the drag panned the view; the graph kept its shape
    split.locator(".module-title").click()
    properties = page.get_by_role("complementary", name="Properties")
    fraction = properties.get_by_label("Fraction of rows in the first output dataset")
    expect(fraction).to_have_value("0.7")
    expect(fraction).to_be_disabled()
    expect(properties.get_by_role("button", name="Delete module")).to_have_count(0)
    page.keyboard.press("Delete")
    expect(nodes).to_have_count(len(WORKSHOP["nodes"]))

    # Evaluate Model's metrics, logged into its step's run, in the Metrics drawer (the drag above panned the
    # bottom row out of the canvas: Fit View brings it back, with a module selected too)
    evaluate = page.locator('.react-flow__node[data-id="evaluate"]')
    page.get_by_role("button", name="Fit View").click()
    expect(evaluate).to_be_in_viewport(ratio=1)
    evaluate.locator(".module-title").click()
    expect(properties.get_by_role("heading", level=2)).to_have_text("Evaluate Model")
    properties.get_by_role("button", name="Metrics").click()
    drawer = page.get_by_role("complementary", name="Step Evaluate Model")
    for name in ("Accuracy", "AUC", "F1 Score", "Average Log Loss"):
        expect(drawer).to_contain_text(f"{name} = {metric_text(evaluation['metrics'][name])}")
    expect(drawer.locator(".recharts-surface").first).to_be_visible()
    shot(page, "designer-run-view-metrics")
    drawer.get_by_role("button", name="Close").click()

    # Visualize an output of the past run
    page.locator('.react-flow__node[data-id="score"] .react-flow__handle[data-handleid="scored_dataset"]').click(
        button="right")
    page.get_by_role("menu", name="Output Scored dataset").get_by_role("menuitem", name="Visualize").click()
    scored = page.get_by_role("region", name="Output Scored dataset")
    expect(scored.get_by_test_id("preview-table").locator("thead")).to_contain_text("Scored Probabilities")
    shot(page, "designer-run-view")
    scored.get_by_role("button", name="Close").click()

    # Clone to draft: the run's graph, editable again
    page.get_by_role("button", name="Clone to draft").click()
    page.get_by_label("New draft name").fill("attrition-from-run")
    page.get_by_role("button", name="Clone", exact=True).click()
    expect(page).to_have_url(re.compile("/designer/attrition-from-run$"))
    expect(page.locator(".react-flow__node")).to_have_count(len(WORKSHOP["nodes"]))
    expect(page.locator(".palette")).to_be_visible()
    assert ws.designer_drafts.get("attrition-from-run").graph == ws.designer_drafts.get("attrition:1").graph
    assert not crashes, crashes

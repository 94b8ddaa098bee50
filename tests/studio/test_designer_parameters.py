"""Pipeline parameters and pipeline YAML in the Designer canvas, in Chromium against a real server: Split Data's
fraction made a pipeline parameter from its properties panel, Submit asking for its value (a value out of range
refused under its field, naming it), the run reading the value given; the Publish dialog listing the parameter
and running the endpoint with it; Export YAML downloading the server's document and Import YAML opening it as
a new draft (a file that is no YAML refused with the server's message)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.designer_api.test_submit import RUN_TIMEOUT, finished
from tests.studio.test_designer import ARTIFACTS, node, workshop  # noqa: F401 (workshop: a fixture)

FRACTION = "fraction_of_rows_in_the_first_output_dataset"
SPLIT = {"nodes": [{"id": "hr", "module": "dataset", "parameters": {"asset": "employeeattrition:1"}},
                   {"id": "split", "module": "split_data", "parameters": {FRACTION: 0.5}}],
         "edges": [{"source": "hr", "source_port": "output", "target": "split", "target_port": "dataset"}]}


@pytest.fixture
def split_draft(workshop):
    """The HR dataset split in two by Split Data, saved as draft 'split'; a cluster to run it on."""
    workshop.designer_drafts.create({"name": "split", "graph": SPLIT,
                                     "layout": {"hr": {"x": 20, "y": 20}, "split": {"x": 20, "y": 140}}})
    return workshop


def parameters_panel(page: Page):
    page.locator(".react-flow__pane").click(position={"x": 5, "y": 5})  # nothing selected: the draft's settings
    return page.get_by_role("region", name="Pipeline parameters")


@pytest.mark.timeout(900)
def test_a_pipeline_parameter_set_on_the_canvas_takes_the_submitted_value_and_the_yaml_round_trips(
        studio: str, page: Page, split_draft, tmp_path: Path):
    ws = split_draft
    crashes = []
    page.on("pageerror", lambda error: crashes.append(error))
    page.goto(f"{studio}/designer/split")
    node(page, "split").locator(".module-title").click()
    field = page.locator(f'[data-parameter-field="{FRACTION}"]')
    field.get_by_role("button", name="Use as pipeline parameter").click()
    binder = field.get_by_role("group", name=f"Pipeline parameter for {FRACTION}")
    binder.get_by_role("textbox").fill("hr")
    binder.get_by_role("button", name="Bind").click()
    expect(binder.get_by_role("alert")).to_contain_text("'hr' names a dataset node")
    binder.get_by_role("textbox").fill("fraction")
    binder.get_by_role("button", name="Bind").click()
    expect(page.locator(f'[data-bound="{FRACTION}"]')).to_contain_text("Pipeline parameter fraction (default 0.5)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "designer-bound-parameter.png"))

    panel = parameters_panel(page)
    card = panel.locator('[data-parameter="fraction"]')
    expect(card).to_contain_text("number")
    expect(card).to_contain_text("Sets Split Data › " + FRACTION)
    expect(page.locator('[data-save-state="saved"]')).to_be_visible()
    saved = ws.designer_drafts.get("split")
    assert saved.graph.parameters == {"fraction": 0.5}
    assert next(n for n in saved.graph.nodes if n.id == "split").parameters[FRACTION] == "${{parent.inputs.fraction}}"
    page.screenshot(path=str(ARTIFACTS / "designer-pipeline-parameters.png"))

    page.get_by_label("Compute").select_option("cpu-cluster")
    page.get_by_role("button", name="Submit", exact=True).click()
    dialog = page.get_by_role("dialog", name="Submit with pipeline parameters")
    value = dialog.get_by_label("fraction (number)")
    expect(value).to_have_value("0.5")  # prefilled with the default
    value.fill("2")
    dialog.get_by_role("button", name="Submit").click()
    refusal = dialog.locator('[data-parameter="fraction"]').get_by_role("alert")
    expect(refusal).to_contain_text("pipeline parameter 'fraction' = 2")
    page.screenshot(path=str(ARTIFACTS / "designer-submit-parameters.png"))
    assert ws.designer_drafts.runs("split") == []  # nothing started
    value.fill("0.2")
    dialog.get_by_role("button", name="Submit").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".run-status")).to_contain_text("Completed", timeout=RUN_TIMEOUT * 1000)
    [run] = ws.designer_drafts.runs("split")
    steps = finished(ws, run)
    assert ws.designer_drafts.read_port(steps["split"].name, "results_dataset1", limit=1)["total"] == 294  # 0.2 of 1470

    page.get_by_role("button", name="Publish").click()
    publish = page.get_by_role("dialog", name="Publish split")
    expect(publish.get_by_test_id("publish-parameters")).to_contain_text("fraction (number, default 0.5)")
    publish.get_by_role("button", name="Publish").click()
    endpoint_run = publish.get_by_role("region", name="Run the endpoint")
    expect(endpoint_run.get_by_label("hr (data asset)")).to_have_value("employeeattrition:1")
    endpoint_run.get_by_label("fraction (number)").fill("-1")
    endpoint_run.get_by_role("button", name="Run").click()
    expect(endpoint_run.locator('[data-parameter="fraction"]').get_by_role("alert")).to_contain_text(
        "pipeline parameter 'fraction' = -1")
    page.screenshot(path=str(ARTIFACTS / "designer-publish-run.png"))
    endpoint_run.get_by_label("fraction (number)").fill("0.2")
    endpoint_run.get_by_role("button", name="Run").click()
    expect(endpoint_run.get_by_role("status")).to_contain_text("Started")
    publish.get_by_role("button", name="Close").click()

    with page.expect_download() as download:
        page.get_by_role("button", name="Export YAML").click()
    assert download.value.suggested_filename == "split.yml"
    exported = tmp_path / "imported-split.yml"
    download.value.save_as(exported)
    document = yaml.safe_load(exported.read_text())
    assert document == ws.designer_drafts.export("split")
    assert document["inputs"]["fraction"] == 0.5
    assert document["jobs"]["split"]["inputs"][FRACTION] == "${{parent.inputs.fraction}}"

    page.goto(f"{studio}/designer")
    page.get_by_label("Pipeline YAML file").set_input_files(
        files=[{"name": "broken.yml", "mimeType": "application/yaml", "buffer": b"jobs: [unclosed\n"}])
    expect(page.get_by_role("alert")).to_contain_text("the pipeline document is not valid YAML")
    page.screenshot(path=str(ARTIFACTS / "designer-import-yaml.png"))
    assert [d.name for d in ws.designer_drafts.list()] == ["split"]
    page.get_by_label("Pipeline YAML file").set_input_files(str(exported))
    expect(page).to_have_url(re.compile("/designer/imported-split$"))
    expect(page.locator(".react-flow__node")).to_have_count(2)
    expect(parameters_panel(page).locator('[data-parameter="fraction"]')).to_contain_text("number")
    imported = ws.designer_drafts.get("imported-split")
    assert imported.graph.parameters == {"fraction": 0.5}
    assert sorted(map(repr, imported.graph.nodes)) == sorted(map(repr, ws.designer_drafts.get("split").graph.nodes))
    assert not crashes, crashes

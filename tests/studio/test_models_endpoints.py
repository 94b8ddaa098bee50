"""The Models and Endpoints pages in Chromium against a real server: lineage, keys, a test request, traffic,
monitoring and logs.

One server for the module: the HR data is registered and profiled, a command job trains the workshop's pipeline
on it and saves an MLflow model (signature and input example), the model is registered from the job's output
and deployed to an endpoint.
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from server_fixtures import workspace_server

from .conftest import ARTIFACTS, run_training_job

ENDPOINTS_TESTS = Path(__file__).resolve().parents[1] / "endpoints"
sys.path[:0] = [str(ENDPOINTS_TESTS)]  # workshop_rows
ENDPOINT = "attrition-ep"

TRAIN = """
    import sys
    from pathlib import Path

    import mlflow.sklearn
    from mlflow.models import infer_signature

    from modelyard.automl._mlflow import requirements
    from workshop_rows import train_pipeline

    data, out = Path(sys.argv[1]), Path(sys.argv[2])
    model, frame = train_pipeline(next(data.rglob("*.csv")))
    mlflow.sklearn.save_model(model, out, serialization_format="cloudpickle", pip_requirements=requirements(),
                              signature=infer_signature(frame, model.predict(frame)), input_example=frame.head(2))
"""


@pytest.fixture(scope="module")
def deployed(tmp_path_factory, hr_csv: Path, studio_build):
    """(studio URL, SDK Workspace): model 'attrition' v1 from a job on data 'employeeattrition:1', deployed as
    'blue' of endpoint 'attrition-ep'."""
    root = tmp_path_factory.mktemp("studio-models") / "ws"
    with workspace_server(root, "models") as (info, ws):
        ws.data.create(name="employeeattrition", type="mltable", path=str(hr_csv))
        code = root.parent / "train"
        code.mkdir()
        shutil.copy(ENDPOINTS_TESTS / "workshop_rows.py", code)
        job = run_training_job(ws, code, TRAIN, "employeeattrition:1")
        ws.models.create(name="attrition", path=f"job:{job}/outputs/model", description="workshop pipeline")
        ws.online_endpoints.create(name=ENDPOINT)
        ws.online_endpoints.create_deployment(name="blue", endpoint_name=ENDPOINT, model="attrition:1")
        yield info.url, ws, job


def wait_until_key_works(url: str, key: str, timeout: float = 10) -> None:
    """The scoring route reloads its keys every second: wait until it takes the regenerated one."""
    deadline = time.monotonic() + timeout
    while (status := httpx.get(url, headers={"Authorization": f"Bearer {key}"}).status_code) == 401:
        assert time.monotonic() < deadline, f"the regenerated key is still refused after {timeout} s"
        time.sleep(0.2)
    assert status == 200


def open_tab(page: Page, studio: str, tab: str) -> None:
    page.goto(f"{studio}/endpoints/{ENDPOINT}")
    page.get_by_role("tab", name=tab).click()


def test_model_page_shows_lineage_from_data_to_endpoint_and_edits_the_model(deployed, page: Page):
    studio, ws, job = deployed
    page.goto(studio)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Models").click()
    page.get_by_role("link", name="attrition", exact=True).click()
    expect(page).to_have_url(re.compile(r"/models/attrition/1$"))

    lineage = page.get_by_role("list", name="Lineage")
    expect(lineage.get_by_role("link", name="employeeattrition:1")).to_have_attribute("href", "/data/employeeattrition/1")
    expect(lineage.get_by_role("link", name=job)).to_have_attribute("href", f"/jobs/{job}")
    expect(lineage).to_contain_text("attrition:1")
    lineage.get_by_role("link", name=f"{ENDPOINT} / blue").click()
    expect(page).to_have_url(re.compile(f"/endpoints/{ENDPOINT}$"))
    page.go_back()

    # the signature and the input example MLflow saved, and the files
    expect(page.get_by_role("table", name="Input columns")).to_contain_text("OverTime")
    expect(page.get_by_label("Input example")).to_contain_text("Travel_Rarely")
    expect(page.get_by_role("link", name="MLmodel")).to_have_attribute("href", "/api/models/attrition/versions/1/files/MLmodel")

    # description and tags: a line that is not key=value is refused in place
    page.get_by_role("button", name="Edit description and tags").click()
    page.get_by_label("Description").fill("logistic regression on the HR data")
    page.get_by_label("Tags").fill("team=hr\nstage")
    expect(page.get_by_role("alert")).to_have_text('line 2: "stage" is not key=value')
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_disabled()
    page.get_by_label("Tags").fill("team=hr\nstage=prod")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_test_id("model-description")).to_have_text("logistic regression on the HR data")
    expect(page.get_by_test_id("model-tags")).to_contain_text("stage: prod")
    assert ws.models.get("attrition:1").tags == {"team": "hr", "stage": "prod"}

    # aliases: 'latest' is refused by the API, shown in place; champion is set and removed
    page.get_by_label("Alias", exact=True).fill("latest")
    page.get_by_role("button", name="Set alias").click()
    expect(page.get_by_role("alert")).to_contain_text("'latest' always means the newest version")
    page.get_by_label("Alias", exact=True).fill("champion")
    page.get_by_role("button", name="Set alias").click()
    expect(page.get_by_text("@champion")).to_have_count(2)  # the alias list and the versions table
    assert ws.models.get("attrition@champion").version == 1
    page.get_by_role("button", name="Remove alias champion").click()
    expect(page.get_by_text("No alias points at this version.")).to_be_visible()

    page.get_by_role("button", name="Archive version 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("archived")
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("archived")


def test_endpoint_keys_test_request_monitoring_and_logs(deployed, page: Page):
    studio, ws, _ = deployed
    page.goto(f"{studio}/endpoints")
    row = page.get_by_role("row", name=re.compile(ENDPOINT))
    expect(row).to_contain_text("key")
    expect(row).to_contain_text("Succeeded")
    expect(row).to_contain_text("blue 100%")
    expect(row).to_contain_text(f"{studio}/api/v1/service/{ENDPOINT}/score")
    row.get_by_role("link", name=ENDPOINT).click()

    # Consume: the key is masked until shown; regenerating it changes it on the server
    page.get_by_role("tab", name="Consume").click()
    expect(page.get_by_label("REST URL", exact=True)).to_have_value(f"{studio}/api/v1/service/{ENDPOINT}/score")
    # the URL field spans its section (less the copy button) and the snippets wrap rather than scroll
    url_box = page.get_by_label("REST URL", exact=True).bounding_box()
    section_box = page.get_by_role("heading", name="REST endpoint").locator("xpath=..").bounding_box()
    assert url_box["width"] >= section_box["width"] - 160, (url_box, section_box)
    for pre in page.locator(".code-block pre").all():
        assert pre.evaluate("box => box.scrollWidth - box.clientWidth") <= 1
    primary = page.get_by_label("Primary key", exact=True)
    old_key = ws.online_endpoints.get_credentials(ENDPOINT).primary_key
    expect(primary).to_have_attribute("type", "password")
    expect(page.get_by_label("curl snippet", exact=True)).to_contain_text("$ENDPOINT_KEY")
    page.get_by_role("button", name="Show the primary key").click()
    expect(primary).to_have_attribute("type", "text")
    expect(primary).to_have_value(old_key)
    expect(page.get_by_label("Python (requests) snippet", exact=True)).to_contain_text(f'secret = "{old_key}"')
    expect(page.get_by_label("R (httr) snippet", exact=True)).to_contain_text('"data": [')
    page.get_by_role("button", name="Regenerate primary key").click()
    page.get_by_role("button", name="Yes, regenerate primary key").click()
    expect(primary).not_to_have_value(old_key)
    new_key = ws.online_endpoints.get_credentials(ENDPOINT).primary_key
    assert new_key != old_key
    expect(primary).to_have_value(new_key)
    wait_until_key_works(f"{studio}/api/v1/service/{ENDPOINT}/swagger.json", new_key)

    # Test: the form is generated from the deployment's schema and prefilled from the model's input example
    page.get_by_role("tab", name="Test").click()
    expect(page.get_by_label("Age", exact=True)).to_have_value("41")
    expect(page.get_by_label("Age", exact=True)).to_have_attribute("type", "number")
    over_time = page.get_by_label("OverTime", exact=True)
    expect(over_time).to_have_value("Yes")
    expect(over_time.locator("option")).to_have_text(["—", "No", "Yes"])  # categories from the data profile
    # the form is not a fixed box that clips a row of labels: nothing in it scrolls
    fields = page.locator(".scoring-fields")
    assert fields.evaluate("box => box.scrollHeight - box.clientHeight") <= 1
    last_label = fields.locator("label").last.bounding_box()
    assert last_label["y"] + last_label["height"] <= fields.bounding_box()["y"] + fields.bounding_box()["height"] + 1
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("reply-status")).to_have_text("HTTP 200")
    expect(page.get_by_test_id("reply-body")).to_contain_text('"result": [')
    expect(page.get_by_test_id("reply-latency")).to_have_text(re.compile(r"^\d+ ms$"))

    # ... and a bad value, through the raw JSON editor, is refused with the column named
    page.get_by_role("button", name="JSON").click()
    editor = page.get_by_label("Request body (JSON)")
    editor.fill(editor.input_value().replace('"Age": 41', '"Age": "forty"'))
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("reply-status")).to_have_text("HTTP 400")
    expect(page.get_by_role("alert")).to_contain_text("column 'Age'")
    expect(page.get_by_role("alert")).to_contain_text("forty")

    # Monitoring counts both requests; Logs show the scoring process starting
    page.get_by_role("tab", name="Monitoring").click()
    expect(page.get_by_test_id("requests-chart")).to_have_attribute("aria-label", re.compile(r"^Requests: 2, failed: 1 "))
    expect(page.get_by_test_id("metrics-table").get_by_role("row", name=re.compile("blue"))).to_contain_text("2")
    # the table and the chart's legend name the failed requests the same way
    expect(page.get_by_test_id("metrics-table").get_by_role("columnheader", name="Failed (4xx/5xx)")).to_be_visible()
    expect(page.get_by_test_id("requests-chart").locator(".recharts-legend-item-text", has_text="Failed (4xx/5xx)")).to_be_visible()
    page.get_by_role("tab", name="Logs").click()
    expect(page.get_by_test_id("deployment-logs")).to_contain_text("ready in")
    page.get_by_label("Live tail").check()
    expect(page.get_by_label("Live tail")).to_be_checked()


def test_traffic_is_split_between_two_deployments_with_validation(deployed, page: Page):
    studio, ws, _ = deployed
    ws.online_endpoints.create_deployment(name="green", endpoint_name=ENDPOINT, model="attrition:1")
    open_tab(page, studio, "Details")
    deployments = page.get_by_role("table", name=f"Deployments of {ENDPOINT}")
    expect(deployments.get_by_role("row")).to_have_count(3)
    expect(deployments.get_by_role("link", name="attrition:1").first).to_have_attribute("href", "/models/attrition/1")

    page.get_by_label("Traffic to blue (%)", exact=True).fill("70")
    page.get_by_label("Traffic to green (%)", exact=True).fill("20")
    expect(page.get_by_role("alert")).to_have_text("the weights add up to 90%; they must add up to 100%")
    expect(page.get_by_role("button", name="Save traffic")).to_be_disabled()
    page.get_by_label("Traffic to green (%)", exact=True).fill("30")
    page.get_by_label("Mirror traffic to green (%)").fill("10")
    expect(page.get_by_test_id("traffic-total")).to_have_text("100%")
    page.get_by_role("button", name="Save traffic").click()
    expect(page.get_by_role("status").filter(has_text="Saved")).to_be_visible()
    endpoint = ws.online_endpoints.get(ENDPOINT)
    assert endpoint.traffic == {"blue": 70, "green": 30} and endpoint.mirror_traffic == {"green": 10}

    # a deployment taking traffic cannot be deleted: the API's refusal is shown in place
    page.get_by_role("button", name="Delete green").click()
    page.get_by_role("button", name="Yes, delete green").click()
    expect(page.get_by_role("alert")).to_contain_text("still takes 30%")


PAGES = ["/models", "/models/attrition/1", "/endpoints", f"/endpoints/{ENDPOINT}",
         *(f"/endpoints/{ENDPOINT}?tab={tab}" for tab in ("consume", "test", "monitoring", "logs"))]


@pytest.mark.parametrize("size", [(1280, 800), (420, 800)], ids=["1280x800", "narrow"])
def test_pages_have_no_horizontal_scrollbar(deployed, page: Page, size):
    studio, _, _ = deployed
    page.set_viewport_size({"width": size[0], "height": size[1]})
    for path in PAGES:
        page.goto(studio + path)
        expect(page.locator("main h1")).to_be_visible()
        expect(page.get_by_role("status")).to_have_count(0)  # nothing left loading
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} at {size[0]}x{size[1]} scrolls sideways by {overflow}px"


@pytest.fixture(scope="module")
def analysed(deployed):
    """The deployed fixture once attrition:1 has a completed explanation, fairness assessment and error analysis
    of the HR data; their jobs."""
    _, ws, _ = deployed
    jobs = [ws.models.explain("attrition:1", "employeeattrition", target="Attrition"),
            ws.models.assess_fairness("attrition:1", "employeeattrition", sensitive=["Gender", "MaritalStatus"],
                                      target="Attrition"),
            ws.models.analyze_errors("attrition:1", "employeeattrition", target="Attrition")]
    for job in jobs:
        done = ws.jobs.wait(job.name, timeout=240)
        assert done.status == "Completed", done.error
    return jobs


def test_the_model_page_shows_its_explanation_fairness_and_error_analysis(deployed, analysed, page: Page,
                                                                           tmp_path: Path):
    studio, ws, _ = deployed
    page.goto(f"{studio}/models/attrition/1")
    rai = page.get_by_role("region", name="Responsible AI")
    importance = rai.get_by_role("list", name="Global feature importance")
    expect(importance.locator("li")).to_have_count(15)
    assert importance.locator('li[data-feature="OverTime"]').count() == 1, "raw features by default"
    expect(rai.get_by_role("link", name=analysed[0].name)).to_be_visible()

    # one row's waterfall ends at base value + the sum of that row's contributions
    explanation = ws.models.explanation("attrition:1")
    rai.get_by_label("Row of the data").select_option(label=f"row {explanation.local_rows[3] + 1}")
    view = explanation.raw.outputs[0]
    output = rai.get_by_role("list", name=f"Contributions to row {explanation.local_rows[3] + 1}").get_by_test_id(
        "waterfall-output")
    expect(output).to_be_visible()
    assert float(output.inner_text()) == pytest.approx(view.base_value + sum(view.contributions[3]), rel=1e-3, abs=1e-3)
    dependence = rai.get_by_role("figure", name=re.compile("Contribution of .* against its value"))
    expect(dependence.locator(".recharts-scatter-symbol").first).to_be_visible()
    dependence.screenshot(path=str(tmp_path / "model-dependence.png"))

    # what-if: the edited row is scored by the deployment; a linear model's deployment gives no explanation, says why
    what_if = rai.get_by_role("region", name="What-if")
    what_if.locator('input[name="OverTime"]').fill("Yes")
    what_if.get_by_role("button", name=re.compile("^Score through attrition-ep")).click()
    expect(what_if.get_by_test_id("what-if-result")).to_contain_text("Prediction:")
    expect(what_if.get_by_test_id("what-if-result")).to_contain_text("No new explanation")
    what_if.screenshot(path=str(tmp_path / "model-what-if.png"))

    rai.get_by_role("tab", name="Fairness").click()
    gender = rai.get_by_role("region", name="Fairness by Gender")
    expect(gender.locator("tbody tr")).to_have_count(3)  # Female, Male and overall
    expect(gender).to_contain_text("Demographic parity difference")
    expect(rai.get_by_role("region", name="Fairness by MaritalStatus").locator("tbody tr")).to_have_count(4)
    # the threshold slider shows the metrics of the chosen point of the grid
    report = ws.models.fairness("attrition:1").features[0]
    low = report.thresholds[0]
    gender.get_by_label("Decision threshold").fill("0")
    expect(gender.locator("output")).to_have_text(f"{low.threshold:.2f}")
    expect(gender.locator("tbody tr.total")).to_contain_text(f"{low.overall.selection_rate:.3f}")

    rai.get_by_role("tab", name="Error analysis").click()
    expect(rai.get_by_test_id("error-analysis")).to_contain_text("errors in 1,470 rows")
    expect(rai.get_by_role("list", name="Error tree")).to_contain_text("all rows")
    assert rai.get_by_role("table", name="Error cohorts").locator("tbody tr").count() >= 2, "the tree split the rows"
    for tab in ("Explanations", "Fairness", "Error analysis"):  # for a person to look at
        rai.get_by_role("tab", name=tab).click()
        page.screenshot(path=str(tmp_path / f"model-{tab.lower().replace(' ', '-')}.png"), full_page=True)
    print(f"screenshots: {tmp_path}")


def test_the_endpoint_shows_its_collected_data_and_the_monitors_that_read_it(deployed, page: Page):
    studio, ws, _ = deployed
    collector = {"collections": {"model_inputs": {"enabled": True}}, "flush_seconds": 0.2}
    ws.online_endpoints.create(name="collecting")
    ws.online_endpoints.create_deployment(name="blue", endpoint_name="collecting", model="attrition:1",
                                          data_collector=collector)
    ws.online_endpoints.update("collecting", traffic={"blue": 100})
    try:
        page.goto(f"{studio}/endpoints/collecting")
        page.get_by_role("tab", name="Monitoring").click()
        section = page.get_by_test_id("collected-data")
        row = section.get_by_role("row", name=re.compile("collecting-blue-model_inputs"))
        expect(row.locator("td.num")).to_have_text("0")  # the collector's folder exists from the start
        expect(section).to_contain_text("No monitor reads this data yet")
        page.get_by_role("tab", name="Test").click()
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_test_id("reply-status")).to_have_text("HTTP 200")
        deadline = time.monotonic() + 30
        while ws.online_endpoints.data_collection("collecting", "blue").rows.get("model_inputs", 0) < 1:
            assert time.monotonic() < deadline, "the scored row was not collected within 30 s"
            time.sleep(0.2)
        collected = "azureml:collecting-blue-model_inputs@latest"
        ws.monitors.create({
            "name": "reads-collecting",
            "monitoring_target": {
                "ml_task": "classification",
                "production_data": {"input_data": {"path": collected, "type": "uri_folder"}},
                "reference_data": {"input_data": {"path": "azureml:employeeattrition:1", "type": "mltable"},
                                   "data_context": "training", "target_column_name": "Attrition"}},
            "monitoring_signals": {"drift": {"type": "data_drift"}}})

        page.get_by_role("tab", name="Monitoring").click()
        expect(row).to_contain_text(collected)
        expect(row).to_contain_text("model_inputs")
        expect(row.locator("td.num")).to_have_text("1")
        page.screenshot(path=str(ARTIFACTS / "endpoint-collected-data.png"), full_page=True)
        section.get_by_role("link", name="reads-collecting").click()
        expect(page.get_by_role("heading", name="Monitor reads-collecting")).to_be_visible()
    finally:
        ws.online_endpoints.delete("collecting")


def test_cohorts_are_built_saved_from_the_error_tree_compared_and_deleted(deployed, analysed, page: Page,
                                                                          hr_csv: Path, tmp_path: Path):
    import pandas as pd

    studio, ws, _ = deployed
    page.goto(f"{studio}/models/attrition/1?tab=error_analysis")
    cohorts = page.get_by_role("region", name="Cohorts")
    expect(cohorts).to_contain_text("No saved cohorts yet")
    builder = cohorts.get_by_role("form", name="New cohort")

    # a value of the wrong type is refused in place, naming the column; nothing is saved
    builder.get_by_label("Name").fill("young")
    builder.get_by_label("Column").select_option("Age")
    builder.get_by_label("Operator").select_option("<")
    builder.get_by_label("Value").fill("thirty")
    builder.get_by_role("button", name="Save cohort").click()
    expect(builder.get_by_role("alert")).to_contain_text("Age holds numbers")
    assert ws.models.cohorts("attrition:1") == []

    builder.get_by_label("Value").fill("30")
    builder.get_by_role("button", name="Save cohort").click()
    young = cohorts.locator('tr[data-cohort="young"]')
    rows = int((pd.read_csv(hr_csv, encoding="utf-8-sig")["Age"] < 30).sum())
    expect(young).to_contain_text("Age < 30")
    expect(young.locator("td").nth(2)).to_have_text(f"{rows:,}")
    expect(cohorts.locator("tr.total")).to_contain_text("1,470")

    # the worst leaf of the error tree, saved as a cohort, holds the leaf's rows
    leaf = page.get_by_role("table", name="Error cohorts").locator("tbody tr").first
    leaf_rows = leaf.locator("td").nth(1).inner_text()
    leaf.get_by_role("button", name="Save as cohort").click()
    builder = cohorts.get_by_role("form", name="New cohort")
    expect(builder).to_contain_text("New cohort from the error tree")
    name = builder.get_by_label("Name").input_value()
    builder.get_by_role("button", name="Save cohort").click()
    expect(cohorts.locator(f'tr[data-cohort="{name}"]').locator("td").nth(2)).to_have_text(leaf_rows)
    # the same leaf again: the server's conflict is shown in place
    leaf.get_by_role("button", name="Save as cohort").click()
    builder.get_by_role("button", name="Save cohort").click()
    expect(builder.get_by_role("alert")).to_contain_text(f"a cohort named '{name}' already")
    page.screenshot(path=str(tmp_path / "model-cohorts.png"), full_page=True)

    young.get_by_role("button", name="Delete").click()
    young.get_by_role("button", name="Yes, delete").click()
    expect(young).to_have_count(0)
    assert [c.name for c in ws.models.cohorts("attrition:1")] == [name]
    print(f"screenshots: {tmp_path}")


def test_a_mitigation_is_queued_from_the_fairness_tab_and_shown_on_both_versions(deployed, analysed, page: Page,
                                                                                 tmp_path: Path):
    studio, ws, _ = deployed
    page.goto(f"{studio}/models/attrition/1?tab=fairness")
    form = page.get_by_role("form", name="Mitigate")
    form.get_by_label("Sensitive feature").select_option("Gender")
    form.get_by_label("Constraint").select_option("demographic_parity")
    form.get_by_role("button", name="Mitigate").click()
    queued = form.get_by_role("status").get_by_role("link")
    expect(queued).to_be_visible()
    job = queued.inner_text()
    done = ws.jobs.wait(job, timeout=240)
    assert done.status == "Completed", done.error
    mitigation = ws.models.mitigation("attrition:1", job)
    assert mitigation.feature == "Gender" and mitigation.constraints == "demographic_parity"

    page.reload()
    row = page.get_by_role("region", name="Mitigations").locator("tbody tr").filter(has_text=job)
    expect(row.get_by_role("link", name=mitigation.mitigated_model)).to_be_visible()
    before = mitigation.before.disparities.demographic_parity_difference
    after = mitigation.after.disparities.demographic_parity_difference
    expect(row).to_contain_text(f"{before:.3f} → {after:.3f}")
    page.screenshot(path=str(tmp_path / "model-mitigations.png"), full_page=True)

    row.get_by_role("link", name=mitigation.mitigated_model).click()
    origin = page.get_by_role("region", name="Mitigated from")
    expect(origin.get_by_role("link", name="attrition:1")).to_be_visible()
    expect(origin.get_by_role("link", name=job)).to_be_visible()
    disparity = origin.get_by_role("row", name=re.compile("^Demographic parity difference"))
    expect(disparity).to_contain_text(f"{before:.3f}")
    expect(disparity).to_contain_text(f"{after:.3f}")
    # the mitigated version has no analyses of its own yet
    version = mitigation.mitigated_model.split(":")[1]
    page.goto(f"{studio}/models/attrition/{version}?tab=error_analysis")
    expect(page.get_by_text(f"modelyard model error-analysis attrition:{version} --data DATA")).to_be_visible()
    page.screenshot(path=str(tmp_path / "model-mitigated-version.png"), full_page=True)
    print(f"screenshots: {tmp_path}")


def test_what_if_rescores_an_edited_row_through_a_tree_model_deployment_with_its_new_explanation(deployed, page: Page,
                                                                                                hr_csv: Path,
                                                                                                tmp_path: Path):
    import pandas as pd
    from lightgbm import LGBMClassifier
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    from workshop_rows import register_model

    studio, ws, _ = deployed
    frame = pd.read_csv(hr_csv, encoding="utf-8-sig").drop(columns=["EmployeeCount", "EmployeeNumber", "Over18",
                                                                     "StandardHours"])
    target = frame.pop("Attrition")
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    model = Pipeline([("features", ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), text)],
                                                     remainder="passthrough")),
                      ("classifier", LGBMClassifier(n_estimators=40, num_leaves=15, verbose=-1, n_jobs=1))])
    register_model(ws, model.fit(frame, target), frame, tmp_path / "tree-model", "attrition-tree")
    ws.online_endpoints.create(name="why")
    try:
        ws.online_deployments.create(name="blue", endpoint_name="why", model="attrition-tree:1", explain=True)
        ws.online_endpoints.update("why", traffic={"blue": 100})
        job = ws.models.explain("attrition-tree:1", "employeeattrition", target="Attrition")
        done = ws.jobs.wait(job.name, timeout=240)
        assert done.status == "Completed", done.error

        explanation = ws.models.explanation("attrition-tree:1")
        record = dict(zip(explanation.raw.features, explanation.raw.data[0]))
        record["OverTime"] = "No" if record["OverTime"] == "Yes" else "Yes"
        answer = ws.online_endpoints.invoke("why", [record], explain="all")
        [output] = answer["explanation"]["outputs"]
        expected = output["base_value"] + sum(output["contributions"][0].values())

        page.goto(f"{studio}/models/attrition-tree/1")
        what_if = page.get_by_role("region", name="What-if")
        what_if.locator('input[name="OverTime"]').fill(record["OverTime"])
        what_if.get_by_role("button", name="Score through why / blue").click()
        result = what_if.get_by_test_id("what-if-result")
        expect(result).to_contain_text(f"Prediction: {answer['result'][0]}")
        edited = result.get_by_role("list", name="Contributions to the edited row")
        expect(edited.locator('li[data-feature="OverTime"]')).to_contain_text(f"= {record['OverTime']}")
        assert float(edited.get_by_test_id("waterfall-output").inner_text()) == pytest.approx(expected, rel=1e-3,
                                                                                              abs=1e-3)
        what_if.screenshot(path=str(tmp_path / "model-what-if-tree.png"))
        print(f"screenshots: {tmp_path}")
    finally:
        ws.online_endpoints.delete("why")

"""Inference pipelines on a real server: "create inference pipeline" from the workshop's completed training
run (CLI, SDK), the real-time one deployed as one model whose answers equal the run's Score Model output on
the same rows, the batch one run on another data asset version, and runs or drafts that cannot make one
refused with nothing saved."""

from __future__ import annotations

import copy

import httpx
import pandas as pd
import pytest

from modelyard.errors import Conflict, InvalidInput, NotFound

from tests.designer.conftest import WORKSHOP_DROPPED
from tests.designer.test_graph_rules import WORKSHOP
from tests.designer_api.test_submit import RUN_TIMEOUT, all_rows, finished
from tests.server_fixtures import run_cli

SCORED = ("Scored Labels", "Scored Probabilities")


def modules(draft):
    return {node.id: node.module for node in draft.graph.nodes}


def test_real_time_pipeline_deploys_and_answers_as_the_runs_score_model(trained, served):
    ws, run = trained
    _, _, root = served
    made = run_cli("designer", "create-inference", run, cwd=root)
    assert made.returncode == 0, made.stderr
    assert "saved real-time inference pipeline as designer draft attrition-real-time:1" in made.stdout
    draft = ws.designer_drafts.get("attrition-real-time")
    assert draft.kind == "real-time" and run in draft.description
    assert modules(draft) == {"hr": "dataset", "web_service_input": "web_service_input",
                              "select": "select_columns_in_dataset", "train": "trained_model", "score": "score_model",
                              "web_service_output": "web_service_output"}
    assert ws.designer_drafts.validate(draft.graph).valid

    deployed = run_cli("designer", "deploy", "attrition-real-time", "--endpoint", "attrition-designer", cwd=root,
                       timeout=RUN_TIMEOUT)
    assert deployed.returncode == 0, deployed.stderr
    model = ws.models.get("attrition-real-time")
    assert model.tags["designer_draft"] == "attrition-real-time:1" and "sklearn" in " ".join(model.flavors)

    steps = {child.step: child for child in ws.jobs.children(run)}
    columns, rows = all_rows(ws, steps["score"].name, "scored_dataset")
    scored = pd.DataFrame(rows, columns=columns)
    body = scored.drop(columns=["Attrition", *SCORED]).to_dict(orient="records")  # the workshop's request shape
    assert not set(WORKSHOP_DROPPED) & set(body[0])
    endpoint = ws.online_endpoints.get("attrition-designer")
    key = ws.online_endpoints.get_credentials("attrition-designer").primary_key
    url = str(ws._api.http.base_url).rstrip("/") + endpoint.scoring_uri
    answer = httpx.post(url, json={"data": body}, headers={"Authorization": f"Bearer {key}"}, timeout=120)
    assert answer.status_code == 200, answer.text
    assert answer.json()["result"] == list(scored["Scored Labels"])


def test_batch_pipeline_runs_on_another_data_asset_version(trained, hr_csv, tmp_path):
    ws, run = trained
    draft = ws.designer_drafts.create_inference(run, batch=True, name="attrition-batch")
    assert (draft.name, draft.kind) == ("attrition-batch", "batch")
    assert modules(draft) == {"hr": "dataset", "select": "select_columns_in_dataset", "train": "trained_model",
                              "score": "score_model"}
    subset = tmp_path / "hr-head.csv"
    pd.read_csv(hr_csv, encoding="utf-8-sig").head(100).to_csv(subset, index=False)
    later = ws.data.create(name="employeeattrition", type="mltable", path=str(subset), profile=False)
    assert later.version == 2
    with pytest.raises(InvalidInput, match="has no dataset node score; its dataset nodes are: hr"):
        ws.designer_drafts.submit("attrition-batch", compute="cpu-cluster", data={"score": "employeeattrition:2"})
    job = ws.designer_drafts.submit("attrition-batch", compute="cpu-cluster", data={"hr": "employeeattrition:2"})
    steps = finished(ws, job)
    assert set(steps) == {"select", "score"}  # the trained model is read, not trained again
    columns, rows = all_rows(ws, steps["score"].name, "scored_dataset")
    assert len(rows) == 100
    training = all_rows(ws, {c.step: c for c in ws.jobs.children(run)}["score"].name, "scored_dataset")[1]
    label, features = columns.index("Scored Labels"), slice(0, columns.index("Scored Labels"))
    training_scores = {tuple(r[features]): r[label] for r in training}  # the run's held-out rows, scored
    overlap = [(tuple(r[features]), r[label]) for r in rows if tuple(r[features]) in training_scores]
    assert overlap and all(training_scores[row] == scored for row, scored in overlap)


def test_runs_and_drafts_that_cannot_make_an_inference_pipeline_are_refused(trained, served):
    ws, run = trained
    _, _, root = served
    before = [(d.name, d.version) for d in ws.designer_drafts.list()]
    with pytest.raises(NotFound, match="job 'no-such-run' not found"):
        ws.designer_drafts.create_inference("no-such-run")
    step = next(child for child in ws.jobs.children(run) if child.step == "train")
    with pytest.raises(InvalidInput, match=f"job '{step.name}' is not a Designer training run"):
        ws.designer_drafts.create_inference(step.name)

    canceled = ws.designer_drafts.submit("attrition", compute="cpu-cluster", force_rerun=True)
    ws.jobs.cancel(canceled.name)
    assert ws.jobs.wait(canceled.name, timeout=RUN_TIMEOUT).status in ("Canceled", "Failed")
    refused = run_cli("designer", "create-inference", canceled.name, cwd=root)
    assert refused.returncode != 0 and f"training run '{canceled.name}' is" in refused.stderr
    assert "once the run has completed" in refused.stderr and "Traceback" not in refused.stderr

    graph = copy.deepcopy(WORKSHOP)
    graph["nodes"] = graph["nodes"][:2]
    graph["edges"] = graph["edges"][:1]
    ws.designer_drafts.create({"name": "select-only", "graph": graph})
    select_run = ws.designer_drafts.submit("select-only", compute="cpu-cluster")
    finished(ws, select_run)
    with pytest.raises(InvalidInput, match="designer draft select-only:1 .* trains no model"):
        ws.designer_drafts.create_inference(select_run.name)
    with pytest.raises(InvalidInput, match="designer draft select-only:1 is a training pipeline, not a real-time"):
        ws.designer_drafts.register_model("select-only")
    after = sorted((d.name, d.version) for d in ws.designer_drafts.list())
    assert after == sorted(before + [("select-only", 1)])  # no inference draft was half-made


def test_fitted_transformations_travel_into_the_batch_run_and_the_deployed_model(trained, hr_csv):
    """The workshop with Normalize Data before Split: its batch pipeline applies the run's fitted transformation
    to every row (matching the run's Score Model on its held-out rows), and the deployed model answers the raw
    rows as that batch run does."""
    from tests.designer.test_inference_graph import normalized_workshop

    ws, _ = trained
    ws.designer_drafts.create({"name": "normalized", "graph": normalized_workshop()})
    run = ws.designer_drafts.submit("normalized", compute="cpu-cluster")
    training = finished(ws, run)
    batch = ws.designer_drafts.create_inference(run.name, batch=True)
    assert modules(batch)["normalize"] == "apply_transformation"
    applied = finished(ws, ws.designer_drafts.submit(batch.name, compute="cpu-cluster",
                                                     data={"hr": "employeeattrition:1"}))
    assert set(applied) == {"select", "normalize", "score"}
    columns, every_row = all_rows(ws, applied["score"].name, "scored_dataset")
    _, held_out = all_rows(ws, training["score"].name, "scored_dataset")
    label = columns.index("Scored Labels")
    by_row = {tuple(r[:label]): r[label] for r in every_row}
    assert len(every_row) == 1470 and all(by_row[tuple(r[:label])] == r[label] for r in held_out)

    real_time = ws.designer_drafts.create_inference(run.name)
    model = ws.designer_drafts.register_model(real_time.name, model_name="normalized-attrition")
    ws.online_endpoints.deploy_model("normalized-designer", f"{model.name}:{model.version}")
    raw = pd.read_csv(hr_csv, encoding="utf-8-sig").drop(columns=["Attrition", *WORKSHOP_DROPPED])
    answer = ws.online_endpoints.invoke("normalized-designer", raw.to_dict(orient="records"))
    assert answer["result"] == [r[label] for r in every_row]
    proba = ws.online_endpoints.invoke("normalized-designer", raw.head(3).to_dict(orient="records"), proba=True)
    assert [p[1] for p in proba["result"]] == pytest.approx([r[label + 1] for r in every_row[:3]])


def test_a_drafts_run_history_lists_its_runs_and_no_other_drafts(trained):
    ws, run = trained
    history = ws.designer_drafts.runs("attrition")
    assert run in [job.name for job in history]
    assert all(job.tags["designer_draft"].startswith("attrition:") for job in history)
    assert next(job for job in history if job.name == run).status == "Completed"
    assert [job.created_at for job in history] == sorted((job.created_at for job in history), reverse=True)
    ws.designer_drafts.create({"name": "attritio_", "graph": {"nodes": [], "edges": []}, "allow_problems": True})
    assert ws.designer_drafts.runs("attritio_") == []  # '_' matches any character in SQL LIKE, not here
    with pytest.raises(NotFound, match="designer draft no-such-draft not found"):
        ws.designer_drafts.runs("no-such-draft")


def test_cleaning_and_binning_deploy_as_one_model_that_answers_as_the_runs_score_model(trained, hr_csv, tmp_path):
    """The workshop with Clean Missing Data (a custom value, with indicator columns) and Group Data into Bins
    before Split, on HR rows with gaps: the deployed model, compiled, answers the held-out rows over REST (their
    gaps restored from the indicator columns) as the run's Score Model did. That the served model takes the
    compiled path is asserted in tests/designer/test_inference_graph.py."""
    from tests.designer.test_inference_graph import CLEANING, with_missing_values, workshop_with

    ws, _ = trained
    with_missing_values(pd.read_csv(hr_csv, encoding="utf-8-sig")).to_csv(tmp_path / "gaps.csv", index=False)
    ws.data.create(name="attrition-gaps", type="mltable", path=str(tmp_path / "gaps.csv"), profile=False)
    cleaned = ["MonthlyIncome", "DistanceFromHome"]
    graph = workshop_with(
        {"id": "clean", "module": "clean_missing_data", "parameters": {"columns_to_be_cleaned": cleaned, **CLEANING[1]}},
        {"id": "bins", "module": "group_data_into_bins",
         "parameters": {"columns_to_bin": ["Age", "TotalWorkingYears"], "number_of_bins": 4}})
    graph["nodes"][0]["parameters"]["asset"] = "attrition-gaps:1"
    ws.designer_drafts.create({"name": "gaps", "graph": graph})
    run = ws.designer_drafts.submit("gaps", compute="cpu-cluster")
    training = finished(ws, run)
    model = ws.designer_drafts.register_model(ws.designer_drafts.create_inference(run.name).name,
                                              model_name="gaps-attrition")
    ws.online_endpoints.deploy_model("gaps-designer", f"{model.name}:{model.version}")

    columns, held_out = all_rows(ws, training["score"].name, "scored_dataset")
    scored = pd.DataFrame(held_out, columns=columns)
    body = scored.drop(columns=["Attrition", *SCORED, "Age_quantized", "TotalWorkingYears_quantized"])
    for name in cleaned:  # the request's gaps, where the run filled in -1
        body[name] = body[name].astype(object).mask(body.pop(f"{name}_isMissing").astype(bool), None)
    assert body["MonthlyIncome"].isna().any()
    answer = ws.online_endpoints.invoke("gaps-designer", body.to_dict(orient="records"))
    assert answer["result"] == list(scored["Scored Labels"])

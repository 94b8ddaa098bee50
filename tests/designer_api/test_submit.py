"""Submitting a Designer draft on a real server: its steps run the built-in modules on a cluster, every
output port reads back over REST, a resubmit with one parameter changed reruns only that module and what
is downstream of it, and drafts that cannot run are refused before anything is created."""

from __future__ import annotations

import copy
import time
import re

import pytest
import yaml
from sklearn.metrics import accuracy_score

from modelyard.errors import Conflict, InvalidGraph, InvalidInput, NotFound

from tests.designer.conftest import WORKSHOP_DROPPED
from tests.designer.test_graph_rules import WORKSHOP
from tests.server_fixtures import run_cli

RUN_TIMEOUT = 600  # seconds; six fresh step processes on a shared machine


def steps_of(ws, job_name):
    return {child.step: child for child in ws.jobs.children(job_name)}


def finished(ws, job):
    done = ws.jobs.wait(job.name, timeout=RUN_TIMEOUT)
    assert done.status == "Completed", [(s.step, s.status, s.error) for s in steps_of(ws, job.name).values()]
    return steps_of(ws, job.name)


def all_rows(ws, step_job, port):
    first = ws.designer_drafts.read_port(step_job, port, limit=500)
    rows = list(first["rows"])
    while len(rows) < first["total"]:
        rows += ws.designer_drafts.read_port(step_job, port, offset=len(rows), limit=500)["rows"]
    return [c["name"] for c in first["columns"]], rows


def test_the_workshop_draft_runs_and_a_changed_parameter_reruns_only_downstream(cluster):
    ws = cluster
    job = ws.designer_drafts.submit("attrition", compute="cpu-cluster", experiment_name="designer")
    assert (job.type, job.experiment_name, job.tags["designer_draft"]) == ("pipeline", "designer", "attrition:1")
    steps = finished(ws, job)
    assert set(steps) == {"select", "split", "lr", "train", "score", "evaluate"}  # the dataset node is an input
    workers = {re.search(r"running the module in worker process (\d+)", ws.jobs.logs(s.name)["text"])[1]
               for s in steps.values()}
    assert len(workers) == 1  # one warm worker ran every module: no interpreter per step

    selected = ws.designer_drafts.read_port(steps["select"].name, "results_dataset", limit=5)
    names = [c["name"] for c in selected["columns"]]
    assert selected["total"] == 1470 and len(selected["rows"]) == 5 and len(selected["rows"][0]) == len(names)
    assert not set(WORKSHOP_DROPPED) & set(names) and "Attrition" in names
    profile = {c.name: c for c in ws.designer_drafts.profile_port(steps["select"].name, "results_dataset").columns}
    assert profile["Age"].min == 18 and profile["Age"].max == 60 and profile["Age"].missing == 0
    assert set(profile) == set(names)
    with pytest.raises(InvalidInput, match="only dataset ports have a column profile"):
        ws.designer_drafts.profile_port(steps["evaluate"].name, "evaluation_results")
    left = ws.designer_drafts.read_port(steps["split"].name, "results_dataset1", limit=1)
    right = ws.designer_drafts.read_port(steps["split"].name, "results_dataset2", limit=1)
    assert (left["total"], right["total"]) == (1029, 441)  # 0.7 of 1470 rows to the left port

    columns, scored = all_rows(ws, steps["score"].name, "scored_dataset")
    truth = [row[columns.index("Attrition")] for row in scored]
    predicted = [row[columns.index("Scored Labels")] for row in scored]
    evaluation = ws.designer_drafts.read_port(steps["evaluate"].name, "evaluation_results")
    assert evaluation["type"] == "EvaluationResult"
    assert evaluation["value"]["left"]["metrics"]["Accuracy"] == pytest.approx(accuracy_score(truth, predicted))
    model = ws.designer_drafts.read_port(steps["train"].name, "trained_model")["value"]
    assert model["label_column"] == "Attrition"
    with pytest.raises(NotFound, match="its outputs are: results_dataset1, results_dataset2"):
        ws.designer_drafts.read_port(steps["split"].name, "results_dataset3")

    graph = copy.deepcopy(WORKSHOP)
    next(n for n in graph["nodes"] if n["id"] == "lr")["parameters"] = {"l2_regularization_weight": 0.1}
    ws.designer_drafts.create({"name": "attrition", "graph": graph})
    again = finished(ws, ws.designer_drafts.submit("attrition", compute="cpu-cluster"))
    assert {step for step, child in again.items() if child.reused_from} == {"select", "split"}
    assert again["select"].reused_from == steps["select"].name
    learner = ws.designer_drafts.read_port(again["lr"].name, "untrained_model")["value"]
    assert learner["parameters"]["l2_regularization_weight"] == 0.1


def test_a_draft_that_cannot_run_is_refused_before_any_job_exists(cluster, hr_csv):
    ws = cluster
    before = len(ws.jobs.list())
    with pytest.raises(InvalidInput, match="compute 'gone' does not exist"):
        ws.designer_drafts.submit("attrition", compute="gone")
    ws.compute.create(name="short-lived", type="cluster", max_instances=1)
    ws.compute.delete("short-lived")
    with pytest.raises(InvalidInput, match="compute 'short-lived' does not exist"):
        ws.designer_drafts.submit("attrition", compute="short-lived")
    later = ws.data.create(name="hr_later", type="mltable", path=str(hr_csv), profile=False)
    graph = copy.deepcopy(WORKSHOP)
    graph["nodes"][0]["parameters"] = {"asset": "hr_later:1"}
    ws.designer_drafts.create({"name": "later", "graph": graph})
    ws.data.archive(later.name, later.version)  # archived after the draft was saved
    with pytest.raises(InvalidGraph) as refused:
        ws.designer_drafts.submit("later", compute="cpu-cluster")
    assert [(p["rule"], p["node"]) for p in refused.value.problems] == [("archived_dataset", "hr")]
    assert len(ws.jobs.list()) == before


RAISING_SCRIPT = """
def azureml_main(dataframe1=None, dataframe2=None):
    raise ValueError("the script found no Age column it liked")
"""


def test_a_raising_script_fails_its_step_with_the_traceback_and_independent_branches_finish(cluster, served):
    ws = cluster
    _, _, root = served
    graph = copy.deepcopy(WORKSHOP)
    graph["nodes"].append({"id": "script", "module": "execute_python_script",
                           "parameters": {"python_script": RAISING_SCRIPT}})
    graph["nodes"].append({"id": "after", "module": "select_columns_in_dataset",
                           "parameters": {"select_columns": ["Age"]}})
    graph["edges"] += [{"source": "hr", "source_port": "output", "target": "script", "target_port": "dataframe1"},
                       {"source": "script", "source_port": "result_dataset", "target": "after",
                        "target_port": "dataset"}]
    ws.designer_drafts.create({"name": "scripted", "graph": graph})
    submitted = run_cli("designer", "submit", "scripted", "--compute", "cpu-cluster", "--continue-on-step-failure",
                        "--wait", cwd=root, timeout=RUN_TIMEOUT)
    assert submitted.returncode == 1, submitted.stderr
    job = ws.jobs.get(submitted.stdout.strip())
    steps = steps_of(ws, job.name)
    assert (job.status, steps["script"].status, steps["after"].status) == ("Failed", "Failed", "Canceled")
    log = ws.jobs.logs(steps["script"].name)["text"]
    assert 'File "<python_script>", line 3, in azureml_main' in log  # the script's own frame
    assert "ValueError: the script found no Age column it liked" in steps["script"].error
    assert steps["evaluate"].status == "Completed"  # the workshop's branch does not depend on the script


SLEEPING_SCRIPT = """
import time
def azureml_main(dataframe1=None, dataframe2=None):
    time.sleep(120)
    return dataframe1
"""


def worker_pid(ws, step_job):
    return re.search(r"running the module in worker process (\d+)", ws.jobs.logs(step_job)["text"])[1]


def test_canceling_a_step_mid_computation_ends_it_and_a_fresh_worker_takes_the_next_run(cluster):
    ws = cluster
    graph = {"nodes": [WORKSHOP["nodes"][0], {"id": "sleepy", "module": "execute_python_script",
                                              "parameters": {"python_script": SLEEPING_SCRIPT}}],
             "edges": [{"source": "hr", "source_port": "output", "target": "sleepy", "target_port": "dataframe1"}]}
    ws.designer_drafts.create({"name": "sleepy", "graph": graph})
    job = ws.designer_drafts.submit("sleepy", compute="cpu-cluster")
    deadline = time.monotonic() + RUN_TIMEOUT
    while "worker process" not in ws.jobs.logs((step := steps_of(ws, job.name)["sleepy"]).name)["text"]:
        assert time.monotonic() < deadline, "the step never started"
        time.sleep(0.2)
    sleeping_in = worker_pid(ws, step.name)
    with pytest.raises(Conflict, match="output 'result_dataset' exists once it completes"):
        ws.designer_drafts.read_port(step.name, "result_dataset")
    ws.jobs.cancel(step.name)
    assert ws.jobs.wait(job.name, timeout=60).status in ("Failed", "Canceled")
    assert ws.jobs.get(step.name).status == "Canceled"
    after = finished(ws, ws.designer_drafts.submit("attrition", compute="cpu-cluster", force_rerun=True))
    assert worker_pid(ws, after["select"].name) != sleeping_in  # the worker that held the sleeper retired


def test_a_yaml_pipeline_of_builtin_components_runs_like_a_draft(cluster, served):
    ws = cluster
    _, _, root = served
    pipeline = {"type": "pipeline", "experiment_name": "yaml-designer", "settings": {"default_compute": "cpu-cluster"},
                "jobs": {"select": {"component": "azureml:select_columns_in_dataset:1",
                                    "inputs": {"dataset": {"type": "mltable", "path": "azureml:employeeattrition:1"},
                                               "select_columns": ["Age", "Attrition"]}},
                         "split": {"component": "azureml://registries/azureml/components/split_data/labels/default",
                                   "inputs": {"dataset": "${{parent.jobs.select.outputs.results_dataset}}",
                                              "fraction_of_rows_in_the_first_output_dataset": 0.5}}}}
    (root / "builtin-pipeline.yml").write_text(yaml.safe_dump(pipeline))
    created = run_cli("job", "create", "-f", str(root / "builtin-pipeline.yml"), "--wait", cwd=root,
                      timeout=RUN_TIMEOUT)
    assert created.returncode == 0, created.stderr
    steps = steps_of(ws, created.stdout.strip())
    left = ws.designer_drafts.read_port(steps["split"].name, "results_dataset1", limit=3)
    assert [c["name"] for c in left["columns"]] == ["Age", "Attrition"] and left["total"] == 735
    broken = copy.deepcopy(pipeline)
    broken["jobs"]["split"]["inputs"]["fraction_of_rows_in_the_first_output_dataset"] = 2
    with pytest.raises(InvalidInput, match="jobs.split: .*Split Data"):
        ws.jobs.create(broken)
    broken["jobs"]["split"]["inputs"] = {"dataset": "${{parent.jobs.select.outputs.results_dataset}}", "fraction": 1}
    with pytest.raises(InvalidInput, match="Split Data has no input port or parameter fraction"):
        ws.jobs.create(broken)

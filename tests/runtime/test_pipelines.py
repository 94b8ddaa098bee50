"""Pipeline jobs: a DAG of steps as child jobs, wired output to input, with reuse and failure rules."""

import textwrap
import time
from pathlib import Path

import pytest
import yaml

from modelyard.errors import InvalidInput

TIMEOUT = 600  # a hang guard under pytest-timeout's 900 s: a loaded machine may take this long

PREP = """
import sys
from pathlib import Path
source, out = Path(sys.argv[1]), Path(sys.argv[2])
lines = next(source.rglob("*.csv")).read_text(encoding="utf-8-sig").splitlines()
(out / "clean.csv").write_text("\\n".join(lines[:101]))
print("prepared", len(lines) - 1)
"""
TRAIN = """
import sys, time
from pathlib import Path
import mlflow
start = time.time()
rows = len(next(Path(sys.argv[1]).rglob("*.csv")).read_text().splitlines()) - 1
mlflow.log_metric("rows", rows)
time.sleep(float(sys.argv[2]))
print("span", start, time.time())
"""


@pytest.fixture
def code(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    (folder / "prep.py").write_text(textwrap.dedent(PREP))
    (folder / "train.py").write_text(textwrap.dedent(TRAIN))
    (folder / "fail.py").write_text("raise SystemExit('step failed on purpose')\n")
    return folder


def pipeline(code: Path, compute: str = "cpucluster", **extra) -> dict:
    return {
        "type": "pipeline", "experiment_name": "pipelines", "display_name": "prep then train",
        "inputs": {"raw": "azureml:employeeattrition:1"},
        "settings": {"default_compute": compute},
        "jobs": {
            "prep": {"command": "python prep.py ${{inputs.raw}} ${{outputs.clean}}", "code": str(code),
                     "inputs": {"raw": "${{parent.inputs.raw}}"}, "outputs": {"clean": {"type": "uri_folder"}}},
            "train": {"command": "python train.py ${{inputs.data}} 2", "code": str(code),
                      "inputs": {"data": "${{parent.jobs.prep.outputs.clean}}"}},
            "audit": {"command": "python train.py ${{inputs.data}} 2.0", "code": str(code),
                      "inputs": {"data": "${{parent.jobs.prep.outputs.clean}}"}},
        },
        **extra,
    }


def children(ws, name):
    return {c.step: c for c in ws.jobs.children(name)}


def spans(ws, name: str) -> tuple[float, float]:
    line = next(l for l in ws.jobs.logs(name)["text"].splitlines() if l.startswith("span"))
    return float(line.split()[1]), float(line.split()[2])


def test_steps_run_as_child_jobs_in_parallel_and_are_reused(running, code: Path):
    root, ws = running
    ws.compute.create(name="warm", type="cluster", min_instances=2, max_instances=2)
    parent = ws.jobs.wait(ws.jobs.create(pipeline(code, compute="warm")).name, timeout=TIMEOUT)
    steps = children(ws, parent.name)
    assert parent.status == "Completed", {s: (c.status, c.error) for s, c in steps.items()}
    assert {s: c.status for s, c in steps.items()} == {"prep": "Completed", "train": "Completed", "audit": "Completed"}
    assert ws.jobs.get(steps["train"].name).metrics == {"rows": 100.0}
    (train_start, train_end), (audit_start, audit_end) = spans(ws, steps["train"].name), spans(ws, steps["audit"].name)
    assert train_start < audit_end and audit_start < train_end, "independent steps should overlap on a 2-node cluster"

    import mlflow

    client = mlflow.MlflowClient(tracking_uri=f"sqlite:///{root / '.modelyard' / 'mlflow.db'}")
    assert client.get_run(steps["prep"].mlflow_run_id).data.tags["mlflow.parentRunId"] == parent.mlflow_run_id

    ws.compute.delete("warm")
    again = ws.jobs.wait(ws.jobs.create(pipeline(code)).name, timeout=TIMEOUT)
    reused = children(ws, again.name)
    assert again.status == "Completed"
    assert {s: c.reused_from for s, c in reused.items()} == {s: c.name for s, c in steps.items()}
    # a reused step took no time of its own: it does not claim the earlier run's start
    assert all(c.started_at >= c.created_at and c.duration_seconds == 0 for c in reused.values())

    changed = pipeline(code)
    changed["jobs"]["train"]["command"] = "python train.py ${{inputs.data}} 1"
    third = children(ws, ws.jobs.wait(ws.jobs.create(changed).name, timeout=TIMEOUT).name)
    assert third["prep"].reused_from == steps["prep"].name and third["audit"].reused_from == steps["audit"].name
    assert third["train"].reused_from is None and third["train"].status == "Completed"


def test_a_failing_step_cancels_what_depends_on_it(running, code: Path):
    _, ws = running
    spec = pipeline(code, settings={"default_compute": "cpucluster", "force_rerun": True})
    spec["jobs"]["prep"]["command"] = "python fail.py ${{inputs.raw}} ${{outputs.clean}}"
    parent = ws.jobs.wait(ws.jobs.create(spec).name, timeout=TIMEOUT)
    steps = children(ws, parent.name)
    assert parent.status == "Failed" and "prep" in parent.error and "step failed on purpose" in parent.error
    assert steps["prep"].status == "Failed"
    assert steps["train"].status == steps["audit"].status == "Canceled"


def test_continue_on_step_failure_lets_independent_branches_finish(running, code: Path):
    _, ws = running
    spec = pipeline(code, settings={"default_compute": "cpucluster", "continue_on_step_failure": True,
                                    "force_rerun": True})
    spec["jobs"]["audit"]["command"] = "python fail.py"
    spec["jobs"]["report"] = {"command": "python train.py ${{inputs.data}} 0", "code": str(code),
                              "inputs": {"data": "${{parent.jobs.prep.outputs.clean}}"}}
    parent = ws.jobs.wait(ws.jobs.create(spec).name, timeout=TIMEOUT)
    steps = children(ws, parent.name)
    assert steps["audit"].status == "Failed"
    assert steps["train"].status == steps["report"].status == "Completed"
    assert parent.status == "Failed" and "audit" in parent.error


def test_registered_component_as_a_step(running, code: Path, tmp_path: Path):
    _, ws = running
    component = tmp_path / "prep_component.yml"
    component.write_text(yaml.safe_dump({
        "name": "prep_attrition", "display_name": "Prepare attrition data", "type": "command",
        "code": str(code), "command": "python prep.py ${{inputs.raw}} ${{outputs.clean}}",
        "inputs": {"raw": {"type": "mltable"}}, "outputs": {"clean": {"type": "uri_folder"}},
    }))
    created = ws.components.create(component)
    assert (created.name, created.version) == ("prep_attrition", 1)
    spec = pipeline(code)
    spec["jobs"]["prep"] = {"component": "azureml:prep_attrition:1", "inputs": {"raw": "${{parent.inputs.raw}}"}}
    spec["settings"]["force_rerun"] = True
    del spec["jobs"]["audit"]
    parent = ws.jobs.wait(ws.jobs.create(spec).name, timeout=TIMEOUT)
    steps = children(ws, parent.name)
    assert parent.status == "Completed", {s: c.error for s, c in steps.items()}
    assert steps["prep"].tags["component"] == "prep_attrition:1"
    assert ws.jobs.get(steps["train"].name).metrics == {"rows": 100.0}


@pytest.mark.parametrize("mutate, fragment", [
    (lambda s: s["jobs"]["train"]["inputs"].update(data="${{parent.jobs.nope.outputs.clean}}"), "no step named 'nope'"),
    (lambda s: s["jobs"]["train"]["inputs"].update(data="${{parent.jobs.prep.outputs.dirty}}"), "no output 'dirty'"),
    (lambda s: s["jobs"]["train"]["inputs"].update(data="${{parent.inputs.missing}}"), "no input 'missing'"),
    (lambda s: s["jobs"]["prep"]["inputs"].update(raw="${{parent.jobs.train.outputs.model}}")
     or s["jobs"]["train"].update(outputs={"model": {"type": "uri_folder"}}), "cycle"),
    (lambda s: s["jobs"]["prep"].update(compute="nowhere"), "nowhere"),
    (lambda s: s["jobs"].update(x={"component": "azureml:missing_component:1"}), "missing_component"),
])
def test_invalid_graphs_are_refused_with_a_fix(mutate, fragment, running, code: Path):
    _, ws = running
    spec = pipeline(code)
    mutate(spec)
    before = len(ws.jobs.list(limit=1000))
    with pytest.raises(InvalidInput, match=fragment):
        ws.jobs.create(spec)
    assert len(ws.jobs.list(limit=1000)) == before


def test_cancel_a_pipeline_cancels_its_steps(running, code: Path):
    _, ws = running
    spec = pipeline(code, settings={"default_compute": "cpucluster", "force_rerun": True})
    spec["jobs"]["prep"]["command"] = "sleep 60; python prep.py ${{inputs.raw}} ${{outputs.clean}}"
    name = ws.jobs.create(spec).name
    deadline = time.monotonic() + TIMEOUT
    while children(ws, name)["prep"].status != "Running" and time.monotonic() < deadline:
        time.sleep(0.3)
    ws.jobs.cancel(name)
    deadline = time.monotonic() + 60
    while any(c.status not in ("Canceled", "Completed", "Failed") for c in children(ws, name).values()) \
            and time.monotonic() < deadline:
        time.sleep(0.3)
    assert ws.jobs.get(name).status == "Canceled"
    assert {c.status for c in children(ws, name).values()} == {"Canceled"}

"""Lineage over a real server: a model traced back to its data version through the job that trained it."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import httpx
import pytest

from server_fixtures import run_cli

WRITE_OUTPUTS = """
    import pickle
    import sys
    from pathlib import Path

    data, model, scores = (Path(p) for p in sys.argv[1:4])
    rows = next(data.rglob("*.csv")).read_text(encoding="utf-8-sig").splitlines()
    (model / "model.pkl").write_bytes(pickle.dumps({"rows": len(rows)}))
    (scores / "scores.csv").write_text("row,score\\n1,0.5\\n")
"""


@pytest.fixture(scope="module")
def trained(served, hr_csv: Path, tmp_path_factory):
    """(info, ws, job name): data 'hr:1' read by a command job that wrote model 'attrition' v1 and data 'scores';
    the model deployed as batch deployment 'nightly' of batch endpoint 'scoring'."""
    info, ws, _ = served
    ws.data.create(name="hr", type="mltable", path=str(hr_csv))
    code = tmp_path_factory.mktemp("lineage-code")
    (code / "train.py").write_text(textwrap.dedent(WRITE_OUTPUTS))
    job = ws.jobs.create({"type": "command", "code": str(code),
                          "command": "python train.py ${{inputs.data}} ${{outputs.model}} ${{outputs.scores}}",
                          "inputs": {"data": "azureml:hr:1"},
                          "outputs": {"model": {"type": "uri_folder"},
                                      "scores": {"type": "uri_folder", "name": "scores"}}})
    done = ws.jobs.wait(job.name, timeout=240)
    assert done.status == "Completed", ws.jobs.logs(job.name)["text"]
    ws.models.create(name="attrition", path=f"job:{job.name}/outputs/model")
    ws.batch_endpoints.create_or_update(name="scoring")
    ws.batch_deployments.create(name="nightly", endpoint_name="scoring", model="attrition:1")
    return info, ws, job.name


def test_a_model_leads_back_to_its_data_version_through_its_job(trained):
    _, ws, job = trained
    graph = ws.lineage("model:attrition:1", depth=2)
    assert graph.root == "model:attrition:1"
    kinds = {node.id: node.kind for node in graph.nodes}
    assert kinds == {"model:attrition:1": "model", f"job:{job}": "job", "data:hr:1": "data", "data:scores:1": "data",
                     "batch-deployment:scoring/nightly": "batch-deployment", "batch-endpoint:scoring": "batch-endpoint"}
    edges = {(edge.source, edge.type, edge.target) for edge in graph.edges}
    assert edges == {(f"job:{job}", "produced", "model:attrition:1"), ("data:hr:1", "input", f"job:{job}"),
                     (f"job:{job}", "output", "data:scores:1"),
                     ("model:attrition:1", "deployed", "batch-deployment:scoring/nightly"),
                     ("batch-deployment:scoring/nightly", "serves", "batch-endpoint:scoring")}
    assert next(n for n in graph.nodes if n.kind == "job").attributes["status"] == "Completed"

    assert {n.id for n in ws.lineage("model:attrition", depth=1).nodes} == \
        {"model:attrition:1", f"job:{job}", "batch-deployment:scoring/nightly"}
    from_endpoint = ws.lineage("batch-endpoint:scoring", depth=4)
    assert {"data:hr:1", f"job:{job}", "model:attrition:1"} <= {n.id for n in from_endpoint.nodes}
    downstream = ws.lineage("data:hr@latest", depth=2)
    assert ("data:hr:1", "input", f"job:{job}") in {(e.source, e.type, e.target) for e in downstream.edges}
    assert "model:attrition:1" in {n.id for n in downstream.nodes}
    assert [n.id for n in ws.lineage(f"job:{job}", depth=0).nodes] == [f"job:{job}"]


def test_cli_prints_the_graph(trained, served):
    _, _, location = served
    _, _, job = trained
    shown = run_cli("lineage", "model:attrition:1", "--depth", "2", "-o", "json", cwd=location.root)
    assert shown.returncode == 0, shown.stderr
    assert {"source": "data:hr:1", "target": f"job:{job}", "type": "input"} in json.loads(shown.stdout)["edges"]
    table = run_cli("lineage", "data:hr:1", cwd=location.root)
    assert table.returncode == 0 and "model:attrition:1" in table.stdout


@pytest.mark.parametrize("node, depth, status, says", [
    ("model:no-such-model", 2, 404, "node model:no-such-model not found"),
    ("job:no-such-job", 2, 404, "node job:no-such-job not found"),
    ("data:hr:99", 2, 404, "node data:hr:99 not found"),
    ("pipeline:x", 2, 400, "kind one of data, job"),
    ("model", 2, 400, "kind:name[:version]"),
    ("model:attrition:two", 2, 400, "version must be a number or 'latest'"),
    ("online-deployment:ep", 2, 400, "endpoint/deployment"),
    ("model:attrition:1", 11, 400, "depth must be between 0 and 10"),
])
def test_bad_nodes_are_named(trained, node, depth, status, says):
    info, _, _ = trained
    answer = httpx.get(f"{info.url}/api/lineage", params={"node": node, "depth": depth})
    assert answer.status_code == status
    assert says in answer.json()["detail"]


def test_a_pipeline_shows_its_steps_their_component_and_what_they_read(trained, tmp_path):
    _, ws, _ = trained
    (tmp_path / "count.py").write_text("import sys, pathlib\nprint(len(list(pathlib.Path(sys.argv[1]).rglob('*'))))\n")
    ws.components.create({"name": "count_files", "type": "command", "code": str(tmp_path),
                          "command": "python count.py ${{inputs.raw}}", "inputs": {"raw": {"type": "mltable"}}})
    parent = ws.jobs.wait(ws.jobs.create({
        "type": "pipeline", "experiment_name": "lineage", "inputs": {"raw": "azureml:hr:1"},
        "jobs": {"count": {"component": "azureml:count_files:1", "inputs": {"raw": "${{parent.inputs.raw}}"}}},
    }).name, timeout=240)
    assert parent.status == "Completed", ws.jobs.logs(parent.name)["text"]
    step = next(iter(ws.jobs.children(parent.name))).name
    graph = ws.lineage(f"job:{parent.name}", depth=1)
    edges = {(edge.source, edge.type, edge.target) for edge in graph.edges}
    assert (f"job:{parent.name}", "step", f"job:{step}") in edges
    assert ("data:hr:1", "input", f"job:{parent.name}") in edges
    around_step = {(e.source, e.type, e.target) for e in ws.lineage(f"job:{step}", depth=1).edges}
    assert {("data:hr:1", "input", f"job:{step}"), ("component:count_files:1", "runs", f"job:{step}")} <= around_step
    assert ("component:count_files:1", "runs", f"job:{step}") in \
        {(e.source, e.type, e.target) for e in ws.lineage("component:count_files", depth=1).edges}

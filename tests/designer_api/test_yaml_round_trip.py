"""Designer drafts as pipeline YAML on a real server: `designer export` writes a document that `job create -f`
runs, `designer import` recreates an equal graph (export -> import -> export is identical), and an imported
graph that breaks a rule is refused with each problem named and nothing saved."""

from __future__ import annotations

import httpx
import yaml

from tests.designer_api.test_submit import RUN_TIMEOUT, steps_of
from tests.server_fixtures import run_cli


def test_export_import_export_is_identical_and_the_export_runs_as_a_job(cluster, served):
    ws = cluster
    _, _, root = served
    ws.designer_drafts.promote_parameter("attrition", "split", "fraction_of_rows_in_the_first_output_dataset",
                                         as_name="fraction", default=0.5)
    exported = run_cli("designer", "export", "attrition", "-o", str(root / "pipeline.yml"), cwd=root)
    assert exported.returncode == 0, exported.stderr
    imported = run_cli("designer", "import", "-f", str(root / "pipeline.yml"), "--name", "attrition-copy", cwd=root)
    assert imported.returncode == 0, imported.stderr
    assert "saved designer draft attrition-copy:1 (7 nodes)" in imported.stdout
    again = run_cli("designer", "export", "attrition-copy", cwd=root)
    text = (root / "pipeline.yml").read_text()
    assert again.stdout == text.replace("display_name: attrition\n", "display_name: attrition-copy\n")
    original, copy = ws.designer_drafts.get("attrition"), ws.designer_drafts.get("attrition-copy")
    assert copy.graph.parameters == original.graph.parameters == {"fraction": 0.5}
    assert sorted(map(repr, copy.graph.nodes)) == sorted(map(repr, original.graph.nodes))
    assert sorted(map(repr, copy.graph.edges)) == sorted(map(repr, original.graph.edges))

    document = yaml.safe_load(text)
    document["settings"] = {"default_compute": "cpu-cluster"}
    (root / "pipeline-job.yml").write_text(yaml.safe_dump(document, sort_keys=False))
    created = run_cli("job", "create", "-f", str(root / "pipeline-job.yml"), "--wait", cwd=root, timeout=RUN_TIMEOUT)
    assert created.returncode == 0, created.stderr
    steps = steps_of(ws, created.stdout.strip())
    left = ws.designer_drafts.read_port(steps["split"].name, "results_dataset1", limit=1)
    assert left["total"] == 735  # the pipeline input's 0.5 of 1470 rows
    evaluation = ws.designer_drafts.read_port(steps["evaluate"].name, "evaluation_results")
    assert 0.5 < evaluation["value"]["left"]["metrics"]["Accuracy"] <= 1


def test_an_imported_graph_that_breaks_rules_is_refused_with_each_problem(cluster, served):
    ws = cluster
    _, _, root = served
    document = ws.designer_drafts.export("attrition:1")
    document["jobs"]["train"]["inputs"]["label_column"] = "Salary"
    document["jobs"]["score"]["inputs"]["dataset"] = "${{parent.jobs.lr.outputs.untrained_model}}"
    (root / "broken.yml").write_text(yaml.safe_dump(document))
    refused = run_cli("designer", "import", "-f", str(root / "broken.yml"), "--name", "broken", cwd=root)
    assert refused.returncode == 1
    assert "[edge_type_mismatch]" in refused.stderr and "[unknown_column]" in refused.stderr
    assert "Salary" in refused.stderr and "Traceback" not in refused.stderr
    document["jobs"]["score"]["inputs"]["dataset"] = "scored"
    (root / "broken.yml").write_text(yaml.safe_dump(document))
    refused = run_cli("designer", "import", "-f", str(root / "broken.yml"), "--name", "broken", cwd=root)
    assert refused.returncode == 1 and "jobs.score.inputs.dataset: 'scored' is no input port binding" in refused.stderr
    assert "broken" not in [d.name for d in ws.designer_drafts.list()]


def test_the_export_route_answers_the_yaml_file_and_the_import_route_takes_its_text(cluster):
    ws = cluster
    base = str(ws._api.http.base_url).rstrip("/")
    answer = httpx.get(f"{base}/api/designer-drafts/attrition/pipeline-document", params={"version": 1, "format": "yaml"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/yaml")
    assert answer.headers["content-disposition"] == 'attachment; filename="attrition.yml"'
    assert yaml.safe_load(answer.text) == ws.designer_drafts.export("attrition:1")
    imported = httpx.post(f"{base}/api/designer-drafts/import", json={"name": "from-text", "document": answer.text})
    assert imported.status_code == 201, imported.text
    assert sorted(map(repr, ws.designer_drafts.get("from-text").graph.nodes)) == \
        sorted(map(repr, ws.designer_drafts.get("attrition", 1).graph.nodes))


def test_import_refuses_yaml_text_that_is_no_pipeline_mapping_and_saves_nothing(cluster):
    ws = cluster
    base = str(ws._api.http.base_url).rstrip("/")
    for text, message in [("jobs: [unclosed\n", "the pipeline document is not valid YAML at line 2, column 1: while parsing a "
                                                "flow sequence; expected ',' or ']', but got '<stream end>'"),
                          ("- a list\n", "must be a YAML mapping (type: pipeline, inputs, jobs), not list")]:
        refused = httpx.post(f"{base}/api/designer-drafts/import", json={"name": "bad-text", "document": text})
        assert refused.status_code == 400 and message in refused.json()["detail"], refused.text
    unknown = httpx.get(f"{base}/api/designer-drafts/attrition/pipeline-document", params={"format": "xml"})
    assert unknown.status_code in (400, 422) and "yaml" in unknown.text
    assert "bad-text" not in [d.name for d in ws.designer_drafts.list()]

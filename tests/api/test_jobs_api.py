"""The jobs list's paging total, the experiments route and job parameters, over HTTP and through the SDK."""

from __future__ import annotations

import sys

import httpx
import pytest

from modelyard import Workspace


def submit(ws: Workspace, experiment: str, display_name: str) -> str:
    return ws.jobs.create({"type": "command", "command": "echo hi", "compute": "held",
                           "experiment_name": experiment, "display_name": display_name}).name


@pytest.fixture
def queued(ws: Workspace) -> dict[str, list[str]]:
    """Seven jobs in two experiments, held in the queue of a stopped cluster; two canceled."""
    ws.compute.create(name="held", type="cluster", max_instances=1)
    ws.compute.stop("held")
    names = {"alpha": [submit(ws, "alpha", f"alpha run {i}") for i in range(4)],
             "beta": [submit(ws, "beta", f"beta run {i}") for i in range(3)]}
    ws.jobs.cancel(names["alpha"][0])
    ws.jobs.cancel(names["beta"][2])
    return names


def test_a_page_says_how_many_jobs_match_on_all_pages(ws: Workspace, queued):
    jobs, total = ws.jobs.page(limit=3)
    assert total == 7 and len(jobs) == 3
    assert [j.name for j in jobs] == [queued["beta"][2], queued["beta"][1], queued["beta"][0]]  # newest first
    last, total = ws.jobs.page(limit=3, offset=6)
    assert total == 7 and [j.name for j in last] == [queued["alpha"][0]]
    assert ws.jobs.count(status="Canceled") == 2
    assert ws.jobs.count(experiment_name="alpha", status="Queued") == 3
    assert ws.jobs.count(search="BETA RUN") == 3  # search is case-insensitive over names and display names
    assert ws.jobs.count(search="nothing like this") == 0
    ws.jobs.archive(queued["alpha"][1])
    assert ws.jobs.count() == 6 and ws.jobs.count(include_archived=True) == 7


def test_experiments_count_top_level_jobs_and_name_the_latest(ws: Workspace, queued):
    experiments = ws.jobs.experiments()
    assert [(e.name, e.job_count, e.last_job, e.last_status) for e in experiments] == [
        ("beta", 3, queued["beta"][2], "Canceled"),
        ("alpha", 4, queued["alpha"][3], "Queued"),
    ]
    assert ws.jobs.experiments()[0].last_created_at.tzinfo is not None


def test_no_jobs_means_no_experiments_and_a_zero_total(ws: Workspace):
    assert ws.jobs.experiments() == []
    assert ws.jobs.page() == ([], 0)


@pytest.mark.parametrize("query, fragment", [
    ("status=Sleeping", "status"),
    ("limit=0", "limit"),
    ("limit=5000", "limit"),
    ("offset=-1", "offset"),
])
def test_bad_list_parameters_get_a_clear_4xx(read_only_server, query: str, fragment: str):
    response = httpx.get(f"{read_only_server.url}/api/jobs?{query}")
    assert 400 <= response.status_code < 500, response.text
    assert fragment in response.text and "Traceback" not in response.text


def test_total_header_over_http_and_a_finished_job_carries_its_parameters(server, workspace_root):
    with Workspace(workspace_root) as ws:
        job = ws.jobs.create({"type": "command", "command": f"{sys.executable} -c \"print('lr is ${{{{inputs.lr}}}}')\"",
                              "inputs": {"lr": 0.25, "solver": "lbfgs"}, "experiment_name": "params"})
        done = ws.jobs.wait(job.name, timeout=180)
        assert done.status == "Completed", ws.jobs.logs(job.name)["text"]
        assert done.parameters == {"lr": "0.25", "solver": "lbfgs"}
        assert "lr is 0.25" in ws.jobs.logs(job.name)["text"]
    response = httpx.get(f"{server.url}/api/jobs?limit=1")
    assert response.headers["X-Total-Count"] == "1" and len(response.json()) == 1
    assert httpx.get(f"{server.url}/api/experiments").json()[0]["name"] == "params"


def test_an_automl_budget_too_short_to_train_is_refused_before_queueing(read_only_server):
    document = {"type": "automl", "task": "classification", "training_data": "azureml:nothing:1",
                "target_column_name": "y", "limits": {"timeout_minutes": 0.1}}
    response = httpx.post(f"{read_only_server.url}/api/jobs", json=document)
    assert response.status_code == 400, response.text
    assert "needs at least 0.25 minutes (15 s)" in response.json()["detail"]
    assert httpx.get(f"{read_only_server.url}/api/jobs").json() == []
    assert httpx.get(f"{read_only_server.url}/api/automl/options", timeout=120).json()["min_timeout_minutes"] == 0.25


def test_the_openapi_document_shows_one_job_shape_per_type(read_only_server):
    paths = httpx.get(f"{read_only_server.url}/openapi.json", timeout=120).json()["paths"]
    body = paths["/api/jobs"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["discriminator"]["propertyName"] == "type"
    assert {"command", "pipeline", "automl"} <= set(schema["discriminator"]["mapping"])


def test_the_openapi_document_types_logs_metrics_and_files(read_only_server):
    paths = httpx.get(f"{read_only_server.url}/openapi.json", timeout=120).json()["paths"]

    def answer(path: str) -> dict:
        return paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

    assert answer("/api/jobs/{name}/logs") == {"$ref": "#/components/schemas/LogChunk"}
    assert answer("/api/jobs/{name}/metrics")["additionalProperties"]["items"] == {
        "$ref": "#/components/schemas/MetricPoint"}
    assert answer("/api/jobs/{name}/artifacts")["items"] == {"$ref": "#/components/schemas/RunArtifact"}
    assert answer("/api/jobs/{name}/outputs/{output}")["items"] == {"$ref": "#/components/schemas/OutputFile"}


@pytest.mark.parametrize("part", ["", "/children", "/logs", "/metrics", "/artifacts", "/automl"])
def test_a_job_that_does_not_exist_is_a_404_naming_it(read_only_server, part: str):
    response = httpx.get(f"{read_only_server.url}/api/jobs/no-such-job{part}", timeout=120)
    assert response.status_code == 404, response.text
    assert "no-such-job" in response.json()["detail"]


@pytest.mark.parametrize(("document", "fragment"), [
    ({"type": "command", "command": "true", "limits": {"timeout": "soon"}}, "command.limits.timeout"),
    ({"type": "pipeline", "jobs": {}}, "pipeline.jobs"),
    ({"type": "automl", "task": "clustering", "training_data": "azureml:x:1", "target_column_name": "y"},
     "automl.task"),
    ({"type": "notebook", "command": "true"}, "'command', 'pipeline', 'automl'"),
])
def test_a_bad_job_body_is_refused_naming_the_field(read_only_server, document, fragment):
    response = httpx.post(f"{read_only_server.url}/api/jobs", json=document)
    assert response.status_code == 400, response.text
    assert fragment in response.json()["detail"]
    assert httpx.get(f"{read_only_server.url}/api/jobs").json() == []


def test_a_job_change_names_what_cannot_change(server, ws: Workspace):
    name = ws.jobs.create({"type": "command", "command": "true", "experiment_name": "changes"}).name
    refused = httpx.patch(f"{server.url}/api/jobs/{name}", json={"status": "Completed"})
    assert refused.status_code == 400 and "status" in refused.json()["detail"]
    changed = httpx.patch(f"{server.url}/api/jobs/{name}", json={"display_name": "after", "tags": {"k": "v"}}).json()
    assert changed["display_name"] == "after" and changed["tags"] == {"k": "v"} and changed["experiment_name"] == "changes"

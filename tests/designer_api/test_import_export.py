"""Import Data and Export Data on a real server and cluster: tables read from a registered datastore (a glob of
CSV files, a JSON lines file), a SELECT on a sql datastore or a loopback HTTP server, written back to a datastore as
Parquet or CSV, in a designer draft, a YAML pipeline and the DSL; a resubmit reads the source again (changed data is
never hidden by reuse) and refuses to overwrite an export unless asked; each bad source (a URL at a private address,
or redirected to one, among them) fails its step naming the problem; a run that imported its rows makes batch and
real-time inference pipelines, and the real-time one deploys and scores."""

from __future__ import annotations

import shutil
import sqlite3

import pandas as pd
import pytest
import yaml

from modelyard.errors import Conflict

from tests.designer_api.test_submit import RUN_TIMEOUT, all_rows, finished, steps_of
from tests.server_fixtures import redirecting_file_server, run_cli

KEPT = ["Age", "Attrition", "MonthlyIncome"]


@pytest.fixture(scope="module")
def hr(hr_csv):
    return pd.read_csv(hr_csv, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def landing(tmp_path_factory, hr):
    """A folder with the HR rows as two CSV parts, a JSON lines file and a binary file named .csv."""
    folder = tmp_path_factory.mktemp("landing")
    (folder / "parts").mkdir()
    hr.iloc[:1000].to_csv(folder / "parts" / "part-1.csv", index=False)
    hr.iloc[1000:].to_csv(folder / "parts" / "part-2.csv", index=False)
    hr[KEPT].to_json(folder / "hr.jsonl", orient="records", lines=True)
    (folder / "broken.csv").write_bytes(bytes(range(256)) * 8)
    return folder


@pytest.fixture(scope="module")
def stores(cluster, landing, tmp_path_factory, hr):
    """The datastores 'landing' (the folder above), 'exports' (an empty folder) and 'warehouse' (a SQLite database
    with table hr): (workspace, exports folder)."""
    exports = tmp_path_factory.mktemp("exports")
    database = tmp_path_factory.mktemp("warehouse") / "hr.db"
    with sqlite3.connect(database) as connection:
        hr.to_sql("hr", connection, index=False)
    connection.close()
    cluster.datastores.create(name="landing", type="local", path=str(landing))
    cluster.datastores.create(name="exports", type="local", path=str(exports))
    cluster.datastores.create(name="warehouse", type="sql", url=f"sqlite:///{database}")
    return cluster, exports


@pytest.fixture(scope="module")
def web(landing):
    """The landing folder served over HTTP on a free loopback port (and /metadata.csv redirected to a link-local
    address): its base URL."""
    with redirecting_file_server(landing) as url:
        yield url


def node(node_id, module, **parameters):
    return {"id": node_id, "module": module, "parameters": parameters}


def edge(source, source_port, target, target_port="dataset"):
    return {"source": source, "source_port": source_port, "target": target, "target_port": target_port}


def import_select_export(path, overwrite=False):
    return {"nodes": [node("import", "import_data", datastore="landing", path=path),
                      node("select", "select_columns_in_dataset", select_columns=KEPT),
                      node("export", "export_data", datastore="exports", path="out/hr.parquet", file_format="Parquet",
                           overwrite=overwrite)],
            "edges": [edge("import", "results_dataset", "select"), edge("select", "results_dataset", "export")]}


def submit(ws, name, graph, **options):
    ws.designer_drafts.create({"name": name, "graph": graph})
    job = ws.designer_drafts.submit(name, compute="cpu-cluster", **options)
    return ws.jobs.wait(job.name, timeout=RUN_TIMEOUT), steps_of(ws, job.name)


def test_a_draft_imports_a_glob_exports_parquet_and_a_resubmit_reads_the_source_again(stores, landing, hr):
    ws, exports = stores
    job, steps = submit(ws, "import-export", import_select_export("parts/*.csv"))
    assert job.status == "Completed", [(s.step, s.status, s.error) for s in steps.values()]
    imported = ws.designer_drafts.read_port(steps["import"].name, "results_dataset", limit=2)
    assert imported["total"] == 1470 and [c["name"] for c in imported["columns"]] == list(hr.columns)
    written = pd.read_parquet(exports / "out" / "hr.parquet")
    pd.testing.assert_frame_equal(written, hr[KEPT], check_dtype=False)
    assert "wrote modelyard://datastores/exports/paths/out/hr.parquet" in ws.jobs.logs(steps["export"].name)["text"]
    assert ws.jobs.get(steps["export"].name).metrics["Rows exported"] == 1470
    assert not [p.name for p in (exports / "out").iterdir() if p.name != "hr.parquet"]  # no staging file left

    again, steps = submit(ws, "import-export", import_select_export("parts/*.csv"))
    assert (again.status, steps["export"].status) == ("Failed", "Failed")
    assert not steps["import"].reused_from and steps["select"].reused_from  # read again; same table, so reused
    assert "out/hr.parquet exists already in datastore 'exports'; set Overwrite" in steps["export"].error
    pd.testing.assert_frame_equal(pd.read_parquet(exports / "out" / "hr.parquet"), written)

    hr.iloc[1000:1100].to_csv(landing / "parts" / "part-2.csv", index=False)  # the source changes in place
    changed, steps = submit(ws, "import-export", import_select_export("parts/*.csv", overwrite=True))
    assert changed.status == "Completed", [(s.step, s.status, s.error) for s in steps.values()]
    assert not any(s.reused_from for s in steps.values())
    assert len(pd.read_parquet(exports / "out" / "hr.parquet")) == 1100
    hr.iloc[1000:].to_csv(landing / "parts" / "part-2.csv", index=False)


def test_a_sql_query_imports_and_bad_sources_and_targets_fail_their_steps_naming_the_problem(stores, web, hr):
    ws, exports = stores
    graph = {"nodes": [node("nostore", "import_data", datastore="no-such-store", path="hr.jsonl"),
                       node("nofile", "import_data", datastore="landing", path="missing/hr.csv"),
                       node("broken", "import_data", datastore="landing", path="broken.csv"),
                       node("gone", "import_data", data_source="URL via HTTP", url=f"{web}/gone.csv"),
                       node("private", "import_data", data_source="URL via HTTP", url="http://10.0.0.1/hr.csv"),
                       node("redirected", "import_data", data_source="URL via HTTP", url=f"{web}/metadata.csv"),
                       node("climbing", "import_data", datastore="landing", path="../secrets.csv"),
                       node("jsonl", "import_data", datastore="landing", path="hr.jsonl"),
                       node("readonly", "export_data", datastore="no-such-store", path="x.csv"),
                       node("older", "import_data", data_source="SQL Database", datastore="warehouse",
                            database_query="SELECT Age, Attrition FROM hr WHERE Age > 50"),
                       node("deleting", "import_data", data_source="SQL Database", datastore="warehouse",
                            database_query="DELETE FROM hr"),
                       node("notsql", "import_data", data_source="SQL Database", datastore="landing",
                            database_query="SELECT 1")],
             "edges": [edge("jsonl", "results_dataset", "readonly")]}
    job, steps = submit(ws, "bad-sources", graph, continue_on_step_failure=True)
    assert job.status == "Failed" and steps["jsonl"].status == steps["older"].status == "Completed"
    older = ws.designer_drafts.read_port(steps["older"].name, "results_dataset", limit=1)
    assert older["total"] == int((hr["Age"] > 50).sum()) and [c["name"] for c in older["columns"]] == ["Age",
                                                                                                     "Attrition"]
    expected = {"nostore": "Import Data: datastore 'no-such-store' not found",
                "nofile": "Import Data: modelyard://datastores/landing/paths/missing/hr.csv does not exist",
                "broken": "Import Data: file 'broken.csv' holds a NUL byte at byte offset 0",
                "gone": f"Import Data: {web}/gone.csv answered 404 ",
                "private": "Import Data: url: 10.0.0.1 resolves to 10.0.0.1, a private or reserved address that this "
                           "server may not reach; allow its network under 'data_sources: allowed_networks:'",
                "redirected": "Import Data: url: 169.254.169.254 resolves to 169.254.169.254, a private or reserved",
                "climbing": "Import Data: path '../secrets.csv' climbs out of the datastore",
                "readonly": "Export Data: datastore 'no-such-store' not found",
                "deleting": "Import Data: the query starts with DELETE",
                "notsql": "Import Data: datastore 'landing' is of type local, a query needs a sql datastore"}
    for step, message in expected.items():
        assert steps[step].status == "Failed"
        assert message in steps[step].error, (step, steps[step].error)
        assert "Traceback" not in ws.jobs.logs(steps[step].name)["text"]
    assert not list(exports.glob("x.csv"))


def test_a_yaml_pipeline_imports_from_a_url_and_exports_csv(stores, served, web, hr, tmp_path):
    ws, exports = stores
    _, _, root = served
    document = {"$schema": "https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json", "type": "pipeline",
                "settings": {"default_compute": "cpu-cluster"},
                "jobs": {"fetch": {"component": "azureml:import_data:1",
                                   "inputs": {"data_source": "URL via HTTP", "url": f"{web}/hr.jsonl"}},
                         "save": {"component": "azureml://registries/azureml/components/export_data/labels/default",
                                  "inputs": {"dataset": "${{parent.jobs.fetch.outputs.results_dataset}}",
                                             "datastore": "exports", "path": "yaml/hr.csv"}}}}
    (tmp_path / "pipeline.yml").write_text(yaml.safe_dump(document, sort_keys=False))
    created = run_cli("job", "create", "-f", str(tmp_path / "pipeline.yml"), "--wait", cwd=root, timeout=RUN_TIMEOUT)
    assert created.returncode == 0, created.stderr
    pd.testing.assert_frame_equal(pd.read_csv(exports / "yaml" / "hr.csv"), hr[KEPT])


def test_a_dsl_pipeline_imports_and_exports(stores, hr):
    from modelyard.designer import dsl

    ws, exports = stores

    @dsl.pipeline(name="dsl-import")
    def copy_rows():
        rows = dsl.import_data(datastore="landing", path="hr.jsonl")
        dsl.export_data(dataset=rows, datastore="exports", path="dsl/hr.csv", overwrite=True)

    ws.designer_drafts.create(copy_rows.draft())
    finished(ws, ws.designer_drafts.submit("dsl-import", compute="cpu-cluster"))
    pd.testing.assert_frame_equal(pd.read_csv(exports / "dsl" / "hr.csv"), hr[KEPT])
    columns, rows = all_rows(ws, steps_of(ws, ws.designer_drafts.runs("dsl-import")[0].name)["rows"].name,
                             "results_dataset")
    assert columns == KEPT and len(rows) == 1470


def test_a_run_that_imported_its_rows_makes_inference_pipelines_and_its_endpoint_scores(stores, served, web, landing,
                                                                                        hr):
    """The workshop reading its rows from a URL: the batch pipeline keeps Import Data (and reads the source again);
    the real-time one holds the rows the run imported at Web Service Input, so it is made and deployed after the
    source is gone, and its endpoint answers the held-out rows as the run's Score Model did. When the table the
    run imported is gone from the artifact store too, making it is refused (409) with nothing saved."""
    from tests.designer.test_inference_graph import imported_workshop
    from tests.designer_api.test_inference import SCORED, modules

    ws, _ = stores
    _, _, root = served
    (landing / "attrition.csv").write_bytes(hr.to_csv(index=False).encode())
    graph = imported_workshop()
    graph["nodes"][0]["parameters"]["url"] = f"{web}/attrition.csv"
    job, steps = submit(ws, "imported-attrition", graph)
    assert job.status == "Completed", [(s.step, s.status, s.error) for s in steps.values()]

    batch = ws.designer_drafts.create_inference(job.name, batch=True)
    assert modules(batch) == {"hr": "import_data", "select": "select_columns_in_dataset", "train": "trained_model",
                              "score": "score_model"}
    scored_again = finished(ws, ws.designer_drafts.submit(batch.name, compute="cpu-cluster"))
    assert ws.designer_drafts.read_port(scored_again["score"].name, "scored_dataset", limit=1)["total"] == 1470

    (landing / "attrition.csv").unlink()
    real_time = ws.designer_drafts.create_inference(job.name)
    assert modules(real_time) == {"hr": "enter_data_manually", "web_service_input": "web_service_input",
                                  "select": "select_columns_in_dataset", "train": "trained_model",
                                  "score": "score_model", "web_service_output": "web_service_output"}
    validation = ws.designer_drafts.validate(real_time.graph)
    assert validation.valid and set(validation.input_columns["select"]["dataset"]) == set(hr.columns)
    model = ws.designer_drafts.register_model(real_time.name, model_name="imported-attrition")
    ws.online_endpoints.deploy_model("imported-designer", f"{model.name}:{model.version}")
    columns, held_out = all_rows(ws, steps["score"].name, "scored_dataset")
    scored = pd.DataFrame(held_out, columns=columns)
    body = scored.drop(columns=["Attrition", *SCORED])
    assert ws.online_endpoints.invoke("imported-designer", body.to_dict(orient="records"))["result"] == \
        list(scored["Scored Labels"])

    before = [(d.name, d.version) for d in ws.designer_drafts.list()]
    imported_table = root / ".modelyard" / "artifacts" / "jobs" / steps["hr"].name / "outputs" / "results_dataset"
    assert imported_table.is_dir()
    shutil.rmtree(imported_table)
    with pytest.raises(Conflict, match=f"the table that node 'hr' \\(Import Data\\) read in step job "
                                       f"'{steps['hr'].name}' is no longer in the artifact store; submit the "
                                       "training draft again"):
        ws.designer_drafts.create_inference(job.name)
    assert [(d.name, d.version) for d in ws.designer_drafts.list()] == before

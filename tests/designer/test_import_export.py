"""Import Data and Export Data as declared: Azure's names, category, ports and parameters; the graph rules
name a missing datastore, path or URL before anything runs, and neither runs without the workspace's
datastores (their runs on a real server are in tests/designer_api/test_import_export.py)."""

from __future__ import annotations

import pytest

from modelyard.designer import get_module, run_module, validate_draft
from modelyard.errors import InvalidInput


def test_declared_as_azures_data_input_and_output_modules():
    imported, exported = get_module("import_data").spec, get_module("export_data").spec
    assert (imported.display_name, exported.display_name) == ("Import Data", "Export Data")
    assert imported.category == exported.category == "Data Input and Output"
    assert (imported.inputs, [(p.name, p.type) for p in imported.outputs]) == (
        [], [("results_dataset", "DataFrameDirectory")])
    assert ([(p.name, p.type) for p in exported.inputs], exported.outputs) == ([("dataset", "DataFrameDirectory")], [])
    assert imported.parameter("data_source").choices == ["Datastore", "SQL Database", "URL via HTTP"]
    assert imported.parameter("data_format").choices == ["From the file extension", "CSV", "TSV", "Parquet",
                                                         "JSON lines"]
    assert (exported.parameter("file_format").choices, exported.parameter("overwrite").default) == (
        ["CSV", "Parquet"], False)


@pytest.mark.parametrize("parameters, named", [
    ({"path": "hr.csv"}, "parameter 'Datastore' (datastore): is required"),
    ({"datastore": "landing"}, "parameter 'Path' (path): is required"),
    ({"data_source": "URL via HTTP"}, "parameter 'Data source URL' (url): is required"),
    ({"data_source": "SQL Database", "datastore": "warehouse"}, "parameter 'Database query' (database_query): is "
                                                                "required"),
    ({"data_source": "FTP"}, "'FTP' is not one of: Datastore, SQL Database, URL via HTTP"),
])
def test_the_graph_rules_name_what_the_source_lacks(parameters, named):
    problems = validate_draft({"nodes": [{"id": "source", "module": "import_data", "parameters": parameters}]})
    assert {p.rule for p in problems} == {"invalid_parameter"} and any(named in p.message for p in problems), problems


def test_without_the_workspaces_datastores_neither_runs():
    with pytest.raises(InvalidInput, match="Import Data reads or writes the workspace's datastores: run it in a "
                                           "submitted pipeline"):
        run_module("import_data", parameters={"datastore": "landing", "path": "hr.csv"})

"""Every graph rule, each with a bad graph; messages name the node, module, port or parameter, and the fix."""

from __future__ import annotations

import copy

import pytest

from modelyard.designer import flow_schemas, validate_draft
from modelyard.designer._columns import schema_of
from modelyard.designer._validate import Draft
from modelyard.spec.designer import DraftGraph

from tests.designer.conftest import WORKSHOP_SELECTION


def edge(source, source_port, target, target_port):
    return {"source": source, "source_port": source_port, "target": target, "target_port": target_port}


WORKSHOP = {
    "nodes": [{"id": "hr", "module": "dataset", "parameters": {"asset": "employeeattrition:1"}},
              {"id": "select", "module": "select_columns_in_dataset",
               "parameters": {"select_columns": WORKSHOP_SELECTION}},
              {"id": "split", "module": "azureml://registries/azureml/components/split_data/labels/default",
               "parameters": {"fraction_of_rows_in_the_first_output_dataset": 0.7}},
              {"id": "lr", "module": "two_class_logistic_regression"},
              {"id": "train", "module": "train_model", "parameters": {"label_column": "Attrition"}},
              {"id": "score", "module": "score_model"},
              {"id": "evaluate", "module": "evaluate_model"}],
    "edges": [edge("hr", "output", "select", "dataset"), edge("select", "results_dataset", "split", "dataset"),
              edge("split", "results_dataset1", "train", "dataset"),
              edge("lr", "untrained_model", "train", "untrained_model"),
              edge("train", "trained_model", "score", "trained_model"),
              edge("split", "results_dataset2", "score", "dataset"),
              edge("score", "scored_dataset", "evaluate", "scored_dataset")],
}


@pytest.fixture
def graph():
    return copy.deepcopy(WORKSHOP)


@pytest.fixture(scope="module")
def schemas(hr):
    return {"hr": schema_of(hr)}


def node(graph, node_id):
    return next(n for n in graph["nodes"] if n["id"] == node_id)


def only(problems, rule):
    assert [p.rule for p in problems] == [rule], [str(p) for p in problems]
    return problems[0]


def test_the_workshop_graph_is_valid_and_its_schemas_flow(graph, schemas):
    assert validate_draft(graph, schemas) == []
    known, _ = flow_schemas(Draft.of(DraftGraph.model_validate(graph)), schemas)
    assert len(known[("select", "results_dataset")]) == 31 and "EmployeeCount" not in known[("select", "results_dataset")]
    assert known[("split", "results_dataset2")] == known[("select", "results_dataset")]
    scored = known[("score", "scored_dataset")]
    assert list(scored)[-2:] == ["Scored Labels", "Scored Probabilities"]
    assert (scored["Scored Labels"], scored["Scored Probabilities"]) == ("string", "decimal")


def test_type_mismatched_edge(graph, schemas):
    graph["edges"][3] = edge("split", "results_dataset2", "train", "untrained_model")
    graph["nodes"] = [n for n in graph["nodes"] if n["id"] != "lr"]
    problem = only(validate_draft(graph, schemas), "edge_type_mismatch")
    assert problem.where == "nodes.train.inputs.untrained_model"
    assert "node 'train' (Train Model): input port 'Untrained model' takes a UntrainedModel" in problem.message
    assert "node 'split' (Split Data)'s output 'Results dataset2' carries a DataFrameDirectory" in problem.message
    assert "connect an output that produces a UntrainedModel" in problem.message


def test_unconnected_required_port(graph, schemas):
    graph["edges"] = [e for e in graph["edges"] if e["target"] != "score" or e["target_port"] != "dataset"]
    problem = only(validate_draft(graph, schemas), "unconnected_input")
    assert problem.where == "nodes.score.inputs.dataset"
    assert "node 'score' (Score Model): required input port 'Dataset' (dataset) is not connected" in problem.message


def test_an_optional_port_may_stay_unconnected(graph, schemas):
    assert not any(p.where.endswith("scored_dataset_to_compare") for p in validate_draft(graph, schemas))


def test_cycle(graph, schemas):
    graph["nodes"].append({"id": "sql", "module": "apply_sql_transformation"})
    graph["edges"] += [edge("split", "results_dataset2", "sql", "t1"), edge("sql", "result_dataset", "select", "dataset")]
    graph["edges"] = [e for e in graph["edges"] if e["source"] != "hr"]
    problems = validate_draft(graph, schemas)
    problem = only([p for p in problems if p.rule != "port_connected_twice"], "cycle")
    for name in ("'select'", "'split'", "'sql'"):
        assert name in problem.message
    assert "remove one of the edges between them" in problem.message


def test_parameter_out_of_range(graph, schemas):
    node(graph, "split")["parameters"]["fraction_of_rows_in_the_first_output_dataset"] = 1.5
    problem = only(validate_draft(graph, schemas), "invalid_parameter")
    assert problem.where == "nodes.split.parameters.fraction_of_rows_in_the_first_output_dataset"
    assert ("node 'split' (Split Data), parameter 'Fraction of rows in the first output dataset' "
            "(fraction_of_rows_in_the_first_output_dataset): 1.5 is out of range: it must be between 0 and 1"
            in problem.message)


def test_invalid_enum_and_unknown_parameter(graph, schemas):
    node(graph, "split")["parameters"]["splitting_mode"] = "Split Columns"
    node(graph, "lr")["parameters"] = {"l3_regularization_weight": 1}
    problems = validate_draft(graph, schemas)
    assert [p.rule for p in problems] == ["invalid_parameter", "invalid_parameter"]
    messages = " | ".join(p.message for p in problems)
    assert "'Split Columns' is not one of: Split Rows, Regular Expression, Relative Expression" in messages
    assert "Two-Class Logistic Regression has no parameter 'l3_regularization_weight'" in messages


def test_a_parameter_only_counts_when_it_is_enabled(graph, schemas):
    """A stratification column is required only when the split is stratified."""
    assert validate_draft(graph, schemas) == []
    node(graph, "split")["parameters"]["stratified_split"] = "True"
    problem = only(validate_draft(graph, schemas), "invalid_parameter")
    assert "stratification_key_column" in problem.where and "is required and has no value" in problem.message


def test_selector_names_a_column_the_dataset_lacks(graph, schemas):
    node(graph, "select")["parameters"]["select_columns"] = ["Age", "Atrition", "JobRole"]
    problem = only(validate_draft(graph, schemas), "unknown_column")
    assert problem.where == "nodes.select.parameters.select_columns"
    assert ("node 'select' (Select Columns in Dataset), input port 'Dataset', parameter 'Select Columns' "
            "(select_columns): column 'Atrition' (did you mean 'Attrition'?) not in the upstream schema"
            in problem.message)


def test_train_model_names_a_column_the_select_dropped(graph, schemas):
    node(graph, "train")["parameters"]["label_column"] = "EmployeeNumber"
    problem = only(validate_draft(graph, schemas), "unknown_column")
    assert problem.where == "nodes.train.parameters.label_column"
    assert "node 'train' (Train Model), input port 'Dataset', parameter 'Label column'" in problem.message
    assert "column 'EmployeeNumber'" in problem.message
    assert "name a column that the upstream provides, or change the upstream module that drops it" in problem.message


def test_split_stratifies_on_a_column_upstream_lacks(graph, schemas):
    node(graph, "split")["parameters"].update(stratified_split="True", stratification_key_column="Over18")
    problem = only(validate_draft(graph, schemas), "unknown_column")
    assert "node 'split' (Split Data), input port 'Dataset', parameter 'Stratification key column'" in problem.message
    assert "'Over18'" in problem.message


def test_a_relative_expression_names_a_column_upstream_lacks(graph, schemas):
    node(graph, "split")["parameters"] = {"splitting_mode": "Relative Expression",
                                          "relative_expression": '\\"StandardHours" > 40'}
    problem = only(validate_draft(graph, schemas), "unknown_column")
    assert "parameter 'Relational expression' (relative_expression): column 'StandardHours'" in problem.message


def test_schemas_flow_through_sql_so_a_later_column_check_still_works(graph, schemas):
    graph["nodes"].append({"id": "sql", "module": "apply_sql_transformation",
                           "parameters": {"sql_query_script": "select Age, Attrition as Left from t1"}})
    graph["edges"] = [e for e in graph["edges"] if e["target"] != "split"]
    graph["edges"] += [edge("select", "results_dataset", "sql", "t1"), edge("sql", "result_dataset", "split", "dataset")]
    problem = only(validate_draft(graph, schemas), "unknown_column")
    assert problem.where == "nodes.train.parameters.label_column"
    assert "column 'Attrition'" in problem.message and "its columns are: Age, Left" in problem.message


def test_unknown_module_node_and_port(graph, schemas):
    graph["nodes"].append({"id": "x", "module": "select_rows"})
    graph["edges"].append(edge("score", "scored_dataset", "nowhere", "dataset"))
    graph["edges"].append(edge("split", "results_dataset3", "evaluate", "scored_dataset_to_compare"))
    problems = validate_draft(graph, schemas)
    assert [p.rule for p in problems] == ["unknown_module", "unknown_node", "unknown_port"]
    assert "module 'select_rows', which is not a built-in module" in problems[0].message
    assert "the edge names node 'nowhere'" in problems[1].message
    assert "node 'split' (Split Data) has no output port 'results_dataset3'; its outputs are: results_dataset1, " \
           "results_dataset2" in problems[2].message


def test_one_edge_per_input_port(graph, schemas):
    graph["edges"].append(edge("split", "results_dataset1", "score", "dataset"))
    problem = only(validate_draft(graph, schemas), "port_connected_twice")
    assert "node 'score' (Score Model): input port 'dataset' has several incoming edges" in problem.message


def test_without_a_dataset_schema_column_checks_wait(graph):
    node(graph, "train")["parameters"]["label_column"] = "NoSuchColumn"
    assert validate_draft(graph, {}) == []


def test_a_rename_upstream_is_seen_downstream(graph, schemas):
    """Edit Metadata renames the label; Train Model still names the old one."""
    graph["nodes"].append({"id": "rename", "module": "edit_metadata",
                           "parameters": {"column": ["Attrition"], "new_column_names": "Left"}})
    graph["nodes"].append({"id": "clean", "module": "clean_missing_data",
                           "parameters": {"cleaning_mode": "Replace with mode"}})
    graph["edges"] = [e for e in graph["edges"] if e["target"] != "split"]
    graph["edges"] += [edge("select", "results_dataset", "rename", "dataset"),
                       edge("rename", "results_dataset", "clean", "dataset"),
                       edge("clean", "cleaned_dataset", "split", "dataset")]
    problem = only(validate_draft(graph, schemas), "unknown_column")
    assert problem.where == "nodes.train.parameters.label_column" and "column 'Attrition'" in problem.message
    node(graph, "train")["parameters"]["label_column"] = "Left"
    assert validate_draft(graph, schemas) == []


def test_a_transformation_cannot_feed_a_dataset_port(graph, schemas):
    graph["nodes"].append({"id": "normalize", "module": "normalize_data"})
    graph["edges"] += [edge("select", "results_dataset", "normalize", "dataset")]
    graph["edges"] = [e for e in graph["edges"] if not (e["target"] == "score" and e["target_port"] == "dataset")]
    graph["edges"].append(edge("normalize", "transformation_function", "score", "dataset"))
    problem = only(validate_draft(graph, schemas), "edge_type_mismatch")
    assert "input port 'Dataset' takes a DataFrameDirectory" in problem.message
    assert "output 'Transformation function' carries a TransformationDirectory" in problem.message


def test_evaluate_model_fed_rows_that_were_never_scored(graph, schemas):
    graph["edges"] = [e for e in graph["edges"] if e["target"] != "evaluate"]
    graph["edges"].append(edge("split", "results_dataset2", "evaluate", "scored_dataset"))
    problem = only(validate_draft(graph, schemas), "port_lacks_columns")
    assert problem.where == "nodes.evaluate.inputs.scored_dataset"
    assert ("node 'evaluate' (Evaluate Model): input port 'Scored dataset' needs the columns Scored Labels, which "
            "node 'split' (Split Data) does not produce; connect a Score Model" in problem.message)


def test_the_workshop_draft_runs_end_to_end(graph, hr):
    from modelyard.designer import run_draft

    outputs = run_draft(graph, {"hr": hr})
    assert outputs["evaluate"]["evaluation_results"]["left"]["metrics"]["AUC"] > 0.75
    assert len(outputs["split"]["results_dataset1"]) == 1029


def test_a_draft_with_problems_does_not_run(graph, hr):
    from modelyard.designer import run_draft
    from modelyard.errors import InvalidInput

    node(graph, "train")["parameters"]["label_column"] = "Attritio"
    with pytest.raises(InvalidInput, match="the graph cannot run: nodes.train.parameters.label_column: node 'train'"):
        run_draft(graph, {"hr": hr})


def test_a_failing_node_is_named(graph, hr):
    from modelyard.designer import run_draft
    from modelyard.errors import InvalidInput

    graph["nodes"].append({"id": "script", "module": "execute_python_script",
                           "parameters": {"python_script": "def azureml_main(a, b):\n    return 1 / 0\n"}})
    graph["edges"].append(edge("select", "results_dataset", "script", "dataframe1"))
    with pytest.raises(InvalidInput, match="node 'script': Execute Python Script: azureml_main raised "
                                           "ZeroDivisionError"):
        run_draft(graph, {"hr": hr})


def test_cross_validation_output_satisfies_evaluate_model(graph, schemas):
    graph["nodes"].append({"id": "cv", "module": "cross_validate_model", "parameters": {"label_column": "Attrition"}})
    graph["edges"] = [e for e in graph["edges"] if e["target"] != "evaluate"]
    graph["edges"] += [edge("lr", "untrained_model", "cv", "untrained_model"),
                       edge("select", "results_dataset", "cv", "dataset"),
                       edge("cv", "scored_results", "evaluate", "scored_dataset")]
    assert validate_draft(graph, schemas) == []
    known, _ = flow_schemas(Draft.of(DraftGraph.model_validate(graph)), schemas)
    assert list(known[("cv", "scored_results")])[:2] == ["Fold Assignments", "Age"]


def test_a_malformed_selector_is_a_parameter_problem(graph, schemas):
    node(graph, "select")["parameters"]["select_columns"] = {"rules": [{"ruleType": "ColumnNamez", "columns": ["Age"]}]}
    problem = only(validate_draft(graph, schemas), "invalid_parameter")
    assert problem.where == "nodes.select.parameters.select_columns"
    assert "parameter 'Select Columns' (select_columns): is not a column selector (rules.0.ruleType:" in problem.message


def test_a_module_that_refuses_the_upstream_schema(graph, schemas):
    node(graph, "select")["parameters"]["select_columns"] = {"rules": [{"ruleType": "ColumnIndexes",
                                                                       "columnIndexes": "30-40"}]}
    problem = only(validate_draft(graph, schemas), "refused_schema")
    assert problem.where == "nodes.select"
    assert "node 'select' (Select Columns in Dataset): parameter 'select_columns': column indexes 30-40 are outside " \
           "1-35; change the parameter or the upstream modules" in problem.message

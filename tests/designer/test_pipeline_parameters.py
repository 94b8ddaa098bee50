"""Pipeline parameters in the engine: a promoted module parameter takes the run's value (typed as the
module parameter), is checked against its definition with a message naming the pipeline parameter, and
broken bindings are named graph rules."""

from __future__ import annotations

import copy

import pytest

from modelyard.designer import validate_draft
from modelyard.designer._columns import schema_of
from modelyard.designer._pipeline_parameters import bind_parameters, promote, resolve
from modelyard.errors import InvalidInput
from modelyard.spec.designer import DraftGraph

from tests.designer.test_graph_rules import WORKSHOP


@pytest.fixture
def graph():
    return DraftGraph.model_validate(copy.deepcopy(WORKSHOP))


@pytest.fixture(scope="module")
def schemas(hr):
    return {"hr": schema_of(hr)}


def parameters_of(graph, node_id):
    return next(n for n in graph.nodes if n.id == node_id).parameters


def test_promoting_binds_the_node_and_keeps_its_value_as_default(graph, schemas):
    promoted = promote(graph, "split", "fraction_of_rows_in_the_first_output_dataset", "fraction")
    promoted = promote(promoted, "train", "label_column", None)
    assert promoted.parameters == {"fraction": 0.7, "label_column": "Attrition"}
    assert parameters_of(promoted, "split")["fraction_of_rows_in_the_first_output_dataset"] == \
        "${{parent.inputs.fraction}}"
    assert validate_draft(promoted, schemas) == []
    assert resolve(promoted) == graph


def test_a_run_value_is_typed_as_the_module_parameter_and_checked(graph):
    promoted = promote(graph, "split", "fraction_of_rows_in_the_first_output_dataset", "fraction")
    bound = bind_parameters(promoted, {"fraction": "0.5"}, "the draft")
    assert parameters_of(bound, "split")["fraction_of_rows_in_the_first_output_dataset"] == 0.5
    assert bound.parameters == {}
    with pytest.raises(InvalidInput, match=r"pipeline parameter 'fraction' = '1.5': 1.5 is out of range: it must be "
                                           r"between 0 and 1 \(it sets node 'split' \(Split Data\)"):
        bind_parameters(promoted, {"fraction": "1.5"}, "the draft")
    with pytest.raises(InvalidInput, match="'many' is not a number"):
        bind_parameters(promoted, {"fraction": "many"}, "the draft")
    with pytest.raises(InvalidInput, match="the draft has no pipeline parameter seed; its pipeline parameters are: "
                                           "fraction"):
        bind_parameters(promoted, {"seed": 3}, "the draft")


def test_an_enum_value_takes_the_module_spelling_and_a_wrong_one_lists_the_choices(graph):
    promoted = promote(graph, "split", "splitting_mode", "mode")
    bound = bind_parameters(promoted, {"mode": "split rows"}, "the draft")
    assert parameters_of(bound, "split")["splitting_mode"] == "Split Rows"
    with pytest.raises(InvalidInput, match="pipeline parameter 'mode' = 'Split Columns': 'Split Columns' is not one of"):
        bind_parameters(promoted, {"mode": "Split Columns"}, "the draft")


def test_one_pipeline_parameter_may_set_several_module_parameters(graph):
    promoted = promote(graph, "split", "random_seed", "seed", default=7)
    promoted = promote(promoted, "lr", "random_number_seed", "seed")
    assert promoted.parameters == {"seed": 7}
    bound = bind_parameters(promoted, {"seed": "11"}, "the draft")
    assert (parameters_of(bound, "split")["random_seed"], parameters_of(bound, "lr")["random_number_seed"]) == (11, 11)


def test_broken_bindings_are_named_graph_rules(graph, schemas):
    promoted = promote(graph, "split", "fraction_of_rows_in_the_first_output_dataset", "fraction")
    dangling = promoted.model_copy(update={"parameters": {}})
    assert [(p.rule, p.where) for p in validate_draft(dangling, schemas)] == [
        ("unknown_pipeline_parameter", "nodes.split.parameters.fraction_of_rows_in_the_first_output_dataset")]
    unused = graph.model_copy(update={"parameters": {"fraction": 0.7}})
    assert [p.rule for p in validate_draft(unused, schemas)] == ["unused_pipeline_parameter"]
    bad_default = promoted.model_copy(update={"parameters": {"fraction": 2}})
    problem, = validate_draft(bad_default, schemas)
    assert problem.rule == "invalid_parameter"
    assert "2.0 is out of range" in problem.message and "set pipeline parameter 'fraction' to a valid default" in \
        problem.message
    label = promote(graph, "train", "label_column", "label", default="Salary")
    problem, = validate_draft(label, schemas)
    assert problem.rule == "unknown_column" and "Salary" in problem.message
    shadow = promote(graph, "split", "random_seed", "hr")
    assert [p.rule for p in validate_draft(shadow, schemas)] == ["pipeline_parameter_shadows_dataset"]


def test_promoting_refuses_unknown_nodes_and_parameters(graph):
    with pytest.raises(InvalidInput, match="the draft has no node 'splitter'; its nodes are: hr, select, split"):
        promote(graph, "splitter", "random_seed", None)
    with pytest.raises(InvalidInput, match="node 'split' has no parameter 'fraction'; its parameters are: "):
        promote(graph, "split", "fraction", None)

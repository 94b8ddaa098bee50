"""A draft as an Azure-v2-style pipeline document and back, and the Python DSL: both build the same graph
as the canvas (the workshop's draft), with pipeline parameters."""

from __future__ import annotations

import copy

import pytest
import yaml

from modelyard.designer import dsl
from modelyard.designer._pipeline_parameters import promote
from modelyard.designer._pipeline_yaml import graph_of, pipeline_document
from modelyard.errors import InvalidInput
from modelyard.spec.designer import DraftGraph

from tests.designer.conftest import WORKSHOP_SELECTION
from tests.designer.test_graph_rules import WORKSHOP

FRACTION = "fraction_of_rows_in_the_first_output_dataset"


def canonical(graph: DraftGraph):
    """The graph as sets: node and edge order do not change what it runs."""
    return ({(n.id, n.module, repr(sorted(n.parameters.items()))) for n in graph.nodes},
            {(e.source, e.source_port, e.target, e.target_port) for e in graph.edges}, graph.parameters)


@pytest.fixture
def workshop():
    return promote(DraftGraph.model_validate(copy.deepcopy(WORKSHOP)), "split", FRACTION, "fraction")


def test_export_import_export_is_identical_and_the_graph_equal(workshop):
    text = yaml.safe_dump(pipeline_document("attrition", workshop, "the workshop"), sort_keys=False)
    document = yaml.safe_load(text)
    assert document["inputs"] == {"hr": {"type": "mltable", "path": "azureml:employeeattrition:1"}, "fraction": 0.7}
    assert document["jobs"]["split"] == {
        "component": "azureml://registries/azureml/components/split_data/labels/default",
        "inputs": {"dataset": "${{parent.jobs.select.outputs.results_dataset}}", FRACTION: "${{parent.inputs.fraction}}"}}
    name, description, graph = graph_of(document)
    assert (name, description) == ("attrition", "the workshop")
    assert canonical(graph) == canonical(workshop)
    assert yaml.safe_dump(pipeline_document(name, graph, description), sort_keys=False) == text


@pytest.mark.parametrize("change, fragment", [
    (lambda d: d.update(type="command"), "type: a Designer draft imports a pipeline (type: pipeline), not 'command'"),
    (lambda d: d["jobs"]["split"].pop("component"), "jobs.split: name its module as component:"),
    (lambda d: d["jobs"]["split"]["inputs"].update(dataset="select"), "jobs.split.inputs.dataset: 'select' is no "
                                                                       "input port binding"),
    (lambda d: d["inputs"].update(hr={"type": "mltable"}), "inputs.hr: a data input needs a path"),
])
def test_a_document_that_is_no_pipeline_of_modules_is_refused_naming_the_place(workshop, change, fragment):
    document = pipeline_document("attrition", workshop)
    change(document)
    with pytest.raises(InvalidInput, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        graph_of(document)


def test_an_inline_data_input_becomes_a_dataset_node():
    _, _, graph = graph_of({"type": "pipeline", "jobs": {"select": {
        "component": "azureml:select_columns_in_dataset:1",
        "inputs": {"dataset": {"type": "mltable", "path": "azureml:employeeattrition:1"}, "select_columns": ["Age"]}}}})
    assert [(n.id, n.module, n.parameters) for n in graph.nodes] == [
        ("select_dataset", "dataset", {"asset": "employeeattrition:1"}),
        ("select", "select_columns_in_dataset", {"select_columns": ["Age"]})]
    assert [(e.source, e.target, e.target_port) for e in graph.edges] == [("select_dataset", "select", "dataset")]


@dsl.pipeline(name="attrition", description="the workshop's Employee Attrition pipeline")
def attrition(fraction=0.7):
    hr = dsl.dataset("employeeattrition:1")
    select = dsl.select_columns_in_dataset(dataset=hr, select_columns=WORKSHOP_SELECTION)
    split = dsl.split_data(dataset=select.outputs.results_dataset, **{FRACTION: fraction})
    lr = dsl.two_class_logistic_regression()
    train = dsl.train_model(untrained_model=lr, dataset=split.outputs.results_dataset1, label_column="Attrition")
    score = dsl.score_model(trained_model=train.outputs.trained_model, dataset=split.outputs.results_dataset2)
    evaluate = dsl.evaluate_model(scored_dataset=score.outputs.scored_dataset)
    return evaluate


def test_the_dsl_builds_the_canvas_built_workshop_draft(workshop):
    assert canonical(attrition.graph()) == canonical(workshop)
    draft = attrition.draft()
    assert (draft["name"], draft["description"]) == ("attrition", "the workshop's Employee Attrition pipeline")


def test_the_dsl_names_unknown_modules_ports_and_parameters():
    with pytest.raises(AttributeError, match="has no module 'split_rows'"):
        dsl.split_rows  # noqa: B018

    @dsl.pipeline
    def wrong_parameter():
        dsl.split_data(fraction=0.5)

    with pytest.raises(InvalidInput, match="dsl.split_data\\(\\): Split Data has no input port or parameter fraction"):
        wrong_parameter.graph()

    @dsl.pipeline
    def wrong_port():
        hr = dsl.dataset("employeeattrition:1")
        dsl.split_data(dataset=hr).outputs.results_dataset3

    with pytest.raises(AttributeError, match="split_data has no output port 'results_dataset3'"):
        wrong_port.graph()
    with pytest.raises(InvalidInput, match="outside a @dsl.pipeline function"):
        dsl.dataset("employeeattrition:1")

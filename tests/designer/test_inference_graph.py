"""Inference pipelines from a training graph: what Azure's "Create inference pipeline" keeps, replaces and
adds, and the one model a real-time pipeline deploys as, checked against the training graph's own scores."""

from __future__ import annotations

import copy

import pytest

from modelyard.designer import inference_graph, inference_model, run_draft, validate_draft
from modelyard.designer._columns import schema_of
from modelyard.errors import InvalidInput

from tests.designer.conftest import WORKSHOP_DROPPED
from tests.designer.test_graph_rules import WORKSHOP, edge

STEPS = {"select": "job-select", "split": "job-split", "lr": "job-lr", "train": "job-train",
         "normalize": "job-normalize", "score": "job-score", "evaluate": "job-evaluate"}


def normalized_workshop():
    """The workshop's graph with Normalize Data (ZScore on Age and MonthlyIncome) between Select and Split."""
    graph = copy.deepcopy(WORKSHOP)
    graph["nodes"].append({"id": "normalize", "module": "normalize_data",
                           "parameters": {"columns_to_transform": ["Age", "MonthlyIncome"]}})
    graph["edges"] = [e for e in graph["edges"] if e["target"] != "split"] + [
        edge("select", "results_dataset", "normalize", "dataset"),
        edge("normalize", "transformed_dataset", "split", "dataset")]
    return graph


def shape(graph):
    return ({n.id: n.module for n in graph.nodes},
            {(e.source, e.source_port, e.target, e.target_port) for e in graph.edges})


def test_real_time_replaces_training_and_adds_web_service(hr):
    graph = inference_graph(normalized_workshop(), STEPS, {"hr": schema_of(hr)}, "real-time")
    nodes, edges = shape(graph)
    assert nodes == {"hr": "dataset", "select": "select_columns_in_dataset", "normalize": "apply_transformation",
                     "normalize_transformation": "fitted_transformation", "train": "trained_model",
                     "score": "score_model", "web_service_input": "web_service_input",
                     "web_service_output": "web_service_output"}
    assert edges == {("hr", "output", "web_service_input", "dataset"),
                     ("web_service_input", "output", "select", "dataset"),
                     ("select", "results_dataset", "normalize", "dataset"),
                     ("normalize_transformation", "transformation", "normalize", "transformation"),
                     ("normalize", "transformed_dataset", "score", "dataset"),
                     ("train", "trained_model", "score", "trained_model"),
                     ("score", "scored_dataset", "web_service_output", "dataset")}
    saved = {n.id: n.parameters for n in graph.nodes}
    assert saved["train"] == {"job": "job-train", "port": "trained_model", "task": "binary",
                              "label_column": "Attrition", "label_type": "string"}
    assert saved["normalize_transformation"] == {"job": "job-normalize", "port": "transformation_function"}
    assert validate_draft(graph, {"hr": schema_of(hr)}) == []


def test_batch_keeps_the_dataset_and_adds_no_web_service(hr):
    nodes, edges = shape(inference_graph(copy.deepcopy(WORKSHOP), STEPS, {"hr": schema_of(hr)}, "batch"))
    assert nodes == {"hr": "dataset", "select": "select_columns_in_dataset", "train": "trained_model",
                     "score": "score_model"}
    assert ("select", "results_dataset", "score", "dataset") in edges


def test_a_graph_that_trains_or_scores_nothing_is_refused(hr):
    untrained = {"nodes": WORKSHOP["nodes"][:3], "edges": WORKSHOP["edges"][:2]}
    with pytest.raises(InvalidInput, match="draft a:1 trains no model .*Train Model"):
        inference_graph(untrained, STEPS, {"hr": schema_of(hr)}, "real-time", "draft a:1")
    unscored = copy.deepcopy(WORKSHOP)
    unscored["edges"] = [e for e in unscored["edges"] if e["target"] != "score"]
    with pytest.raises(InvalidInput, match="scores nothing with its trained model"):
        inference_graph(unscored, STEPS, {"hr": schema_of(hr)}, "real-time")


def test_the_one_model_answers_as_the_training_runs_score_model(hr):
    training = normalized_workshop()
    outputs = run_draft(training, {"hr": hr})
    graph = inference_graph(training, STEPS, {"hr": schema_of(hr)}, "real-time")
    model = inference_model(graph, {"train": outputs["train"]["trained_model"],
                                    "normalize_transformation": outputs["normalize"]["transformation_function"]},
                            {"hr": schema_of(hr)})
    test = outputs["split"]["results_dataset2"]  # normalized rows; the raw rows are those of hr at its index
    raw = hr.loc[test.index].drop(columns=["Attrition", *WORKSHOP_DROPPED])  # as the workshop's request body
    scored = outputs["score"]["scored_dataset"]
    assert list(model.predict(raw)) == list(scored["Scored Labels"])
    assert model.predict_proba(raw)[:, 1] == pytest.approx(scored["Scored Probabilities"].to_numpy())

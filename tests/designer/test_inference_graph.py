"""Inference pipelines from a training graph: what Azure's "Create inference pipeline" keeps, replaces and
adds, and the one model a real-time pipeline deploys as, checked against the training graph's own scores."""

from __future__ import annotations

import copy

import pytest

from modelyard.designer import inference_graph, inference_model, run_draft, validate_draft
from modelyard.designer._columns import schema_of
from modelyard.errors import InvalidInput
from modelyard.serving._compiled import Fallback

from tests.designer.conftest import WORKSHOP_DROPPED
from tests.designer.test_graph_rules import WORKSHOP, edge

STEPS = {"select": "job-select", "split": "job-split", "lr": "job-lr", "train": "job-train",
         "normalize": "job-normalize", "clean": "job-clean", "bins": "job-bins", "score": "job-score",
         "evaluate": "job-evaluate"}
OUTPUT_PORT = {"normalize_data": "transformed_dataset", "clean_missing_data": "cleaned_dataset",
               "group_data_into_bins": "results_dataset"}


def workshop_with(*nodes):
    """The workshop's graph with ``nodes`` (one-table modules) chained, in order, between Select and Split."""
    graph = copy.deepcopy(WORKSHOP)
    graph["nodes"] += list(nodes)
    chain = [("select", "results_dataset")] + [(node["id"], OUTPUT_PORT[node["module"]]) for node in nodes]
    graph["edges"] = [e for e in graph["edges"] if e["target"] != "split"] + [
        edge(source, port, target, "dataset") for (source, port), target in
        zip(chain, [node["id"] for node in nodes] + ["split"])]
    return graph


def normalized_workshop():
    """The workshop's graph with Normalize Data (ZScore on Age and MonthlyIncome) between Select and Split."""
    return workshop_with({"id": "normalize", "module": "normalize_data",
                          "parameters": {"columns_to_transform": ["Age", "MonthlyIncome"]}})


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


def test_a_trained_model_keeps_its_task_and_label_when_a_schema_upstream_is_unknown(hr):
    """Clean Missing Data with indicator columns has data-dependent columns, so no schema reaches Train Model:
    the saved Trained Model still takes Train Model's label and its learner's task."""
    training = workshop_with({"id": "clean", "module": "clean_missing_data", "parameters": {
        "cleaning_mode": "Custom substitution value", "generate_missing_value_indicator_column": True}})
    graph = inference_graph(training, STEPS, {"hr": schema_of(hr)}, "real-time")
    saved = next(n for n in graph.nodes if n.id == "train").parameters
    assert (saved["task"], saved["label_column"]) == ("binary", "Attrition")
    assert validate_draft(graph, {"hr": schema_of(hr)}) == []


def test_batch_keeps_the_dataset_and_adds_no_web_service(hr):
    nodes, edges = shape(inference_graph(copy.deepcopy(WORKSHOP), STEPS, {"hr": schema_of(hr)}, "batch"))
    assert nodes == {"hr": "dataset", "select": "select_columns_in_dataset", "train": "trained_model",
                     "score": "score_model"}
    assert ("select", "results_dataset", "score", "dataset") in edges


def imported_workshop():
    """The workshop's graph reading its rows with Import Data (a URL) instead of a registered dataset."""
    graph = copy.deepcopy(WORKSHOP)
    graph["nodes"][0] = {"id": "hr", "module": "import_data",
                         "parameters": {"data_source": "URL via HTTP", "url": "https://example.com/hr.csv"}}
    graph["edges"][0] = edge("hr", "results_dataset", "select", "dataset")
    return graph


def test_real_time_holds_the_rows_import_data_read_and_batch_keeps_import_data(hr):
    asked = []

    def imported(node_id):
        asked.append(node_id)
        return hr.head(5)

    graph = inference_graph(imported_workshop(), STEPS, {}, "real-time", imported=imported)
    nodes, edges = shape(graph)
    assert asked == ["hr"] and nodes["hr"] == "enter_data_manually"
    assert ("hr", "dataset", "web_service_input", "dataset") in edges
    assert ("web_service_input", "output", "select", "dataset") in edges
    held = next(n for n in graph.nodes if n.id == "hr").parameters
    assert held["data"].splitlines()[0].split(",") == list(hr.columns) and len(held["data"].splitlines()) == 6
    assert validate_draft(graph, {}) == []  # the held rows give the schema that Select Columns checks
    broken = copy.deepcopy(graph.model_dump())
    next(n for n in broken["nodes"] if n["id"] == "select")["parameters"]["select_columns"] = ["NoSuchColumn"]
    assert [p.rule for p in validate_draft(broken, {})] == ["unknown_column"]

    batch = inference_graph(imported_workshop(), STEPS, {}, "batch", imported=imported)
    assert shape(batch)[0]["hr"] == "import_data" and asked == ["hr"]  # a batch run reads the source again


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


def served_as_scored(training, data, tmp_path):
    """The deployed model of real-time pipeline made from ``training`` (run on ``data``), loaded by the serving
    engine: it must take the compiled path (the fitted transformations lowered in front of the featurizer) and
    answer the raw held-out rows as the run's Score Model did."""
    from modelyard.designer._values import save_sklearn
    from modelyard.serving import load_model

    outputs = run_draft(training, {"hr": data})
    graph = inference_graph(training, STEPS, {"hr": schema_of(data)}, "real-time")
    saved = {"train": outputs["train"]["trained_model"]}
    for node in graph.nodes:
        if node.module == "fitted_transformation":
            saved[node.id] = outputs[node.id.removesuffix("_transformation")][node.parameters["port"]]
    model = inference_model(graph, saved, {"hr": schema_of(data)})
    raw = data.loc[outputs["split"]["results_dataset2"].index].drop(columns=["Attrition", *WORKSHOP_DROPPED])
    save_sklearn(model, tmp_path / "model", raw.head(5))
    scorer = load_model(tmp_path / "model")
    assert scorer.compiled is not None, scorer.compile_note
    records = raw.to_dict(orient="records")
    scored = outputs["score"]["scored_dataset"]
    assert list(scorer.predict(records)) == list(scored["Scored Labels"])
    columns = scorer.parse({"data": records}).columns  # the compiled path itself, no fallback to the model
    assert list(scorer.compiled.predict(columns)) == list(scored["Scored Labels"])
    assert scorer.compiled.predict_proba(columns)[:, 1] == pytest.approx(scored["Scored Probabilities"].to_numpy())
    return scorer


@pytest.mark.parametrize("method", ["ZScore", "MinMax", "LogNormal"])
def test_a_fitted_transformation_is_compiled_into_the_served_model(hr, tmp_path, method):
    training = normalized_workshop()
    next(n for n in training["nodes"] if n["id"] == "normalize")["parameters"]["transformation_method"] = method
    served_as_scored(training, hr, tmp_path)


def with_missing_values(hr):
    """The HR rows with every 7th MonthlyIncome and every 5th DistanceFromHome missing (the first row included,
    so the served model's signature sees them)."""
    data = hr.copy()
    data["MonthlyIncome"] = data["MonthlyIncome"].astype(float).mask(data.index % 7 == 0)
    data["DistanceFromHome"] = data["DistanceFromHome"].astype(float).mask(data.index % 5 == 0)
    return data


CLEANING = [{"cleaning_mode": "Replace with mean"},
            {"cleaning_mode": "Custom substitution value", "replacement_value": "-1",
             "generate_missing_value_indicator_column": True},
            {"cleaning_mode": "Remove entire column"}]
BINNING = [{"binning_mode": "Quantiles", "number_of_bins": 4},
           {"binning_mode": "Equal Width", "number_of_bins": 5, "output_mode": "Inplace",
            "tag_columns_as_categorical": False},
           {"binning_mode": "Custom Edges", "comma_separated_list_of_bin_edges": "30,40,50"}]


@pytest.mark.parametrize("cleaning, binning", list(zip(CLEANING, BINNING)))
def test_clean_missing_data_and_bins_are_compiled_into_the_served_model(hr, tmp_path, cleaning, binning):
    """Clean Missing Data then Group Data into Bins (on Age and TotalWorkingYears) before Split: the served model
    fills (or drops) the request's missing values and bins its numbers as the run did, on the compiled path."""
    training = workshop_with(
        {"id": "clean", "module": "clean_missing_data",
         "parameters": {"columns_to_be_cleaned": ["MonthlyIncome", "DistanceFromHome"], **cleaning}},
        {"id": "bins", "module": "group_data_into_bins",
         "parameters": {"columns_to_bin": ["Age", "TotalWorkingYears"], **binning}})
    served_as_scored(training, with_missing_values(hr), tmp_path)


def test_a_served_cleaning_that_removes_rows_answers_through_the_model(hr, tmp_path):
    """'Remove entire row' cannot run on the compiled path when a request has a missing value (the answer would
    be shorter): that batch goes through the model itself, which the compiled path matches on full rows."""
    training = workshop_with({"id": "clean", "module": "clean_missing_data",
                              "parameters": {"columns_to_be_cleaned": ["MonthlyIncome"],
                                             "cleaning_mode": "Remove entire row"}})
    data = with_missing_values(hr).assign(DistanceFromHome=hr["DistanceFromHome"])
    scorer = served_as_scored(training, data, tmp_path)  # the run removed those rows before Split
    gap = data.drop(columns=["Attrition", *WORKSHOP_DROPPED]).head(3).to_dict(orient="records")
    assert gap[0]["MonthlyIncome"] != gap[0]["MonthlyIncome"]  # the first row's value is missing
    with pytest.raises(Fallback, match="a row with a missing value would be removed"):
        scorer.compiled.predict(scorer.parse({"data": gap}).columns)
    assert len(scorer.predict(gap)) == 2  # the model drops the row, as the run's Score Model would

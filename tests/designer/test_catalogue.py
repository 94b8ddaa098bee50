"""The catalogue: every built-in module declared as valid data, runnable with its defaults."""

from __future__ import annotations

import pytest

from modelyard.designer import catalogue, get_module, run_module
from modelyard.designer._params import check_parameters
from modelyard.errors import InvalidInput, NotFound
from modelyard.spec.designer import DraftNode, ModuleSpec, module_id

from tests.designer.conftest import train_and_score

WORKSHOP_MODULES = {"select_columns_in_dataset": "Select Columns in Dataset", "split_data": "Split Data",
                    "two_class_logistic_regression": "Two-Class Logistic Regression", "train_model": "Train Model",
                    "score_model": "Score Model", "evaluate_model": "Evaluate Model"}


def test_ids_are_unique_and_the_workshop_modules_carry_azures_names():
    specs = catalogue()
    assert len({s.id for s in specs}) == len(specs) >= 35
    names = {s.id: s.display_name for s in specs}
    assert {key: names[key] for key in WORKSHOP_MODULES} == WORKSHOP_MODULES


@pytest.mark.parametrize("spec", catalogue(), ids=lambda s: s.id)
def test_each_declaration_is_consistent(spec: ModuleSpec):
    assert ModuleSpec.model_validate(spec.model_dump()) == spec  # plain data: survives JSON
    assert spec.description and spec.category
    assert spec.outputs or spec.id == "export_data"  # as Azure's, it writes to a datastore, not to a port
    names = [p.name for p in spec.inputs + spec.outputs] + [p.name for p in spec.parameters]
    assert len(names) == len(set(names)), "a port and a parameter share a name"
    inputs = {p.name for p in spec.inputs}
    for parameter in spec.parameters:
        assert parameter.columns_of is None or parameter.columns_of in inputs, parameter.name
        assert all(spec.parameter(name) for name in parameter.enabled_when or {}), parameter.name
        if parameter.kind == "enum":
            assert parameter.default in parameter.choices
    values, problems = check_parameters(spec, {})
    assert all(message.endswith("is required and has no value") for _, message in problems), problems


@pytest.mark.parametrize("spec", [s for s in catalogue() if s.category.startswith("Machine Learning") and not s.inputs
                                  and not s.category.endswith("Clustering")], ids=lambda s: s.id)
def test_every_learner_trains_and_scores_with_its_defaults(spec, workshop):
    label = {"Regression": "MonthlyIncome", "Classification": "Attrition"}[spec.category.split("/")[1]]
    if spec.id == "poisson_regression":
        label = "NumCompaniesWorked"
    if spec.id.startswith("multiclass"):
        label = "Department"
    _, scored = train_and_score(spec.id, workshop["train"].head(400), workshop["test"], label)
    assert scored["Scored Labels"].notna().all()


def test_azure_component_references_name_the_same_module():
    for reference in ("split_data", "azureml:split_data:1", "azureml://registries/azureml/components/split_data/"
                      "versions/0.0.1", "azureml://registries/azureml/components/split_data/labels/default"):
        assert module_id(reference) == "split_data"
    assert DraftNode(id="n", module="azureml:train_model@latest").module == "train_model"


def test_an_unknown_module_is_not_found_with_examples():
    with pytest.raises(NotFound, match="no built-in module 'split_rows'"):
        get_module("split_rows")


def test_inputs_are_checked_against_their_ports(workshop):
    with pytest.raises(InvalidInput, match=r"Train Model: input port 'Untrained model' \(untrained_model\) takes a "
                                           r"UntrainedModel, got a DataFrameDirectory"):
        run_module("train_model", {"untrained_model": workshop["train"], "dataset": workshop["train"]},
                   {"label_column": "Attrition"})
    with pytest.raises(InvalidInput, match=r"Score Model: input port 'Dataset' \(dataset\) needs a DataFrameDirectory"):
        run_module("score_model", {"trained_model": workshop["model"]})
    with pytest.raises(InvalidInput, match="Score Model has no input port data; its inputs are: trained_model, dataset"):
        run_module("score_model", {"trained_model": workshop["model"], "data": workshop["test"]})


def test_parameters_given_as_text_are_coerced_and_bad_ones_refused(workshop):
    first = run_module("split_data", {"dataset": workshop["selected"]},
                       {"fraction_of_rows_in_the_first_output_dataset": "0.5", "randomized_split": "false"})
    assert len(first["results_dataset1"]) == 735
    with pytest.raises(InvalidInput, match=r"Split Data: parameter 'Random seed' \(random_seed\): '1.5' is not a "
                                           r"whole number"):
        run_module("split_data", {"dataset": workshop["selected"]}, {"random_seed": "1.5"})
    with pytest.raises(InvalidInput, match=r"Two-Class Logistic Regression: parameter 'L1 regularization weight' "
                                           r"\(l1_regularization_weight\): -1.0 is out of range: it must be at least 0"):
        run_module("two_class_logistic_regression", parameters={"l1_regularization_weight": -1})


def test_a_column_parameter_takes_azures_one_column_selector(workshop):
    selector = '{"isFilter":true,"rules":[{"exclude":false,"ruleType":"ColumnNames","columns":["Attrition"]}]}'
    model = run_module("train_model", {"untrained_model": workshop["learner"], "dataset": workshop["train"]},
                       {"label_column": selector})["trained_model"]
    assert model.label_column == "Attrition"
    with pytest.raises(InvalidInput, match=r"Train Model: parameter 'Label column' \(label_column\): must name "
                                           r"exactly one column"):
        run_module("train_model", {"untrained_model": workshop["learner"], "dataset": workshop["train"]},
                   {"label_column": {"rules": [{"ruleType": "ColumnNames", "columns": ["Age", "Attrition"]}]}})

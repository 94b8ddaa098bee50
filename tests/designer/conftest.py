"""The HR table as a DataFrame, and the workshop's modules run one after another."""

from __future__ import annotations

import pandas as pd
import pytest

from modelyard.designer import get_module, run_module

WORKSHOP_DROPPED = ["EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"]
# Azure's selector as the workshop's Select Columns in Dataset saves it: all columns except four
WORKSHOP_SELECTION = {"isFilter": True, "rules": [{"ruleType": "AllColumns", "exclude": False},
                                                  {"ruleType": "ColumnNames", "exclude": True,
                                                   "columns": WORKSHOP_DROPPED}]}


@pytest.fixture(scope="session")
def hr(hr_csv) -> pd.DataFrame:
    return pd.read_csv(hr_csv, encoding="utf-8-sig")


@pytest.fixture(scope="session")
def workshop(hr):
    """Every output of the workshop's path: select -> split 0.7 -> LR -> train -> score -> evaluate."""
    out = {"selected": run_module("select_columns_in_dataset", {"dataset": hr},
                                  {"select_columns": WORKSHOP_SELECTION})["results_dataset"]}
    split = run_module("split_data", {"dataset": out["selected"]},
                       {"fraction_of_rows_in_the_first_output_dataset": 0.7, "random_seed": 0})
    out["train"], out["test"] = split["results_dataset1"], split["results_dataset2"]
    out["learner"] = run_module("two_class_logistic_regression")["untrained_model"]
    out["model"] = run_module("train_model", {"untrained_model": out["learner"], "dataset": out["train"]},
                              {"label_column": "Attrition"})["trained_model"]
    out["scored"] = run_module("score_model", {"trained_model": out["model"], "dataset": out["test"]})["scored_dataset"]
    out["evaluation"] = run_module("evaluate_model", {"scored_dataset": out["scored"]})["evaluation_results"]
    return out


def train_and_score(learner, train, test, label: str):
    """``(trained model, scored test rows)``; ``learner`` is an untrained model or a learner module's id
    (built with its defaults, and seed 0 where it takes one)."""
    if isinstance(learner, str):
        seeded = get_module(learner).spec.parameter("random_number_seed") is not None
        learner = run_module(learner, parameters={"random_number_seed": 0} if seeded else {})["untrained_model"]
    model = run_module("train_model", {"untrained_model": learner, "dataset": train},
                       {"label_column": label})["trained_model"]
    return model, run_module("score_model", {"trained_model": model, "dataset": test})["scored_dataset"]

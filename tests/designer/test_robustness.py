"""Every table module, on the HR data as it is, with missing values, empty and one row: it runs, or it
refuses with InvalidInput naming the module; never another exception."""

from __future__ import annotations

import numpy as np
import pytest

from modelyard.designer import catalogue, run_module
from modelyard.errors import InvalidInput

TABLE_MODULES = [s for s in catalogue() if s.inputs and all(p.type == "DataFrameDirectory" for p in s.inputs)]


def shapes(hr):
    holes = hr.copy()
    holes.loc[holes.index[::5], "Age"] = np.nan
    holes.loc[holes.index[::7], "JobRole"] = None
    return {"as it is": hr, "with holes": holes, "empty": hr.head(0), "one row": hr.head(1)}


def required_values(spec):
    values = {}
    for p in spec.parameters:
        if p.default is None and p.kind == "column":
            values[p.name] = "Attrition"
        elif p.default is None and p.kind == "column_selection":
            values[p.name] = ["Age", "MonthlyIncome"]
    return values


@pytest.mark.parametrize("spec", TABLE_MODULES, ids=lambda s: s.id)
def test_a_table_module_runs_or_refuses_clearly(spec, hr):
    for name, data in shapes(hr).items():
        try:
            outputs = run_module(spec.id, {p.name: data for p in spec.inputs}, required_values(spec))
        except InvalidInput as error:
            assert error.message.startswith(f"{spec.display_name}: "), (name, error.message)
        else:
            assert set(outputs) == {p.name for p in spec.outputs}, name


def test_scoring_an_empty_table_gives_an_empty_scored_table(workshop):
    scored = run_module("score_model", {"trained_model": workshop["model"],
                                        "dataset": workshop["test"].head(0)})["scored_dataset"]
    assert len(scored) == 0 and list(scored.columns[-2:]) == ["Scored Labels", "Scored Probabilities"]
    with pytest.raises(InvalidInput, match="Evaluate Model: the scored dataset has no rows"):
        run_module("evaluate_model", {"scored_dataset": scored})

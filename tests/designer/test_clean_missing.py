"""Clean Missing Data substitutes the right statistic, and its transformation reuses it on new data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modelyard.designer import run_module


@pytest.fixture(scope="module")
def holes(hr):
    """The HR table with missing values in three columns (every 7th, 11th and 13th row)."""
    frame = hr.copy()
    frame["MonthlyIncome"] = frame["MonthlyIncome"].astype(float)
    frame.loc[frame.index[::7], "MonthlyIncome"] = np.nan
    frame.loc[frame.index[::11], "Age"] = np.nan
    frame.loc[frame.index[::13], "JobRole"] = None
    return frame


def clean(frame, mode, names, **parameters):
    result = run_module("clean_missing_data", {"dataset": frame},
                        {"cleaning_mode": mode, "columns_to_be_cleaned": names, **parameters})
    return result["cleaned_dataset"], result["cleaning_transformation"]


@pytest.mark.parametrize("mode, statistic", [("Replace with mean", "mean"), ("Replace with median", "median")])
def test_mean_and_median(holes, mode, statistic):
    out, _ = clean(holes, mode, ["MonthlyIncome", "Age"])
    for name in ("MonthlyIncome", "Age"):
        gaps = holes[name].isna()
        expected = getattr(holes[name].dropna(), statistic)()
        assert (out.loc[gaps, name] == expected).all() and out.loc[~gaps, name].equals(holes.loc[~gaps, name])


def test_mode_takes_the_most_frequent_value(holes):
    out, _ = clean(holes, "Replace with mode", ["JobRole", "Age"])
    assert (out.loc[holes["JobRole"].isna(), "JobRole"] == holes["JobRole"].value_counts().idxmax()).all()
    assert (out.loc[holes["Age"].isna(), "Age"] == holes["Age"].value_counts().idxmax()).all()


def test_custom_value_and_indicator_columns(holes):
    out, _ = clean(holes, "Custom substitution value", ["MonthlyIncome", "JobRole"], replacement_value="0",
                   generate_missing_value_indicator_column=True)
    assert (out.loc[holes["MonthlyIncome"].isna(), "MonthlyIncome"] == 0).all()
    assert (out.loc[holes["JobRole"].isna(), "JobRole"] == "0").all()
    assert out["MonthlyIncome_isMissing"].equals(holes["MonthlyIncome"].isna())


def test_remove_rows_and_remove_columns(holes):
    rows, _ = clean(holes, "Remove entire row", ["Age", "JobRole"])
    assert len(rows) == len(holes.dropna(subset=["Age", "JobRole"])) and rows["Age"].notna().all()
    columns, _ = clean(holes, "Remove entire column", "all")
    assert sorted(set(holes.columns) - set(columns.columns)) == ["Age", "JobRole", "MonthlyIncome"]


def test_the_missing_ratio_bounds_pick_the_columns(holes):
    # MonthlyIncome misses 1/7 of its values, Age 1/11: only MonthlyIncome lies between 0.12 and 1
    out, cleaner = clean(holes, "Replace with mean", ["MonthlyIncome", "Age"], minimum_missing_value_ratio=0.12)
    assert list(cleaner.values) == ["MonthlyIncome"] and out["Age"].isna().sum() == holes["Age"].isna().sum()


def test_the_transformation_fills_new_rows_with_the_training_statistics(holes):
    train, test = holes.iloc[:1000], holes.iloc[1000:]
    _, cleaner = clean(train, "Replace with median", ["MonthlyIncome"])
    out = run_module("apply_transformation", {"transformation": cleaner, "dataset": test})["transformed_dataset"]
    assert (out.loc[test["MonthlyIncome"].isna(), "MonthlyIncome"] == train["MonthlyIncome"].median()).all()


def test_mean_of_text_is_refused_with_the_fix(holes):
    with pytest.raises(Exception, match=r"Clean Missing Data: 'Replace with mean' needs numeric columns, but JobRole "
                                        r"are not; select numeric columns only"):
        clean(holes, "Replace with mean", ["JobRole", "Age"])


def test_a_text_replacement_for_a_number_column_is_refused(holes):
    with pytest.raises(Exception, match="replacement value 'none' is not a number, and column 'Age' is numeric"):
        clean(holes, "Custom substitution value", ["Age"], replacement_value="none")


def test_a_table_without_missing_values_comes_back_unchanged(hr):
    out, _ = clean(hr, "Replace with mode", "all")
    pd.testing.assert_frame_equal(out, hr)

"""Split Data and Partition and Sample: fractions, seeds and strata hold exactly; expression modes."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from modelyard.designer import run_module


def split(frame, **parameters):
    result = run_module("split_data", {"dataset": frame}, parameters)
    return result["results_dataset1"], result["results_dataset2"]


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.25, 0.5, 0.7, 0.999, 1.0])
def test_the_first_output_gets_the_rounded_fraction_of_rows(hr, fraction):
    first, second = split(hr, fraction_of_rows_in_the_first_output_dataset=fraction)
    assert len(first) == math.floor(fraction * 1470 + 0.5)
    assert len(first) + len(second) == 1470
    assert sorted(first.index.append(second.index)) == list(hr.index)


def test_the_same_seed_gives_the_same_rows_and_another_seed_others(hr):
    a, _ = split(hr, fraction_of_rows_in_the_first_output_dataset=0.7, random_seed=42)
    b, _ = split(hr, fraction_of_rows_in_the_first_output_dataset=0.7, random_seed=42)
    c, _ = split(hr, fraction_of_rows_in_the_first_output_dataset=0.7, random_seed=43)
    assert a.index.equals(b.index) and not a.index.equals(c.index)


def test_a_randomized_split_keeps_the_row_order(hr):
    first, _ = split(hr, fraction_of_rows_in_the_first_output_dataset=0.3, random_seed=5)
    assert first.index.is_monotonic_increasing


def test_a_split_that_is_not_randomized_takes_the_first_rows(hr):
    first, second = split(hr, fraction_of_rows_in_the_first_output_dataset=0.25, randomized_split=False)
    assert first.equals(hr.iloc[:368]) and second.equals(hr.iloc[368:])


def test_stratification_holds_in_every_stratum(hr):
    first, _ = split(hr, fraction_of_rows_in_the_first_output_dataset=0.7, stratified_split="True",
                     stratification_key_column="JobRole", random_seed=3)
    for role, count in hr["JobRole"].value_counts().items():
        assert (first["JobRole"] == role).sum() == math.floor(0.7 * count + 0.5), role


def test_missing_values_stratify_as_their_own_group(hr):
    frame = hr.copy()
    frame.loc[frame.index[:10], "Department"] = None
    first, _ = split(frame, fraction_of_rows_in_the_first_output_dataset=0.5, stratified_split="True",
                     stratification_key_column="Department")
    assert first["Department"].isna().sum() == 5


def test_regular_expression_mode_sends_matching_rows_left(hr):
    first, second = split(hr, splitting_mode="Regular Expression", regular_expression='\\"JobRole" ^Sales')
    assert first.index.equals(hr.index[hr["JobRole"].str.match("Sales")])
    assert len(first) + len(second) == 1470 and not second["JobRole"].str.startswith("Sales").any()


def test_relative_expression_mode_with_and_or(hr):
    first, _ = split(hr, splitting_mode="Relative Expression", relative_expression='\\"Age" > 40 && \\"Gender" == Male')
    assert first.index.equals(hr.index[(hr["Age"] > 40) & (hr["Gender"] == "Male")])
    first, _ = split(hr, splitting_mode="Relative Expression", relative_expression='"Age" <= 20 || "Age" >= 58')
    assert first.index.equals(hr.index[(hr["Age"] <= 20) | (hr["Age"] >= 58)])


def test_a_bad_expression_says_how_to_write_one(hr):
    with pytest.raises(Exception, match=r"Split Data: relative expression 'Age > 40' is not a comparison; write e.g."):
        split(hr, splitting_mode="Relative Expression", relative_expression="Age > 40")
    with pytest.raises(Exception, match=r"Split Data: parameter 'Relational expression' \(relative_expression\): "
                                        r"column 'age' \(did you mean 'Age'\?\) not in the input"):
        split(hr, splitting_mode="Relative Expression", relative_expression='\\"age" > 40')


def test_a_fraction_out_of_range_is_refused_before_running(hr):
    with pytest.raises(Exception, match=r"Split Data: parameter 'Fraction of rows in the first output dataset' "
                                        r"\(fraction_of_rows_in_the_first_output_dataset\): 1.2 is out of range"):
        split(hr, fraction_of_rows_in_the_first_output_dataset="1.2")


def test_partition_and_sample_head_and_sampling(hr):
    head = run_module("partition_and_sample", {"dataset": hr},
                      {"partition_or_sample_mode": "Head", "number_of_rows_to_select": 7})["output_dataset"]
    assert head.equals(hr.head(7))
    sample = run_module("partition_and_sample", {"dataset": hr},
                        {"rate_of_sampling": 0.1, "stratified_split_for_sampling": "True",
                         "stratification_key_column": "Attrition"})["output_dataset"]
    counts = hr["Attrition"].value_counts()
    assert sample["Attrition"].value_counts().to_dict() == {k: math.floor(0.1 * v + 0.5) for k, v in counts.items()}


def test_an_empty_table_splits_into_two_empty_tables():
    first, second = split(pd.DataFrame({"a": []}), fraction_of_rows_in_the_first_output_dataset=0.5)
    assert len(first) == len(second) == 0

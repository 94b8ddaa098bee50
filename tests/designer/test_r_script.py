"""Execute R Script with Rscript: Azure's azureml_main contract, column types kept across the CSV exchange,
and an R error's message and calls reported."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from modelyard.designer import run_module
from modelyard.designer._script import ScriptFailed
from modelyard.errors import InvalidInput

pytestmark = pytest.mark.skipif(shutil.which("Rscript") is None, reason="R (r-base-core) is not installed")


def run_r(script, frame1=None, frame2=None, **parameters):
    return run_module("execute_r_script", {"dataframe1": frame1, "dataframe2": frame2},
                      {"r_script": script, **parameters})


def test_a_script_returns_a_modified_frame_with_its_types(hr):
    script = """
azureml_main <- function(dataframe1, dataframe2) {
  dataframe1$AgeInMonths <- dataframe1$Age * 12L
  dataframe1$Ratio <- dataframe1$MonthlyIncome / dataframe1$DailyRate
  dataframe1$Leaver <- dataframe1$Attrition == "Yes"
  list(dataset1 = dataframe1[dataframe1$Age > 40, ], dataset2 = data.frame(n = nrow(dataframe2)))
}
"""
    out = run_r(script, hr, hr.head(7))
    expected = hr[hr["Age"] > 40]
    result = out["result_dataset"]
    assert len(result) == len(expected) and list(result.columns) == list(hr.columns) + ["AgeInMonths", "Ratio", "Leaver"]
    assert result["AgeInMonths"].tolist() == (expected["Age"] * 12).tolist() and result["AgeInMonths"].dtype == "int64"
    assert result["Ratio"].tolist() == pytest.approx((expected["MonthlyIncome"] / expected["DailyRate"]).tolist())
    assert result["Leaver"].tolist() == (expected["Attrition"] == "Yes").tolist() and result["Leaver"].dtype == bool
    assert result["Department"].tolist() == expected["Department"].tolist()
    assert out["result_dataset2"]["n"].tolist() == [7]


def test_missing_values_categories_and_datetimes_cross_both_ways():
    frame = pd.DataFrame({"n": pd.array([1, None, 3], dtype="Int64"), "x": [0.5, None, 2.0],
                          "s": ["a", None, "c"], "c": pd.Categorical(["lo", "hi", "lo"]),
                          "t": pd.to_datetime(["2024-01-02 03:04:05", "2024-02-03 00:00:00", None])})
    script = ("azureml_main <- function(dataframe1, dataframe2) {\n"
              "  data.frame(n_missing = sum(is.na(dataframe1$n)), levels = paste(levels(dataframe1$c), collapse = ','),\n"
              "             year = format(dataframe1$t[1], '%Y'), kinds = paste(sapply(dataframe1, class)[1:3], "
              "collapse = ','))\n}\n")
    assert run_r(script, frame)["result_dataset"].iloc[0].tolist() == [1, "hi,lo", "2024", "integer,numeric,character"]
    back = run_r("azureml_main <- function(dataframe1, dataframe2) dataframe1\n", frame)["result_dataset"]
    assert back["n"].tolist()[0] == 1 and pd.isna(back["n"].tolist()[1])
    assert back["s"].tolist() == ["a", None, "c"] and back["c"].dtype == "category"
    assert back["t"].tolist()[:2] == frame["t"].tolist()[:2] and pd.isna(back["t"].tolist()[2])


def test_a_script_that_calls_stop_fails_with_rs_message_and_calls(hr):
    script = """
check <- function(frame) {
  if (!("Salary" %in% names(frame))) stop("no Salary column in the input")
  frame
}
azureml_main <- function(dataframe1, dataframe2) {
  check(dataframe1)
}
"""
    with pytest.raises(ScriptFailed) as caught:
        run_r(script, hr.head(3))
    assert caught.value.message.startswith("Execute R Script: the R script raised an error: no Salary column in "
                                           "the input")
    assert "azureml_main(read_port(\"dataframe1\"), read_port(\"dataframe2\"))" in caught.value.log
    assert "check(dataframe1) (line 7)" in caught.value.log
    assert 'stop("no Salary column in the input") (line 3)' in caught.value.log


def test_a_seed_makes_sampling_repeatable_and_a_non_frame_is_refused(hr):
    script = "azureml_main <- function(dataframe1, dataframe2) dataframe1[sample(nrow(dataframe1), 5), ]\n"
    first, second = (run_r(script, hr, random_seed=4)["result_dataset"] for _ in range(2))
    assert first.equals(second)
    with pytest.raises(InvalidInput, match=r"Execute R Script: azureml_main returned numeric; return a data.frame"):
        run_r("azureml_main <- function(dataframe1, dataframe2) 42\n", hr.head(2))
    with pytest.raises(ScriptFailed, match="could not find function \"azureml_mainx\"|no function azureml_main"):
        run_r("azureml_mainx <- 1\n", hr.head(2))

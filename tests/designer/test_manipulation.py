"""Table modules: Azure's column selector, Edit Metadata, Join, Add Columns/Rows, duplicates, SQL, math,
clipping, bins and indicator values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modelyard.designer import run_module


def one(module, inputs, parameters=None):
    return next(iter(run_module(module, inputs, parameters or {}).values()))


def selected(frame, selection):
    return list(one("select_columns_in_dataset", {"dataset": frame}, {"select_columns": selection}).columns)


def rules(*items):
    return {"isFilter": True, "rules": list(items)}


def test_selector_by_name_keeps_the_given_order(hr):
    assert selected(hr, ["JobRole", "Age"]) == ["JobRole", "Age"]
    assert selected(hr, "JobRole, Age") == ["JobRole", "Age"]


def test_selector_by_type_and_exclusion(hr):
    numeric = [c for c in hr.columns if pd.api.types.is_numeric_dtype(hr[c])]
    assert selected(hr, rules({"ruleType": "ColumnTypes", "columnTypes": ["Numeric"]})) == numeric
    strings = selected(hr, rules({"ruleType": "ColumnTypes", "columnTypes": ["String"]},
                                 {"ruleType": "ColumnNames", "exclude": True, "columns": ["Over18"]}))
    assert strings == [c for c in hr.columns if c not in numeric and c != "Over18"]


def test_selector_starting_with_an_exclusion_starts_from_all_columns(hr):
    assert selected(hr, rules({"ruleType": "ColumnNames", "exclude": True, "columns": ["Age"]})) == list(hr.columns[1:])


def test_selector_by_indexes_is_one_based(hr):
    assert selected(hr, rules({"ruleType": "ColumnIndexes", "columnIndexes": "1-3,5"})) == \
        [hr.columns[i] for i in (0, 1, 2, 4)]


def test_selector_text_json_as_azure_stores_it(hr):
    text = '{"isFilter":true,"rules":[{"exclude":false,"ruleType":"ColumnNames","columns":["Age","Gender"]}]}'
    assert selected(hr, text) == ["Age", "Gender"]


def test_selector_with_an_unknown_name_names_it_and_the_nearest(hr):
    with pytest.raises(Exception, match=r"Select Columns in Dataset: parameter 'Select Columns' \(select_columns\): "
                                        r"columns 'Agee' \(did you mean 'Age'\?\), 'Nothing' not in the input"):
        selected(hr, ["Agee", "Gender", "Nothing"])


def test_edit_metadata_types_categories_and_names(hr):
    out = one("edit_metadata", {"dataset": hr}, {"column": ["Education", "JobLevel"], "data_type": "Floating point",
                                                 "new_column_names": "Edu, Level"})
    assert out["Edu"].dtype == float and "Education" not in out.columns and list(out.columns[:4]) == list(
        hr.columns[:4])
    out = one("edit_metadata", {"dataset": hr}, {"column": ["JobRole"], "categorical": "Categorical"})
    assert isinstance(out["JobRole"].dtype, pd.CategoricalDtype)
    with pytest.raises(Exception, match="Edit Metadata: column 'JobRole' cannot become Integer"):
        one("edit_metadata", {"dataset": hr}, {"column": ["JobRole"], "data_type": "Integer"})
    with pytest.raises(Exception, match="gives 1 names for 2 selected columns"):
        one("edit_metadata", {"dataset": hr}, {"column": ["Age", "Gender"], "new_column_names": "X"})


def test_join_data_kinds():
    left = pd.DataFrame({"id": [1, 2, 3], "a": ["x", "y", "z"]})
    right = pd.DataFrame({"id": [2, 3, 4], "a": ["q", "r", "s"]})
    keys = {"join_key_columns_for_left": ["id"], "join_key_columns_for_right": ["id"]}
    inner = one("join_data", {"left_dataset": left, "right_dataset": right}, keys)
    assert list(inner.columns) == ["id", "a", "id (2)", "a (2)"] and inner["id"].tolist() == [2, 3]
    outer = one("join_data", {"left_dataset": left, "right_dataset": right}, {**keys, "join_type": "Full Outer Join"})
    assert len(outer) == 4
    semi = one("join_data", {"left_dataset": left, "right_dataset": right}, {**keys, "join_type": "Left Semi-Join"})
    assert semi.equals(left.iloc[1:])
    lean = one("join_data", {"left_dataset": left, "right_dataset": right},
               {**keys, "join_type": "Left Outer Join", "keep_right_key_columns_in_joined_table": False})
    assert list(lean.columns) == ["id", "a", "a (2)"] and lean["a (2)"].isna().sum() == 1


def test_join_ignoring_case():
    left, right = pd.DataFrame({"k": ["A", "b"]}), pd.DataFrame({"k": ["a", "B"], "v": [1, 2]})
    keys = {"join_key_columns_for_left": ["k"], "join_key_columns_for_right": ["k"]}
    assert len(one("join_data", {"left_dataset": left, "right_dataset": right}, keys)) == 0
    found = one("join_data", {"left_dataset": left, "right_dataset": right}, {**keys, "match_case": False})
    assert found["v"].tolist() == [1, 2]


def test_add_columns_and_rows(hr):
    both = one("add_columns", {"left_dataset": hr[["Age"]], "right_dataset": hr[["Age", "Gender"]]})
    assert list(both.columns) == ["Age", "Age (2)", "Gender"]
    rows = one("add_rows", {"dataset1": hr.head(3), "dataset2": hr.tail(2)[list(reversed(hr.columns))]})
    assert len(rows) == 5 and list(rows.columns) == list(hr.columns)
    with pytest.raises(Exception, match="Add Rows: the datasets' columns differ \\(only in dataset1: Gender"):
        one("add_rows", {"dataset1": hr[["Age", "Gender"]], "dataset2": hr[["Age"]]})
    with pytest.raises(Exception, match="Add Columns needs as many rows on each side"):
        one("add_columns", {"left_dataset": hr.head(2), "right_dataset": hr.head(3)})


def test_remove_duplicate_rows(hr):
    first = one("remove_duplicate_rows", {"dataset": hr}, {"key_column_selection_filter_expression": ["JobRole"]})
    assert first.index.tolist() == hr.drop_duplicates("JobRole").index.tolist()
    last = one("remove_duplicate_rows", {"dataset": hr}, {"key_column_selection_filter_expression": ["JobRole"],
                                                          "retain_first_duplicate_row": False})
    assert last.index.tolist() == hr.drop_duplicates("JobRole", keep="last").index.tolist()


def test_sql_over_three_tables(hr):
    query = ("select t1.Department, count(*) as n, max(t2.x) as x, min(t3.y) as y from t1, "
             "(select 5 as x) as t2_, t2, t3 group by t1.Department order by n desc")
    out = one("apply_sql_transformation", {"t1": hr, "t2": pd.DataFrame({"x": [7]}), "t3": pd.DataFrame({"y": [1, 2]})},
              {"sql_query_script": query})
    assert out["n"].tolist() == [2 * n for n in hr["Department"].value_counts().tolist()]
    assert set(out["x"]) == {7} and set(out["y"]) == {1}


def test_a_failing_query_names_the_tables(hr):
    with pytest.raises(Exception, match=r"Apply SQL Transformation: the SQL query failed: .*t4.*\(tables: t1\)"):
        one("apply_sql_transformation", {"t1": hr}, {"sql_query_script": "select * from t4"})


def test_apply_math_operation_modes(hr):
    appended = one("apply_math_operation", {"dataset": hr}, {"category": "Basic", "basic_math_function": "Ln",
                                                             "column_set": ["MonthlyIncome"]})
    assert np.allclose(appended["Ln(MonthlyIncome)"], np.log(hr["MonthlyIncome"]))
    alone = one("apply_math_operation", {"dataset": hr}, {"category": "Operations", "arithmetic_operation": "Divide",
                                                          "second_argument": 12, "column_set": ["MonthlyIncome"],
                                                          "output_mode": "ResultOnly"})
    assert list(alone.columns) == ["Divide(MonthlyIncome)"] and np.allclose(alone.iloc[:, 0], hr["MonthlyIncome"] / 12)
    rounded = one("apply_math_operation", {"dataset": hr}, {"category": "Rounding", "rounding_operation": "Floor",
                                                            "precision": -3, "column_set": ["MonthlyIncome"],
                                                            "output_mode": "Inplace"})
    assert (rounded["MonthlyIncome"] == (hr["MonthlyIncome"] // 1000) * 1000).all()


def test_clip_values_constant_and_percentile(hr):
    out = one("clip_values", {"dataset": hr}, {"set_of_thresholds": "ClipPeaksAndSubpeaks", "upper_threshold": 50,
                                               "lower_threshold": 20, "list_of_columns": ["Age"]})
    assert out["Age"].tolist() == hr["Age"].clip(20, 50).tolist()
    out = one("clip_values", {"dataset": hr}, {"threshold": "Percentile", "upper_threshold": 90,
                                               "substitute_value_for_peaks": "Missing", "list_of_columns": ["Age"],
                                               "overwrite_flag": False})
    assert out["Age_clipped"].isna().sum() == (hr["Age"] > np.percentile(hr["Age"], 90)).sum()


def test_group_data_into_bins_quantiles_and_its_transformation(hr):
    out, binning = run_module("group_data_into_bins", {"dataset": hr.iloc[:1000]},
                              {"number_of_bins": 4, "columns_to_bin": ["Age"]}).values()
    quartiles = pd.qcut(hr["Age"].iloc[:1000], 4, labels=False) + 1
    assert out["Age_quantized"].astype(int).tolist() == quartiles.tolist()
    later = one("apply_transformation", {"transformation": binning, "dataset": hr.iloc[1000:]})
    edges = np.quantile(hr["Age"].iloc[:1000], [0.25, 0.5, 0.75])
    assert later["Age_quantized"].astype(int).tolist() == (np.searchsorted(edges, hr["Age"].iloc[1000:]) + 1).tolist()


def test_custom_bin_edges(hr):
    out = one("group_data_into_bins", {"dataset": hr}, {"binning_mode": "Custom Edges", "columns_to_bin": ["Age"],
                                                        "comma_separated_list_of_bin_edges": "30, 40",
                                                        "output_mode": "Inplace", "tag_columns_as_categorical": False})
    assert out["Age"].tolist() == [1 if a <= 30 else 2 if a <= 40 else 3 for a in hr["Age"]]


def test_convert_to_indicator_values(hr):
    out, transformation = run_module("convert_to_indicator_values", {"dataset": hr},
                                     {"categorical_columns_to_convert": ["Department"],
                                      "overwrite_categorical_columns": True}).values()
    levels = sorted(hr["Department"].unique())
    assert [c for c in out.columns if c.startswith("Department")] == [f"Department-{v}" for v in levels]
    assert (out[[f"Department-{v}" for v in levels]].sum(axis=1) == 1).all()
    new = one("apply_transformation", {"transformation": transformation,
                                       "dataset": hr.head(2).assign(Department="Unseen")})
    assert (new[[f"Department-{v}" for v in levels]] == 0).all().all()
    with pytest.raises(Exception, match="columns 'Age' \\(integer\\) are not categorical; make them categorical"):
        run_module("convert_to_indicator_values", {"dataset": hr}, {"categorical_columns_to_convert": ["Age"]})


def test_enter_data_manually():
    out = one("enter_data_manually", {}, {"data": "a,b\n1,x\n2,y\n"})
    assert out.to_dict("list") == {"a": [1, 2], "b": ["x", "y"]}


def test_sql_reads_its_tables_and_nothing_else(hr, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    with pytest.raises(Exception, match="Apply SQL Transformation: the SQL query failed: .*disabled by configuration"):
        one("apply_sql_transformation", {"t1": hr}, {"sql_query_script": f"select * from read_csv('{secret}')"})
    with pytest.raises(Exception, match="disabled by configuration"):
        one("apply_sql_transformation", {"t1": hr}, {"sql_query_script": f"copy t1 to '{tmp_path / 'out.csv'}'"})
    assert not (tmp_path / "out.csv").exists()


def test_sql_stops_at_the_callers_time_limit(hr):
    from modelyard.data import time_limit
    from modelyard.errors import TimeLimitExceeded

    endless = "select count(*) from range(1000000000000) a"
    with time_limit(0.5), pytest.raises(TimeLimitExceeded, match="ran past the 0.5 s limit and was stopped"):
        one("apply_sql_transformation", {"t1": hr.head(0)}, {"sql_query_script": endless})


def test_selector_types_with_azures_default_kind_and_a_refused_kind(hr):
    numeric = selected(hr, rules({"ruleType": "ColumnTypes", "columnTypes": ["Numeric"], "columnKinds": ["All"]}))
    assert "Age" in numeric and "Attrition" not in numeric
    with pytest.raises(Exception, match=r"Select Columns in Dataset: parameter 'Select Columns' \(select_columns\): is "
                                        r"not a column selector \(rules.0.columnKinds: column kinds \(Label\) are not "
                                        "tracked here"):
        selected(hr, rules({"ruleType": "ColumnTypes", "columnTypes": ["All"], "columnKinds": ["Label"]}))

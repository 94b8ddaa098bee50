"""The error tree: counts that a reader can reproduce by filtering the data along each node's path."""

from __future__ import annotations

import ast
import re

import pandas as pd

from modelyard.explain import analyze_errors

RULE = re.compile(r"^(?P<column>.+?) (?P<op><=|>|!=|=) (?P<value>.+?)(?P<missing> or missing)?$")


def _rows_matching(data: pd.DataFrame, rule: str) -> pd.Series:
    match = RULE.match(rule)
    column, op, value = match["column"], match["op"], ast.literal_eval(match["value"])
    values = data[column]
    hit = {"<=": lambda: values <= value, ">": lambda: values > value,
           "=": lambda: values == value, "!=": lambda: values != value}[op]()
    return hit | values.isna() if match["missing"] else hit.fillna(False)


def test_error_tree_counts_equal_the_rows_along_each_path(hr, lgbm_pipeline):
    wrong = lgbm_pipeline.predict(hr[lgbm_pipeline.feature_names_in_]) != hr.Attrition.to_numpy()
    analysis = analyze_errors(lgbm_pipeline, hr, target="Attrition", max_depth=3)
    assert analysis.rows == len(hr) and analysis.errors == int(wrong.sum()) > 0
    assert "Attrition" not in analysis.features and "OverTime" in analysis.features
    nodes = {n.id: n for n in analysis.nodes}
    root = nodes[0]
    assert root.parent is None and root.rows == len(hr) and root.error_coverage == 1.0
    assert len(nodes) > 1 and max(n.depth for n in nodes.values()) <= 3
    for node in nodes.values():
        mask = pd.Series(True, index=hr.index)
        walk = node
        while walk.parent is not None:
            mask &= _rows_matching(hr, walk.condition)
            walk = nodes[walk.parent]
        assert node.rows == int(mask.sum()), node.condition
        assert node.errors == int(wrong[mask.to_numpy()].sum())
        assert node.error_rate == node.errors / node.rows
        assert node.error_coverage == node.errors / analysis.errors
        if node.children:
            assert sum(nodes[c].rows for c in node.children) == node.rows


def test_error_tree_finds_a_category_where_every_prediction_is_wrong(hr, lr_pipeline):
    predicted = pd.Series(lr_pipeline.predict(hr[lr_pipeline.feature_names_in_]), index=hr.index)
    flipped = predicted.map({"Yes": "No", "No": "Yes"})
    cohort = hr.JobRole == "Sales Representative"
    data = hr.assign(Attrition=predicted.where(~cohort, flipped))  # wrong exactly on that cohort
    analysis = analyze_errors(lr_pipeline, data, target="Attrition", max_depth=2, min_rows=10)
    assert analysis.errors == int(cohort.sum())
    (leaf,) = [n for n in analysis.nodes if n.condition == "JobRole = 'Sales Representative'"]
    assert (leaf.rows, leaf.error_rate, leaf.error_coverage) == (int(cohort.sum()), 1.0, 1.0)
    assert not leaf.children

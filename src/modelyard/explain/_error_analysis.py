"""``analyze_errors``: a shallow decision tree over the raw columns that finds where the model is wrong.

Each node reports its rows, its errors, its error rate and its share of all errors (coverage), counted
on the data itself. Text columns split as ``column = 'value'`` against the rest.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from modelyard._json import plain
from modelyard.errors import InvalidInput
from modelyard.explain._model import check_columns, unwrap
from modelyard.spec.explain import ErrorAnalysis, ErrorNode

MAX_VALUES = 30   # most frequent values of a text column that the tree may split on


def _tree_inputs(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, object]]]:
    """A numeric matrix for the tree, and per matrix column the raw column and (for text) the value it tests."""
    columns, tests = {}, []
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            columns[str(name)] = pd.to_numeric(values, errors="coerce").astype(float)
            tests.append((str(name), None))
            continue
        for value in values.dropna().value_counts().index[:MAX_VALUES]:
            columns[f"{name} = {value!r}"] = (values == value).fillna(False).astype(float)
            tests.append((str(name), plain(value)))
    return pd.DataFrame(columns, index=frame.index), tests


def _conditions(tree, tests) -> dict[int, str]:
    """The rule on the edge into each non-root node."""
    out = {}
    for node in range(tree.node_count):
        left, right = tree.children_left[node], tree.children_right[node]
        if left < 0:
            continue
        column, value = tests[tree.feature[node]]
        missing_left = bool(getattr(tree, "missing_go_to_left", np.zeros(tree.node_count))[node])
        if value is not None:
            out[left], out[right] = f"{column} != {value!r}", f"{column} = {value!r}"
            continue
        cut = f"{tree.threshold[node]:.6g}"
        out[left] = f"{column} <= {cut}" + (" or missing" if missing_left else "")
        out[right] = f"{column} > {cut}" + ("" if missing_left else " or missing")
    return out


def _errors(unwrapped, frame: pd.DataFrame, truth: pd.Series, tolerance: float | None) -> np.ndarray:
    predicted = unwrapped.model.predict(frame)
    if unwrapped.is_classifier:
        return np.asarray(predicted) != truth.to_numpy()
    if tolerance is None:
        raise InvalidInput("error analysis of a regression model needs error_tolerance: the absolute error above "
                           "which a prediction counts as wrong")
    return np.abs(np.asarray(predicted, dtype=float) - pd.to_numeric(truth, errors="coerce").to_numpy()) > tolerance


def analyze_errors(model, data: pd.DataFrame, *, target: str, max_depth: int = 3, min_rows: int | None = None,
                   error_tolerance: float | None = None) -> ErrorAnalysis:
    """The error tree of ``model`` on ``data`` (which holds the true ``target``)."""
    from sklearn.tree import DecisionTreeClassifier

    if target not in data.columns:
        raise InvalidInput(f"target column {target!r} is not in the data; columns are "
                           f"{', '.join(map(str, data.columns))}")
    if not 1 <= max_depth <= 8:
        raise InvalidInput(f"max_depth {max_depth} is out of range: an error tree is read by people, use 1 to 8")
    unwrapped = unwrap(model)
    frame = check_columns(unwrapped, data.drop(columns=[target]))
    wrong = _errors(unwrapped, frame, data[target], error_tolerance)
    inputs, tests = _tree_inputs(frame)
    leaf = min_rows or max(20, len(frame) // 100)
    tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=leaf, random_state=0)
    tree.fit(inputs, wrong.astype(int))
    membership = tree.decision_path(inputs).tocsc()
    rows = np.asarray(membership.sum(axis=0)).ravel()
    errors = np.asarray(membership.T @ wrong.astype(int)).ravel()
    conditions = _conditions(tree.tree_, tests)
    total_errors = int(wrong.sum())
    parents = {int(c): p for p in range(tree.tree_.node_count)
               for c in (tree.tree_.children_left[p], tree.tree_.children_right[p]) if c >= 0}
    depth = {0: 0}
    nodes = []
    for node in range(tree.tree_.node_count):
        parent = parents.get(node)
        if parent is not None:
            depth[node] = depth[parent] + 1
        children = [int(c) for c in (tree.tree_.children_left[node], tree.tree_.children_right[node]) if c >= 0]
        nodes.append(ErrorNode(id=node, parent=parent, depth=depth[node], condition=conditions.get(node),
                               rows=int(rows[node]), errors=int(errors[node]),
                               error_rate=float(errors[node] / rows[node]) if rows[node] else 0.0,
                               error_coverage=float(errors[node] / total_errors) if total_errors else 0.0,
                               children=children))
    return ErrorAnalysis(rows=len(frame), errors=total_errors, error_rate=total_errors / len(frame),
                         features=[str(c) for c in frame.columns], nodes=nodes)

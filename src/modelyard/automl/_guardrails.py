"""Data guardrails, Azure style: each has a name, a status (passed / done / alerted) and details."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from modelyard.automl._featurize import ColumnPlan

IMBALANCE_RATIO = 0.2       # a class smaller than 20% of the largest one is imbalanced (Azure's rule)
MIN_ROWS_PER_CLASS = 10
LEAKAGE_SCORE = 0.98
LEAKAGE_ROWS = 5000


def _rail(name: str, status: str, description: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"name": name, "status": status, "description": description, "details": details or []}


def class_balance(y_labels: pd.Series) -> dict[str, Any]:
    counts = y_labels.value_counts()
    ratio = float(counts.min() / counts.max())
    details = [{"class": str(k), "rows": int(v), "share": round(float(v / counts.sum()), 4)} for k, v in counts.items()]
    if ratio < IMBALANCE_RATIO:
        return _rail("Class balancing detection", "alerted",
                     f"imbalanced classes: the smallest class has {ratio:.0%} of the rows of the largest; "
                     "prefer AUC_weighted or a balanced metric, and consider class weights", details)
    return _rail("Class balancing detection", "passed", "classes are balanced", details)


def rows_per_class(y_labels: pd.Series, n_folds: int) -> dict[str, Any]:
    counts = y_labels.value_counts()
    small = counts[counts < max(MIN_ROWS_PER_CLASS, n_folds)]
    details = [{"class": str(k), "rows": int(v)} for k, v in small.items()]
    if len(small):
        return _rail("Too few rows per class", "alerted",
                     f"{len(small)} class(es) have fewer than {max(MIN_ROWS_PER_CLASS, n_folds)} rows; their metrics "
                     "are unreliable and some validation folds may lack them; add rows or merge rare classes", details)
    return _rail("Too few rows per class", "passed", f"every class has at least {MIN_ROWS_PER_CLASS} rows")


def missing_values(plans: list[ColumnPlan]) -> dict[str, Any]:
    details = [{"column": p.column, "missing_values": p.n_missing, "type_detected": p.purpose,
                "imputation": "mean" if p.purpose == "Numeric" else
                ("missing category" if p.purpose == "Categorical" else "mean of parts" if p.purpose == "DateTime"
                 else "empty string")}
               for p in plans if p.n_missing and not p.dropped]
    if details:
        return _rail("Missing feature values imputation", "done",
                     f"missing values imputed in {len(details)} column(s)", details)
    return _rail("Missing feature values imputation", "passed", "no missing feature values")


def high_cardinality(plans: list[ColumnPlan]) -> dict[str, Any]:
    details = [{"column": p.column, "type_detected": p.purpose, "distinct_values": p.n_unique,
                "action": "dropped" if p.dropped else f"{p.encoding} encoding", "reason": p.reason}
               for p in plans if p.purpose == "Identifier" or (p.purpose == "Categorical" and p.encoding != "onehot")]
    if details:
        return _rail("High cardinality feature detection", "done",
                     f"{len(details)} high-cardinality column(s) dropped or encoded", details)
    return _rail("High cardinality feature detection", "passed", "no high-cardinality columns")


def dropped_columns(plans: list[ColumnPlan]) -> dict[str, Any]:
    details = [{"column": p.column, "type_detected": p.purpose, "reason": p.reason}
               for p in plans if p.purpose in ("Constant", "Empty", "Ignore")]
    if details:
        return _rail("Empty and constant columns", "done", f"{len(details)} column(s) dropped", details)
    return _rail("Empty and constant columns", "passed", "no empty or constant columns")


def missing_target(dropped_rows: int, total: int) -> dict[str, Any]:
    if dropped_rows:
        return _rail("Missing target values", "done",
                     f"{dropped_rows} of {total} rows had no target value and were left out",
                     [{"rows": dropped_rows}])
    return _rail("Missing target values", "passed", "every row has a target value")


def leakage(frame: pd.DataFrame, plans: list[ColumnPlan], y: np.ndarray, task: str) -> dict[str, Any]:
    """Alert on any single column that predicts the target almost perfectly on rows it was not fitted on."""
    from sklearn.model_selection import cross_val_score
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

    rows = np.arange(len(frame))
    if len(rows) > LEAKAGE_ROWS:
        rows = np.sort(np.random.default_rng(0).choice(rows, LEAKAGE_ROWS, replace=False))
    target = y[rows]
    suspects = []
    for plan in plans:
        if plan.dropped or plan.purpose in ("Text", "DateTime"):
            continue
        values = frame[plan.column].iloc[rows]
        if plan.purpose == "Numeric":
            x = pd.to_numeric(values, errors="coerce").astype(float).fillna(-1e12).to_numpy()
        else:
            x = pd.factorize(values.astype(object).where(values.notna(), "(missing)"))[0].astype(float)
        x = x.reshape(-1, 1)
        if task == "classification":
            if np.bincount(target).min() < 3:
                continue
            model = DecisionTreeClassifier(max_leaf_nodes=32, random_state=0)
            score = cross_val_score(model, x, target, cv=3, scoring="balanced_accuracy").mean()
        else:
            model = DecisionTreeRegressor(max_leaf_nodes=64, random_state=0)
            score = cross_val_score(model, x, target, cv=3, scoring="r2").mean()
        if score >= LEAKAGE_SCORE:
            suspects.append({"column": plan.column, "score": round(float(score), 4),
                             "score_name": "balanced_accuracy" if task == "classification" else "r2_score"})
    if suspects:
        names = ", ".join(repr(s["column"]) for s in suspects)
        return _rail("Target leakage detection", "alerted",
                     f"{names} alone predict(s) the target almost perfectly: check that it is known at prediction "
                     "time, else drop it with featurization.drop_columns", suspects)
    return _rail("Target leakage detection", "passed", "no single column predicts the target almost perfectly")


def validation_split(description: str, rows: int) -> dict[str, Any]:
    return _rail("Validation split handling", "done", description, [{"training_rows": rows}])

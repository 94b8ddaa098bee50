"""Column purposes are inferred from the values (never the names), and every raw column is accounted for."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from modelyard.automl import _featurize
from modelyard.errors import InvalidInput
from modelyard.spec.automl import Featurization


def _plans(frame, **featurization):
    return {p.column: p for p in _featurize.plan_columns(frame, Featurization(**featurization), "classification")}


def test_hr_identifier_and_constant_columns_are_found_without_their_names(hr):
    features = hr.drop(columns="Attrition")
    renamed = features.rename(columns={c: f"c{i}" for i, c in enumerate(features.columns)})
    plans = _featurize.plan_columns(renamed, Featurization(), "classification")
    by_original = {orig: plan for orig, plan in zip(features.columns, plans)}
    assert by_original["EmployeeNumber"].purpose == "Identifier"
    for constant in ("EmployeeCount", "Over18", "StandardHours"):
        assert by_original[constant].purpose == "Constant"
    kept = {c for c, p in by_original.items() if not p.dropped}
    assert {"Age", "MonthlyIncome", "OverTime", "BusinessTravel", "JobRole"} <= kept
    assert by_original["OverTime"].purpose == "Categorical"          # pandas 3 reads it as str, not object
    assert by_original["MonthlyIncome"].purpose == "Numeric"
    # reasons read as the data, never as Python reprs such as np.int64(1)
    assert by_original["EmployeeCount"].reason == "a single value (1)"
    assert by_original["Over18"].reason == "a single value ('Y')"


def test_summary_maps_each_raw_column_to_its_engineered_features(hr):
    features = hr.drop(columns="Attrition")
    plans = _featurize.plan_columns(features, Featurization(), "classification")
    featurizer = _featurize.build_featurizer(plans, "classification")
    X = featurizer.fit_transform(features, (hr["Attrition"] == "Yes").astype(int))
    summary = {row["raw_feature_name"]: row for row in _featurize.summarize(plans, featurizer)}
    assert set(summary) == set(features.columns)
    assert summary["EmployeeNumber"]["dropped"] and summary["EmployeeNumber"]["engineered_feature_count"] == 0
    assert summary["BusinessTravel"]["engineered_feature_count"] == 3              # one-hot of 3 values
    assert "OneHotEncoder" in summary["BusinessTravel"]["transformations"]
    assert summary["Age"]["engineered_features"] == ["Age"]
    assert sum(r["engineered_feature_count"] for r in summary.values()) == X.shape[1]
    assert np.isfinite(X).all()


def test_datetime_text_high_cardinality_and_missing_values():
    rng = np.random.default_rng(0)
    n = 300
    words = ["good", "bad", "service", "slow", "fast", "friendly", "rude", "price", "quality", "late"]
    frame = pd.DataFrame({
        "when": pd.date_range("2024-01-01", periods=n, freq="7h").astype(str),
        "review": [" ".join(rng.choice(words, 6)) + f" {i}" for i in range(n)],
        "city": [f"city{i % 80}" for i in range(n)],
        "amount": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)),
        "code": [f"C{i:05d}" for i in range(n)],
    })
    plans = _plans(frame)
    assert plans["when"].purpose == "DateTime" and "hour" in plans["when"].options["parts"]
    assert plans["review"].purpose == "Text"
    assert plans["city"].purpose == "Categorical" and plans["city"].encoding == "target"
    assert plans["amount"].purpose == "Numeric" and plans["amount"].n_missing > 0
    assert plans["code"].purpose == "Identifier"
    featurizer = _featurize.build_featurizer(list(plans.values()), "classification")
    y = rng.integers(0, 2, n)
    X = featurizer.fit_transform(frame, y)
    summary = {r["raw_feature_name"]: r for r in _featurize.summarize(list(plans.values()), featurizer)}
    assert "when_day_of_week" in " ".join(summary["when"]["engineered_features"])
    assert summary["review"]["engineered_feature_count"] > 5
    assert summary["amount"]["engineered_features"] == ["amount", "missingindicator_amount"]
    assert np.isfinite(X).all()
    # unseen categories, missing dates and empty text at prediction time do not break the transformer
    fresh = frame.head(3).copy()
    fresh.loc[:, "city"] = "atlantis"
    fresh.loc[:, "when"] = None
    fresh.loc[:, "review"] = None
    assert np.isfinite(featurizer.transform(fresh)).all()


def test_custom_mode_drops_forces_types_and_sets_imputation():
    frame = pd.DataFrame({"a": [1, 2, 3, None] * 10, "b": ["x", "y"] * 20, "zip": [10001, 10002, 10003, 10004] * 10})
    plans = _plans(frame, mode="custom", drop_columns=["b"], column_name_and_types={"zip": "Categorical"},
                   transformer_params={"imputer": [{"fields": ["a"], "parameters": {"strategy": "median"}}]})
    assert plans["b"].purpose == "Ignore"
    assert plans["zip"].purpose == "Categorical"
    assert plans["a"].options["imputer"] == {"strategy": "median"}
    with pytest.raises(InvalidInput, match="'nope'"):
        _plans(frame, mode="custom", drop_columns=["nope"])


def test_off_mode_refuses_text_columns():
    frame = pd.DataFrame({"a": range(40), "b": ["x", "y"] * 20})
    with pytest.raises(InvalidInput, match="featurization mode 'off'.*'b'"):
        _plans(frame, mode="off")
    plans = _plans(frame[["a"]], mode="off")
    assert plans["a"].purpose == "Numeric"            # off keeps even an id-like integer column

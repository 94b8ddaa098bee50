"""Target dtypes a CSV cannot carry (pandas' category, nullable Int64 and boolean) give the user's labels back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from automl_fixtures import make_job
from modelyard._json import dumps


def _frame(labels: pd.Series) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    a = rng.normal(size=len(labels))
    return pd.DataFrame({"a": a + np.where(labels.fillna(labels.dropna().iloc[0]).astype(str) ==
                                           str(labels.dropna().iloc[0]), 1.5, -1.5),
                         "b": rng.normal(size=len(labels)), "label": labels})


@pytest.mark.parametrize("labels, expected", [
    (pd.Series(["no", "yes"] * 100, dtype="category"), ["no", "yes"]),
    (pd.Series([0, 1] * 99 + [pd.NA, pd.NA], dtype="Int64"), [0, 1]),
    (pd.Series([5, 7] * 100, dtype="int32"), [5, 7]),
    (pd.Series([True, False] * 99 + [pd.NA, pd.NA], dtype="boolean"), [False, True]),
])
def test_pandas_target_dtypes_give_the_users_labels(labels, expected):
    from modelyard.automl import TrialConfig, refit_trial
    from modelyard.automl._prepare import prepare

    frame = _frame(labels)
    job = make_job(target="label", primary_metric="accuracy")
    prepared = prepare(job, frame, None)
    assert prepared.classes == expected and [type(c) for c in prepared.classes] == [type(c) for c in expected]
    assert dumps({"classes": prepared.classes}) == '{"classes": ' + dumps(expected) + "}"
    model = refit_trial(job, frame, None, TrialConfig("LogisticRegression", {"C": 1.0, "scaler": "StandardScaler",
                                                                             "class_weight": "none"}))
    assert list(model.classes_) == expected
    predicted = model.predict(frame.drop(columns=["label"]).head(20))
    assert set(predicted.tolist()) == set(expected)


def test_numpy_and_pandas_values_become_plain_json():
    value = {"classes": [np.int64(0), np.bool_(True), np.float32(0.5)], np.int64(3): pd.Timestamp("2026-01-02"),
             "missing": pd.NA, "array": np.arange(2), "index": pd.Index(["a"])}
    assert dumps(value) == ('{"classes": [0, true, 0.5], "3": "2026-01-02T00:00:00", "missing": null, '
                            '"array": [0, 1], "index": ["a"]}')

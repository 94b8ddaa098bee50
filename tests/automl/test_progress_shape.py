"""The progress an AutoML job records passes through its typed shape (spec/automl_progress.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from modelyard.automl._guardrails import class_balance, rows_per_class
from modelyard.spec.automl_progress import AutoMLProgress


def test_what_the_engine_reports_fits_the_shape_as_plain_json():
    labels = pd.Series(["No"] * 90 + ["Yes"] * 10)
    rails = [class_balance(labels), rows_per_class(labels, 3)]
    part = AutoMLProgress.part(guardrails=rails, classes=[np.int64(0), np.int64(1)], trials_done=np.int64(4))
    assert [r["status"] for r in part["guardrails"]] == ["alerted", "passed"]
    assert part["classes"] == [0, 1] and type(part["classes"][0]) is int and part["trials_done"] == 4
    assert set(part) == {"guardrails", "classes", "trials_done"}  # only what was written, merged into the rest


def test_a_value_of_the_wrong_shape_is_refused_naming_the_field():
    with pytest.raises(ValidationError, match=r"guardrails\.0\.status"):
        AutoMLProgress.part(guardrails=[{"name": "x", "status": "fine", "description": "", "details": []}])


def test_properties_of_other_writers_are_kept_when_read():
    progress = AutoMLProgress.of({"task": "classification", "schedule": "nightly", "best_score": 0.9})
    assert progress.best_score == 0.9 and progress.model_dump(exclude_unset=True)["schedule"] == "nightly"

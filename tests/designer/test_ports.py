"""Port values written as folders read back as the same values; a failed write leaves nothing."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from modelyard.designer import read_port, run_module, write_port
from modelyard.errors import Conflict


def test_every_port_type_round_trips(workshop, tmp_path):
    scored = write_port(workshop["scored"], "DataFrameDirectory", tmp_path / "scored")
    again = read_port("DataFrameDirectory", scored)
    pd.testing.assert_frame_equal(again, workshop["scored"])
    assert json.loads((scored / "schema.json").read_text())["columns"]["Scored Probabilities"] == "decimal"
    assert run_module("evaluate_model", {"scored_dataset": again})["evaluation_results"] == workshop["evaluation"]

    model_path = write_port(workshop["model"], "ModelDirectory", tmp_path / "model")
    summary = json.loads((model_path / "designer.json").read_text())
    assert (summary["learner"], summary["label_column"], summary["classes"]) == (
        "Two-Class Logistic Regression", "Attrition", ["No", "Yes"])
    assert summary["parameters"]["C"] == 0.5 and "Age" in summary["feature_columns"]
    model = read_port("ModelDirectory", model_path)
    from mlflow.models import Model

    from modelyard.serving import schema_from_signature

    signature = Model.load(str(model_path / "MLmodel")).signature.inputs.to_json()
    served = {column.name: column.type for column in schema_from_signature(signature).columns}
    assert served["Age"] == "long" and served["JobRole"] == "string" and "Attrition" not in served
    assert list(served) == workshop["model"].feature_columns
    assert np.allclose(model.predict_proba(workshop["test"])[:, 1], workshop["scored"]["Scored Probabilities"])

    learner_path = write_port(workshop["learner"], "UntrainedModel", tmp_path / "learner")
    assert json.loads((learner_path / "untrained_model.json").read_text())["parameters"]["l2_regularization_weight"] == 1
    learner = read_port("UntrainedModel", learner_path)
    assert learner.estimator().get_params() == workshop["learner"].estimator().get_params()

    _, normalizer = run_module("normalize_data", {"dataset": workshop["train"]}).values()
    loaded = read_port("TransformationDirectory", write_port(normalizer, "TransformationDirectory", tmp_path / "t"))
    pd.testing.assert_frame_equal(loaded.transform(workshop["test"]), normalizer.transform(workshop["test"]))

    evaluation = write_port(workshop["evaluation"], "EvaluationResult", tmp_path / "evaluation")
    assert read_port("EvaluationResult", evaluation) == workshop["evaluation"]


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    unwritable = pd.DataFrame({"mixed": [1, "two", 3.0]})  # parquet refuses a column of mixed types
    with pytest.raises(Exception):
        write_port(unwritable, "DataFrameDirectory", tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_not_overwritten(workshop, tmp_path):
    write_port(workshop["evaluation"], "EvaluationResult", tmp_path / "e")
    with pytest.raises(Conflict, match="exists already"):
        write_port(workshop["evaluation"], "EvaluationResult", tmp_path / "e")

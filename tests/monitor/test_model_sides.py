"""What a signal compares over a model's collected data: the inputs the model received, its predictions against
the reference's labels, the top N features by the model's importance."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from modelyard.errors import InvalidInput
from modelyard.monitor import compute_drift
from modelyard.spec.monitor import MonitorData, MonitorSignal

from .test_shift import production_from

NOT_RECEIVED = ["EmployeeCount", "EmployeeNumber", "Over18", "StandardHours"]
COLLECTED = {"input_data": {"path": "azureml:ep-blue-model_inputs@latest"}}


def test_a_collected_name_defaults_the_timestamp_and_the_data_context():
    data = MonitorData.model_validate({**COLLECTED, "data_window": {"lookback_window_size": "P1D"}})
    assert (data.timestamp_column, data.data_context) == ("timestamp", "model_inputs")
    outputs = MonitorData.model_validate({"input_data": {"path": "ep-blue-model_outputs"}, "timestamp_column": "t"})
    assert (outputs.timestamp_column, outputs.data_context) == ("t", "model_outputs")
    with pytest.raises(ValueError, match="a data_window needs timestamp_column"):
        MonitorData.model_validate({"input_data": {"path": "azureml:hr@latest"},
                                    "data_window": {"lookback_window_size": "P1D"}})


def test_all_features_over_model_inputs_are_the_columns_the_model_received(hr):
    inputs = production_from(hr, 1000, True).drop(columns=NOT_RECEIVED + ["Attrition"])
    signal = MonitorSignal(type="data_drift", production_data={"data_context": "model_inputs"},
                           reference_data={"target_column_name": "Attrition"})
    result = compute_drift(hr, inputs, signal)
    assert len(result.features) == 30 and set(result.failed_features) == {"Age", "MonthlyIncome", "BusinessTravel"}
    plain = MonitorSignal(type="data_drift", reference_data={"target_column_name": "Attrition"})
    with pytest.raises(InvalidInput, match="production data lacks the feature 'EmployeeCount'"):
        compute_drift(hr, inputs, plain)


@pytest.mark.parametrize("as_arrow", [False, True])
def test_prediction_drift_compares_the_predictions_with_the_reference_labels(hr, as_arrow):
    yes = pd.DataFrame({"prediction": ["Yes"] * 600 + ["No"] * 400})
    outputs = pa.Table.from_pandas(yes) if as_arrow else yes
    signal = MonitorSignal(type="prediction_drift", reference_data={"target_column_name": "Attrition"})
    result = compute_drift(hr, outputs, signal)
    [attrition] = result.features
    assert attrition.feature == "Attrition" and attrition.passed is False
    assert attrition.histogram.categories == ["No", "Yes"] and attrition.histogram.production == [400, 600]
    as_labelled = pd.DataFrame({"prediction": hr["Attrition"]})
    assert compute_drift(hr, as_labelled, signal).status == "passed"
    named = signal.model_copy(update={"production_data": MonitorData(target_column_name="label")})
    with pytest.raises(InvalidInput, match="lacks the prediction column 'label'"):
        compute_drift(hr, outputs, named)


def test_top_n_feature_importance_takes_the_most_important_reference_columns(hr):
    signal = MonitorSignal(type="data_drift", features={"top_n_feature_importance": 2},
                           reference_data={"target_column_name": "Attrition"})
    importance = {"OverTime": 0.9, "Age": -0.5, "Attrition": 5.0, "NotAColumn": 3.0, "DailyRate": 0.1}
    result = compute_drift(hr, production_from(hr, 500, True), signal, importance=importance)
    assert [f.feature for f in result.features] == ["OverTime", "Age"] and result.failed_features == ["Age"]

"""The v1 entry script: init() loads the registered model, run(raw_data) scores a JSON body."""

import json

import joblib
import pandas as pd

from modelyard.azureml.core.model import Model


def init():
    global model
    model = joblib.load(Model.get_model_path("ibm-attrition"))


def run(raw_data):
    rows = pd.DataFrame(json.loads(raw_data)["data"])
    return {"predictions": model.predict(rows).tolist()}

"""A batch scoring script (the Azure ML contract): ``init()`` once per process, ``run(mini_batch)`` per mini-batch.

``mini_batch`` is a pandas DataFrame of rows for tabular input (a list of file paths for
uri_folder input). The rows ``run`` returns are written to the output file; fewer rows than it
was given count the missing ones as failed.
"""

import os

import mlflow.sklearn
import pandas as pd

model = None


def init():
    global model
    model = mlflow.sklearn.load_model(os.environ["AZUREML_MODEL_DIR"])


def run(mini_batch: pd.DataFrame) -> pd.DataFrame:
    probabilities = model.predict_proba(mini_batch)
    leaving = list(model.classes_).index("Yes")
    return pd.DataFrame({"EmployeeNumber": mini_batch["EmployeeNumber"],
                         "attrition_probability": probabilities[:, leaving]})

"""``azureml.train.sklearn``: the SKLearn estimator (an Estimator whose environment is the server's)."""

from modelyard.azureml.core._script_run import SKLearn

__all__ = ["SKLearn"]

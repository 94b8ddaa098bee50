"""``azureml.train.estimator``: the old Estimator, submitted as a command job."""

from modelyard.azureml.core._script_run import Estimator

__all__ = ["Estimator"]

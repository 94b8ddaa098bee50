"""``azureml.train``: the Estimator and Automated ML."""

from modelyard.azureml._v1 import module_getattr

__getattr__ = module_getattr("azureml.train", {"hyperdrive": "a sweep job (type: sweep)"}, __name__)

"""``azureml.train.automl``: ``AutoMLConfig`` submitted with ``experiment.submit(config)``."""

from modelyard.azureml._v1 import module_getattr
from modelyard.azureml.train.automl._config import AutoMLConfig

__all__ = ["AutoMLConfig"]

__getattr__ = module_getattr("azureml.train.automl", {}, __name__)

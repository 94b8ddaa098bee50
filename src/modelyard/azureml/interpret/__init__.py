"""Azure ML v1's interpretability (``azureml.interpret`` and ``interpret.ext.blackbox``) over modelyard's explain
engine: ``from modelyard.azureml.interpret import TabularExplainer, MimicExplainer, ExplanationClient``, or
``from modelyard.azureml.interpret.ext.blackbox import TabularExplainer``."""

from modelyard.azureml._v1 import module_getattr
from modelyard.azureml.interpret._client import ExplanationClient
from modelyard.azureml.interpret._explainers import MimicExplainer, TabularExplainer

__all__ = ["ExplanationClient", "MimicExplainer", "TabularExplainer"]

__getattr__ = module_getattr("azureml.interpret", {"PFIExplainer": "TabularExplainer (permutation SHAP)"},
                             __name__)

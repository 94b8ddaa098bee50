"""``interpret.ext.blackbox``: the v1 explainers (see ``modelyard.azureml.interpret``)."""

from modelyard.azureml._v1 import module_getattr
from modelyard.azureml.interpret._explainers import MimicExplainer, TabularExplainer

__all__ = ["MimicExplainer", "TabularExplainer"]

__getattr__ = module_getattr("interpret.ext.blackbox", {"PFIExplainer": "TabularExplainer (permutation SHAP)"})

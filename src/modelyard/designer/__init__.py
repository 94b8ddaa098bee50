"""The Designer's built-in modules: pure computations over pandas DataFrames and scikit-learn models."""

from modelyard.designer._registry import catalogue, get_module
from modelyard.designer._run import run_module

__all__ = ["catalogue", "get_module", "run_module"]

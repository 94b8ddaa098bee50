"""The Designer's built-in modules: pure computations over pandas DataFrames and scikit-learn models."""

from modelyard.designer._registry import catalogue, get_module
from modelyard.designer._run import run_module
from modelyard.designer._validate import flow_schemas, validate_draft

__all__ = ["catalogue", "flow_schemas", "get_module", "run_module", "validate_draft"]

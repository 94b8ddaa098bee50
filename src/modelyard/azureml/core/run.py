"""``azureml.core.run``."""

from modelyard.azureml.core._run import Run

__all__ = ["Run"]

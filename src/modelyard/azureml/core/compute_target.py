"""``azureml.core.compute_target``: the exception v1 code catches around ``ComputeTarget(ws, name)``."""

from modelyard.errors import NotFound


class ComputeTargetException(NotFound):
    """A compute target that does not exist (or failed to provision)."""


__all__ = ["ComputeTargetException"]

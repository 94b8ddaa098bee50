"""The Azure ML v1 Python API (``azureml.core``, retired in 2026) over modelyard's own SDK.

Change ``from azureml.core import Workspace`` into ``from modelyard.azureml.core import Workspace``
and a v1 notebook runs against the local workspace. The shim only translates calls and shapes:
every rule lives behind ``modelyard.Workspace``. A v1 call it does not cover raises
NotImplementedError naming the modelyard equivalent; a v1 argument with no local effect warns
(V1ArgumentWarning) and says what happens instead.
"""

from modelyard.azureml._v1 import V1ArgumentWarning, module_getattr

__all__ = ["V1ArgumentWarning"]

__getattr__ = module_getattr("azureml", {}, __name__)

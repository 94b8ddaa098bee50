"""``azureml.core.authentication``: the local workspace needs no Azure login."""

from modelyard.azureml._v1 import module_getattr
from modelyard.azureml.core._workspace import InteractiveLoginAuthentication

__all__ = ["InteractiveLoginAuthentication"]

__getattr__ = module_getattr("azureml.core.authentication", {
    "ServicePrincipalAuthentication": "the workspace's API token (`modelyard up` with a token; Workspace.connect)"})

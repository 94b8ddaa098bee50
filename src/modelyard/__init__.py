"""modelyard: a self-hosted machine-learning workspace.

    from modelyard import Workspace
    ws = Workspace.from_config()
    df = ws.data.get("employeeattrition").to_pandas()

Inside a job, ``from modelyard import run; run.log("AUC", 0.81)`` logs to the job's run;
``from modelyard import automl`` is the Automated ML engine.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# Every public name, with the module it lives in. Resolved lazily, so that `modelyard --help`
# does not pay for httpx, pydantic models or the ML libraries.
_EXPORTS = {
    "AutoMLJob": "modelyard.spec.automl",
    "BatchDeploymentCreate": "modelyard.spec.batch_endpoint",
    "BatchEndpointCreate": "modelyard.spec.batch_endpoint",
    "ClusterComputeCreate": "modelyard.spec.compute",
    "CommandJob": "modelyard.spec.job",
    "ComponentCreate": "modelyard.spec.component",
    "Conflict": "modelyard.errors",
    "DataAssetCreate": "modelyard.spec.data",
    "HttpDatastoreCreate": "modelyard.spec.datastore",
    "InstanceComputeCreate": "modelyard.spec.compute",
    "InvalidInput": "modelyard.errors",
    "LocalDatastoreCreate": "modelyard.spec.datastore",
    "ModelCreate": "modelyard.spec.model",
    "ModelyardError": "modelyard.errors",
    "NotFound": "modelyard.errors",
    "OnlineDeploymentCreate": "modelyard.spec.endpoint",
    "OnlineEndpointCreate": "modelyard.spec.endpoint",
    "PayloadTooLarge": "modelyard.errors",
    "PipelineJob": "modelyard.spec.job",
    "RayComputeCreate": "modelyard.spec.compute",
    "S3DatastoreCreate": "modelyard.spec.datastore",
    "SqlDatastoreCreate": "modelyard.spec.datastore",
    "Unauthorized": "modelyard.errors",
    "Unreachable": "modelyard.errors",
    "Workspace": "modelyard.client",
}
_SUBMODULES = ("automl", "run")

__all__ = sorted([*_EXPORTS, *_SUBMODULES, "__version__"])


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    if name in _SUBMODULES:
        return importlib.import_module(f"modelyard.{name}")
    raise AttributeError(f"module 'modelyard' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__

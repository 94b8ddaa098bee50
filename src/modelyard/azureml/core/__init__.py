"""``azureml.core`` over the local workspace: ``from modelyard.azureml.core import Workspace, Dataset``."""

from modelyard.azureml._v1 import module_getattr
from modelyard.azureml.core._dataset import Dataset, TabularDataset
from modelyard.azureml.core._datastore import Datastore
from modelyard.azureml.core._environment import Environment
from modelyard.azureml.core._experiment import Experiment
from modelyard.azureml.core._run import Run
from modelyard.azureml.core._script_run import ScriptRunConfig
from modelyard.azureml.core._workspace import InteractiveLoginAuthentication, Workspace
from modelyard.azureml.core.compute import ComputeTarget
from modelyard.azureml.core.model import Model

VERSION = "1.57.0"  # the last v1 release whose calls this shim follows

__all__ = ["ComputeTarget", "Dataset", "Datastore", "Environment", "Experiment", "InteractiveLoginAuthentication",
           "Model", "Run", "ScriptRunConfig", "TabularDataset", "VERSION", "Workspace"]

__getattr__ = module_getattr("azureml.core", {
    "RunConfiguration": "ScriptRunConfig(environment=..., compute_target=...)",
    "Pipeline": "a pipeline job (modelyard.PipelineJob, `modelyard job create -f pipeline.yml`)",
    "ComputeInstance": "`modelyard compute create --type instance`",
    "ScriptRun": "Run",
}, __name__)

"""The v1 signatures mapped onto modelyard's shapes, without a server: AutoMLConfig to an AutoML job,
ScriptRunConfig/Estimator to a command job, conda/pip files to an environment, deploy
configurations to endpoint fields, and v1 calls outside the shim refused with the equivalent."""

from __future__ import annotations

import pytest

from modelyard.azureml import V1ArgumentWarning
from modelyard.azureml.core import Environment, ScriptRunConfig
from modelyard.azureml.core.compute import AmlCompute
from modelyard.azureml.core.webservice import AciWebservice, AksWebservice
from modelyard.azureml.train.automl import AutoMLConfig
from modelyard.azureml.train.estimator import Estimator
from modelyard.errors import InvalidInput


class Registered:
    id = "employeeattrition:2"


def test_automl_config_becomes_an_automl_job():
    config = AutoMLConfig(task="classification", primary_metric="AUC_weighted", experiment_timeout_minutes=15,
                          training_data=Registered(), label_column_name="Attrition", n_cross_validations=5,
                          max_concurrent_iterations=2, blocked_models=["ExtraTrees"], compute_target="cpucluster")
    document = config._job_document(None)
    assert document == {
        "type": "automl", "task": "classification", "primary_metric": "AUC_weighted",
        "target_column_name": "Attrition", "compute": "cpucluster", "n_cross_validations": 5,
        "limits": {"timeout_minutes": 15, "max_concurrent_trials": 2},
        "training": {"blocked_training_algorithms": ["ExtraTrees"]}, "featurization": {"mode": "auto"},
        "training_data": "azureml:employeeattrition:2"}
    from modelyard.spec.automl import AutoMLJob

    assert AutoMLJob.model_validate(document).limits.timeout_minutes == 15


def test_automl_config_hours_and_unhonoured_arguments_warn():
    with pytest.warns(V1ArgumentWarning, match="enable_onnx_compatible_models=True .*no ONNX"):
        config = AutoMLConfig(task="regression", experiment_timeout_hours=0.5, training_data=Registered(),
                              label_column_name="y", enable_onnx_compatible_models=True)
    assert config._job_document(None)["limits"] == {"timeout_minutes": 30}
    with pytest.raises(InvalidInput, match="X= and y="):
        AutoMLConfig(task="regression", X=[[1]], y=[1])


def test_script_run_config_and_estimator_become_command_jobs(tmp_path):
    (tmp_path / "train.py").write_text("print('hi')\n")
    config = ScriptRunConfig(source_directory=tmp_path, script="train.py", arguments=["--reg", 0.5, "--name", "a b"],
                             compute_target="cpucluster")
    assert config._job_document(None) == {"type": "command", "code": str(tmp_path),
                                          "command": "python train.py --reg 0.5 --name 'a b'",
                                          "environment": "system", "compute": "cpucluster"}
    with pytest.warns(V1ArgumentWarning, match="use_gpu=True"):
        estimator = Estimator(source_directory=tmp_path, entry_script="train.py", script_params={"--C": 1.0},
                              pip_packages=["scikit-learn"], use_gpu=True)
    document = estimator._job_document(None)
    assert document["command"] == "python train.py --C 1.0"
    assert document["environment"] == {"pip": ["scikit-learn"]}


def test_environments_from_conda_and_pip_files(tmp_path):
    conda = tmp_path / "env.yml"
    conda.write_text("name: x\ndependencies:\n  - python=3.11\n  - scikit-learn=1.3\n  - pip\n"
                     "  - pip:\n    - azureml-defaults\n    - joblib\n")
    with pytest.warns(V1ArgumentWarning) as warned:
        environment = Environment.from_conda_specification("train", conda)
    assert [str(w.message).split(" ", 3)[:3] for w in warned] == [
        ["Environment.from_conda_specification:", "conda", "package"], ["Environment:", "azureml-defaults", "not"]]
    assert environment.job_environment() == {"python": "3.11", "pip": ["scikit-learn==1.3", "joblib"]}
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("pandas\n")
    assert Environment.from_pip_requirements("p", requirements).job_environment() == {"requirements": str(requirements)}
    assert Environment.get(None, "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu").job_environment() == \
        "azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu"
    with pytest.raises(InvalidInput, match="does not exist"):
        Environment.from_pip_requirements("p", tmp_path / "missing.txt")


def test_deploy_configurations_become_endpoint_fields():
    aci = AciWebservice.deploy_configuration(cpu_cores=1, memory_gb=1.5, tags={"area": "hr"}, auth_enabled=True)
    assert (aci.auth_mode, aci.instance_count) == ("key", 1)
    assert aci.tags == {"area": "hr", "cpu_cores": "1", "memory_gb": "1.5", "v1_compute_type": "ACI"}
    assert AciWebservice.deploy_configuration().auth_mode == "none"
    with pytest.warns(V1ArgumentWarning, match="fixed 2 instance"):
        aks = AksWebservice.deploy_configuration(autoscale_enabled=True, autoscale_min_replicas=2,
                                                 autoscale_max_replicas=4)
    assert (aks.auth_mode, aks.instance_count) == ("key", 2)
    assert AksWebservice.deploy_configuration(token_auth_enabled=True).auth_mode == "token"


def test_aml_compute_provisioning_configuration_is_a_cluster():
    assert AmlCompute.provisioning_configuration(vm_size="STANDARD_D2_V2", max_nodes=4, vm_priority="lowpriority",
                                                 idle_seconds_before_scaledown=120) == {
        "type": "cluster", "size": "STANDARD_D2_V2", "tier": "low_priority", "min_instances": 0, "max_instances": 4,
        "idle_time_before_scale_down": 120}


def test_calls_outside_the_shim_name_the_modelyard_equivalent():
    import modelyard.azureml.core as core
    from modelyard.azureml.core import compute

    with pytest.raises(NotImplementedError, match=r"azureml.core.Pipeline .*pipeline job"):
        core.Pipeline
    with pytest.raises(NotImplementedError, match=r"azureml.core.compute.ComputeInstance .*--type instance"):
        compute.ComputeInstance
    with pytest.raises(NotImplementedError, match=r"ScriptRunConfig.run_config"):
        ScriptRunConfig(script="x.py").run_config
    with pytest.raises(NotImplementedError, match=r"Dataset.File .*uri_folder data asset"):
        core.Dataset.File
    from modelyard.azureml.core import model, webservice  # submodules still import

    assert model.Model.Framework.SCIKITLEARN == "ScikitLearn" and webservice.Webservice


def test_bad_v1_input_is_refused_with_the_fix():
    import pandas as pd

    from modelyard.azureml.core import Experiment, Model, TabularDataset

    with pytest.raises(InvalidInput, match="percentage: 1.5 is not between 0 and 1"):
        TabularDataset(frame=pd.DataFrame({"a": [1, 2]})).random_split(1.5)
    with pytest.raises(InvalidInput, match="cannot submit a dict; submit a ScriptRunConfig"):
        Experiment(None, "e").submit({"script": "train.py"})
    with pytest.raises(InvalidInput, match="models: 2 models given"):
        Model.deploy(None, "svc", [object(), object()])
    with pytest.raises(InvalidInput, match="give script= .* or command="):
        ScriptRunConfig(source_directory=".")

"""The files of the v1 CLI (``az ml run submit-script``, ``az ml model register``, ``az ml model deploy``) read
into the v1 shim's own objects: a ``.runconfig`` into a ScriptRunConfig, an inference configuration into an
InferenceConfig, a deployment configuration into ``AksWebservice``/``AciWebservice.deploy_configuration``.

Each file's fields are v1's (camelCase); a field v1 does not define is refused, named. A field that has no
local effect is accepted and warned about by the shim's constructors (V1ArgumentWarning), as in notebooks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from modelyard.azureml._v1 import not_honoured
from modelyard.errors import InvalidInput


class _V1File(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, populate_by_name=True)


class _PythonSection(_V1File):
    interpreter_path: str | None = None
    user_managed_dependencies: bool = False
    conda_dependencies: dict[str, Any] | None = None
    conda_dependencies_file: str | None = None
    base_conda_environment: str | None = None


class _EnvironmentSection(_V1File):
    name: str | None = None
    version: str | None = None
    python: _PythonSection = Field(default_factory=_PythonSection)
    environment_variables: dict[str, str] = Field(default_factory=dict)
    docker: dict[str, Any] | None = None
    spark: dict[str, Any] | None = None
    databricks: dict[str, Any] | None = None
    r: dict[str, Any] | None = None
    inferencing_stack_version: str | None = None


class RunConfiguration(_V1File):
    """``.azureml/<name>.runconfig``: v1's RunConfiguration (its JSON schema's fields)."""

    script: str | None = None
    command: str | list[str] | None = None
    arguments: list[Any] = Field(default_factory=list)
    target: str | None = None
    framework: str = "Python"
    communicator: str | None = "None"
    max_run_duration_seconds: int | None = None
    node_count: int = 1
    environment: _EnvironmentSection = Field(default_factory=_EnvironmentSection)
    history: dict[str, Any] | None = None
    job_name: str | None = None
    source_directory_data_store: str | None = None
    auto_prepare_environment: bool | None = None
    prepare_environment: bool | None = None
    data_references: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    output_data: dict[str, Any] | None = None
    aml_compute: dict[str, Any] | None = None
    spark: dict[str, Any] | None = None
    hdi: dict[str, Any] | None = None
    tensorflow: dict[str, Any] | None = None
    mpi: dict[str, Any] | None = None
    py_torch: dict[str, Any] | None = None
    parallel_task: dict[str, Any] | None = None
    batch_ai: dict[str, Any] | None = None
    container_instance: dict[str, Any] | None = None
    docker: dict[str, Any] | None = None
    credential_passthrough: bool | None = None
    exposed_ports: list[int] | None = None


class InferenceConfiguration(_V1File):
    """``az ml model deploy --ic``: the entry script (``init()``/``run(raw_data)``) and its environment."""

    entry_script: str
    runtime: str | None = None
    conda_file: str | None = None
    source_directory: str | None = None
    extra_docker_file_steps: str | None = Field(None, alias="extraDockerfileSteps")
    schema_file: str | None = None
    enable_gpu: bool | None = None
    base_image: str | None = None
    base_image_registry: dict[str, Any] | None = None
    cuda_version: str | None = None
    description: str | None = None


class _AutoScaler(_V1File):
    autoscale_enabled: bool | None = None
    min_replicas: int | None = None
    max_replicas: int | None = None
    refresh_period_in_seconds: int | None = None
    target_utilization: int | None = None


class _Resources(_V1File):
    cpu: float | None = None
    cpu_limit: float | None = None
    memory_in_gb: float | None = Field(None, alias="memoryInGB")
    memory_in_gb_limit: float | None = Field(None, alias="memoryInGBLimit")
    gpu: int | None = None


class DeploymentConfiguration(_V1File):
    """``az ml model deploy --dc``: an AKS, ACI or local web service's settings."""

    compute_type: str = "ACI"
    auto_scaler: _AutoScaler = Field(default_factory=_AutoScaler)
    container_resource_requirements: _Resources = Field(default_factory=_Resources)
    auth_enabled: bool | None = None
    token_auth_enabled: bool | None = None
    scoring_timeout_ms: int | None = None
    max_concurrent_requests_per_container: int | None = None
    num_replicas: int | None = None
    tags: dict[str, str] | None = None
    description: str | None = None
    app_insights_enabled: bool | None = None
    max_queue_wait_ms: int | None = None
    namespace: str | None = None
    primary_key: str | None = None
    secondary_key: str | None = None
    properties: dict[str, str] | None = None
    liveness_probe_requirements: dict[str, Any] | None = None
    data_collection: dict[str, Any] | None = None
    location: str | None = None
    ssl_enabled: bool | None = None
    ssl_certificate: str | None = None
    ssl_key: str | None = None
    cname: str | None = None
    dns_name_label: str | None = None
    port: int | None = None


def read_v1_file(path: Path, shape: type[BaseModel]) -> Any:
    """A v1 YAML or JSON file as ``shape``; InvalidInput naming the file and each bad or unknown field."""
    import yaml
    from pydantic import ValidationError

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidInput(f"{path}: {error.strerror or error}") from None
    try:
        document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        return shape.model_validate(document or {})
    except (ValueError, yaml.YAMLError) as error:
        if not isinstance(error, ValidationError):
            raise InvalidInput(f"{path} is not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {error}") from None
        problems = ["unknown field " + ".".join(map(str, item["loc"])) + f" (not a {shape.__name__} field of v1)"
                    if item["type"] == "extra_forbidden" else ".".join(map(str, item["loc"])) + f": {item['msg']}"
                    for item in error.errors()]
        raise InvalidInput(f"{path}: {'; '.join(problems)}") from None


def script_run(folder: Path, config_name: str | None, script_and_arguments: list[str], compute: str | None,
               conda_file: str | None):
    """The ScriptRunConfig ``az ml run submit-script`` submits from ``folder`` (the project: its code and its
    ``.azureml/<config_name>.runconfig``); the command line's script, arguments, target and conda file win."""
    from modelyard.azureml.core._environment import Environment
    from modelyard.azureml.core._script_run import ScriptRunConfig

    config = RunConfiguration()
    if config_name:
        config = read_v1_file(_runconfig_path(folder, config_name), RunConfiguration)
    not_honoured("runconfig", {"framework": None if config.framework == "Python" else config.framework,
                               "communicator": None if config.communicator in (None, "None") else config.communicator,
                               "nodeCount": None if config.node_count == 1 else config.node_count,
                               "docker": (config.environment.docker or {}).get("enabled") or None},
                 {"framework": "the script runs with Python", "communicator": "the script runs as one process",
                  "nodeCount": "the script runs as one process",
                  "docker": "jobs run as processes in a virtualenv, not in Docker"})
    python = config.environment.python
    conda = conda_file or python.conda_dependencies_file
    if python.user_managed_dependencies and not conda_file:  # v1: the existing interpreter, packages as they are
        environment = Environment()
    elif conda:
        environment = Environment.from_conda_specification(config.environment.name or "runconfig", folder / conda)
    elif python.conda_dependencies:
        environment = _inline_conda(config.environment.name or "runconfig", python.conda_dependencies)
    else:
        environment = Environment()
    environment.environment_variables = dict(config.environment.environment_variables)
    script = script_and_arguments[0] if script_and_arguments else config.script
    arguments = script_and_arguments[1:] or list(config.arguments)  # as v1: the runconfig's unless others are given
    if script is None and config.command is None:
        raise InvalidInput("name the script to run (modelyard run submit-script ... train.py) or give script: in "
                           "the runconfig")
    return ScriptRunConfig(source_directory=folder, script=script, arguments=arguments,
                           command=None if script else config.command, compute_target=compute or config.target,
                           environment=environment, max_run_duration_seconds=config.max_run_duration_seconds)


def _runconfig_path(folder: Path, name: str) -> Path:
    for candidate in (folder / ".azureml" / f"{name}.runconfig", folder / "aml_config" / f"{name}.runconfig"):
        if candidate.is_file():
            return candidate
    raise InvalidInput(f"run configuration {name!r} not found: expected {folder / '.azureml' / (name + '.runconfig')} "
                       "(-c names a .runconfig file in the project's .azureml folder; --path sets the project)")


def _inline_conda(name: str, dependencies: dict[str, Any]):
    """The runconfig's inline ``condaDependencies``, read the way a conda file is."""
    import tempfile

    import yaml

    from modelyard.azureml.core._environment import Environment

    with tempfile.TemporaryDirectory(prefix="modelyard-runconfig-") as scratch:
        path = Path(scratch) / "conda.yml"
        path.write_text(yaml.safe_dump(dependencies))
        return Environment.from_conda_specification(name, path)


def inference_config(path: Path):
    """The InferenceConfig of an ``--ic`` file; its paths are relative to the folder ``az ml`` runs in."""
    from modelyard.azureml.core.model import InferenceConfig

    config = read_v1_file(path, InferenceConfiguration)
    return InferenceConfig(entry_script=config.entry_script, runtime=config.runtime, conda_file=config.conda_file,
                           source_directory=config.source_directory,
                           **{key: value for key, value in config.model_dump(exclude_none=True).items()
                              if key not in {"entry_script", "runtime", "conda_file", "source_directory"}})


def deployment_config(path: Path):
    """The shim's deploy configuration of a ``--dc`` file, by its ``computeType`` (AKS, ACI or local)."""
    from modelyard.azureml.core.webservice import AciWebservice, AksWebservice, LocalWebservice

    config = read_v1_file(path, DeploymentConfiguration)
    kind = config.compute_type.lower()
    resources, scaler = config.container_resource_requirements, config.auto_scaler
    common = {"cpu_cores": resources.cpu, "memory_gb": resources.memory_in_gb, "tags": config.tags,
              "description": config.description}
    handled = {"compute_type", "auto_scaler", "container_resource_requirements", "auth_enabled", "token_auth_enabled",
               "scoring_timeout_ms", "max_concurrent_requests_per_container", "num_replicas", "tags", "description",
               "app_insights_enabled", "port"}
    rest = {key: value for key, value in config.model_dump(exclude_none=True).items() if key not in handled}
    if kind == "local":
        return LocalWebservice.deploy_configuration(port=config.port)
    if kind == "aci":
        return AciWebservice.deploy_configuration(auth_enabled=bool(config.auth_enabled),
                                                  enable_app_insights=bool(config.app_insights_enabled), **common,
                                                  **rest)
    if kind != "aks":
        raise InvalidInput(f"{path}: computeType {config.compute_type!r} is not one of AKS, ACI, local")
    extra = {f"autoscaler.{key}": value for key, value in scaler.model_dump(exclude_none=True).items()
             if key in ("refresh_period_in_seconds", "target_utilization")}
    extra.update({f"containerResourceRequirements.{key}": value
                  for key, value in resources.model_dump(exclude_none=True).items() if key not in ("cpu", "memory_in_gb")})
    return AksWebservice.deploy_configuration(
        autoscale_enabled=scaler.autoscale_enabled, autoscale_min_replicas=scaler.min_replicas,
        autoscale_max_replicas=scaler.max_replicas, num_replicas=config.num_replicas,
        auth_enabled=True if config.auth_enabled is None else config.auth_enabled,
        token_auth_enabled=bool(config.token_auth_enabled), enable_app_insights=bool(config.app_insights_enabled),
        scoring_timeout_ms=config.scoring_timeout_ms,
        replica_max_concurrent_requests=config.max_concurrent_requests_per_container, **common, **rest, **extra)

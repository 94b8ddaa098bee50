"""``azureml.core.webservice``: a v1 web service (ACI or AKS) is an online endpoint with one deployment.

``cpu_cores`` and ``memory_gb`` are recorded as the endpoint's tags (instances are processes here),
autoscaling becomes a fixed instance count, ``auth_enabled`` becomes key authentication.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

from modelyard.azureml._v1 import (
    RefuseOtherMembers, V1ArgumentWarning, get_or_v1_error, module_getattr, not_honoured,
)
from modelyard.azureml.core import _deployments as deployments
from modelyard.errors import InvalidInput, ModelyardError, NotFound

__all__ = ["AciWebservice", "AksWebservice", "LocalWebservice", "Webservice", "WebserviceException"]

__getattr__ = module_getattr("azureml.core.webservice", {})

STATE = {"Succeeded": "Healthy", "Failed": "Failed", "Creating": "Transitioning", "Updating": "Transitioning",
         "Deleting": "Deleting"}
DEPLOY_TIMEOUT_SECONDS = 600


class WebserviceException(ModelyardError):
    """A web service that failed to deploy or does not exist; ``service.get_logs()`` says why."""


class DeploymentConfiguration:
    """What ``deploy_configuration`` returns: the endpoint's and its deployment's fields."""

    def __init__(self, kind: str, auth_mode: str, instance_count: int, tags: dict[str, str],
                 description: str | None, request_settings: dict[str, int] | None = None) -> None:
        self.kind = kind
        self.auth_mode = auth_mode
        self.instance_count = instance_count
        self.tags = tags
        self.description = description
        self.request_settings = request_settings or {}


def _configuration(kind: str, cpu_cores: float | None, memory_gb: float | None, tags: dict[str, Any] | None,
                   description: str | None, auth_enabled: bool, token_auth_enabled: bool, instance_count: int,
                   ignored: dict[str, Any]) -> DeploymentConfiguration:
    not_honoured(f"{kind}.deploy_configuration", ignored,
                 {key: "not applicable to a local endpoint; ignored" for key in ignored})
    recorded = {**(tags or {}), "cpu_cores": cpu_cores, "memory_gb": memory_gb, "v1_compute_type": kind}
    auth_mode = "token" if token_auth_enabled else "key" if auth_enabled else "none"
    return DeploymentConfiguration(kind, auth_mode, instance_count,
                                   {k: str(v) for k, v in recorded.items() if v is not None}, description)


class AciWebservice:
    @staticmethod
    def deploy_configuration(cpu_cores: float | None = None, memory_gb: float | None = None,
                             tags: dict[str, Any] | None = None, properties: Any = None, description: str | None = None,
                             location: str | None = None, auth_enabled: bool = False, ssl_enabled: bool = False,
                             enable_app_insights: bool = False, dns_name_label: str | None = None,
                             **more: Any) -> DeploymentConfiguration:
        return _configuration("ACI", cpu_cores, memory_gb, tags, description, auth_enabled, False, 1,
                              {"location": location, "ssl_enabled": ssl_enabled,
                               "enable_app_insights": enable_app_insights, "dns_name_label": dns_name_label, **more})


class AksWebservice:
    @staticmethod
    def deploy_configuration(autoscale_enabled: bool | None = None, autoscale_min_replicas: int | None = None,
                             autoscale_max_replicas: int | None = None, num_replicas: int | None = None,
                             cpu_cores: float | None = None, memory_gb: float | None = None,
                             tags: dict[str, Any] | None = None, description: str | None = None,
                             auth_enabled: bool = True, token_auth_enabled: bool = False,
                             enable_app_insights: bool = False, compute_target_name: str | None = None,
                             scoring_timeout_ms: int | None = None, replica_max_concurrent_requests: int | None = None,
                             **more: Any) -> DeploymentConfiguration:
        """Autoscaling becomes a fixed count: ``autoscale_min_replicas`` instances (or ``num_replicas``); the
        scoring timeout and the concurrent requests per replica become the deployment's request settings."""
        count = num_replicas or autoscale_min_replicas or 1
        if autoscale_enabled or autoscale_max_replicas:
            warnings.warn(f"AksWebservice.deploy_configuration: autoscale_enabled/autoscale_max_replicas are not "
                          f"honoured locally; the deployment runs a fixed {count} instance(s)",
                          V1ArgumentWarning, stacklevel=2)
        config = _configuration("AKS", cpu_cores, memory_gb, tags, description, auth_enabled and not token_auth_enabled,
                                token_auth_enabled, count,
                                {"enable_app_insights": enable_app_insights, "compute_target_name": compute_target_name,
                                 **more})
        settings = {"request_timeout_ms": scoring_timeout_ms,
                    "max_concurrent_requests_per_instance": replica_max_concurrent_requests}
        config.request_settings = {key: int(value) for key, value in settings.items() if value is not None}
        return config


class Webservice(RefuseOtherMembers):
    """A deployed model: ``Webservice(ws, name)``, ``run(json)``, ``scoring_uri``, ``get_keys()``."""

    _equivalents = {"update": "modelyard.Workspace().online_endpoints.update_deployment(...)"}

    def __init__(self, workspace: Any, name: str) -> None:
        self.workspace = workspace
        self.name = name
        self._endpoint = get_or_v1_error(workspace.sdk.online_endpoints, name, WebserviceException, "Webservice",
                                         "deploy one with Model.deploy")

    @property
    def _sdk(self):
        return self.workspace.sdk

    @staticmethod
    def _deploy(workspace: Any, name: str, models: list[Any], inference_config: Any, deployment_config: Any,
                deployment_target: Any, overwrite: bool) -> "Webservice":
        if len(models) != 1:
            raise InvalidInput(f"models: {len(models)} models given; a deployment here serves one model "
                               "(deploy each to its own service)")
        not_honoured("Model.deploy", {"deployment_target": deployment_target},
                     {"deployment_target": "the service runs on the workspace server's machine"})
        config = deployment_config or AciWebservice.deploy_configuration()
        sdk = workspace.sdk
        replacing = False
        if overwrite:
            try:
                sdk.online_endpoints.delete(name)
                replacing = True
            except NotFound:
                pass
        sdk.online_endpoints.create(name=name, auth_mode=config.auth_mode, tags=config.tags,
                                    **({"description": config.description} if config.description else {}))
        fields: dict[str, Any] = {"model": models[0].id, "instance_count": config.instance_count}
        if config.request_settings:
            fields["request_settings"] = config.request_settings
        if inference_config is not None:
            environment = inference_config.environment
            if environment is not None and isinstance(environment.job_environment(), dict):
                warnings.warn("InferenceConfig: environment packages are not installed for a deployment here; the "
                              "entry script runs in the workspace server's interpreter", V1ArgumentWarning, stacklevel=3)
            fields["code_configuration"] = {"code": str(inference_config.source_directory),
                                            "scoring_script": inference_config.entry_script}
        deployments.create(sdk, name, replacing, **fields)
        return Webservice(workspace, name)

    @staticmethod
    def list(workspace: Any, **_: Any) -> list["Webservice"]:
        return [Webservice(workspace, e.name) for e in workspace.sdk.online_endpoints.list()]

    def wait_for_deployment(self, show_output: bool = False, timeout_sec: float | None = None) -> None:
        """Wait until the service answers; then it takes all of the endpoint's traffic."""
        try:
            deployment = deployments.wait(self._sdk, self.name, timeout_sec or DEPLOY_TIMEOUT_SECONDS)
        except InvalidInput as error:
            raise WebserviceException(f"Service deployment polling reached non-successful terminal state: "
                                      f"{error.message} (service.get_logs() shows the entry script's output)") from None
        if self._endpoint.traffic.get(deployments.DEPLOYMENT) != 100:
            self._endpoint = self._sdk.online_endpoints.update(self.name, traffic={deployments.DEPLOYMENT: 100})
        if show_output:
            print(f"{self.name}: {STATE.get(deployment.state, deployment.state)}")

    @property
    def state(self) -> str:
        return STATE.get(deployments.get(self._sdk, self.name).state, "Unknown")

    @property
    def scoring_uri(self) -> str:
        return self._sdk.server_url + self._endpoint.scoring_uri

    @property
    def swagger_uri(self) -> str:
        return self._sdk.server_url + self._endpoint.swagger_uri

    @property
    def auth_enabled(self) -> bool:
        return self._endpoint.auth_mode == "key"

    @property
    def tags(self) -> dict[str, str]:
        return self._endpoint.tags

    def run(self, input_data: str | dict[str, Any]) -> Any:
        """Score ``input_data`` (a JSON string, as v1 passes it); the entry script's answer."""
        if not self._endpoint.traffic:
            self.wait_for_deployment()
        body = json.loads(input_data) if isinstance(input_data, (str, bytes)) else input_data
        return self._sdk.online_endpoints.invoke(self.name, body)

    def get_keys(self) -> tuple[str | None, str | None]:
        if self._endpoint.auth_mode != "key":
            raise WebserviceException(f"service {self.name} has no keys: it was deployed with auth_mode "
                                      f"{self._endpoint.auth_mode!r} (deploy_configuration(auth_enabled=True) gives keys)")
        keys = self._sdk.online_endpoints.get_credentials(self.name)
        return keys.primary_key, keys.secondary_key

    def get_token(self) -> tuple[str, None]:
        """The access token of a service deployed with ``token_auth_enabled=True`` (and no refresh time)."""
        if self._endpoint.auth_mode != "token":
            raise WebserviceException(f"service {self.name} has no tokens: it was deployed with auth_mode "
                                      f"{self._endpoint.auth_mode!r} (AksWebservice.deploy_configuration("
                                      "token_auth_enabled=True) gives tokens)")
        return self._sdk.online_endpoints.get_credentials(self.name).access_token, None

    def regen_key(self, key: str) -> None:
        self._sdk.online_endpoints.regenerate_keys(self.name, key.lower())

    def get_logs(self, num_lines: int = 5000, init: bool = False) -> str:
        return deployments.logs(self._sdk, self.name, num_lines)

    def delete(self) -> None:
        self._sdk.online_endpoints.delete(self.name)

    def __repr__(self) -> str:
        return f"{self.tags.get('v1_compute_type', 'Aci').title()}Webservice(workspace={self.workspace!r}, " \
               f"name={self.name}, state={self.state})"


class LocalWebservice:
    @staticmethod
    def deploy_configuration(port: int | None = None) -> DeploymentConfiguration:
        not_honoured("LocalWebservice.deploy_configuration", {"port": port},
                     {"port": "the service is reached through the workspace server's port"})
        return _configuration("Local", None, None, None, None, False, False, 1, {})

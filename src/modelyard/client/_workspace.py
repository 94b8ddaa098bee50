"""The SDK's entry point: ``Workspace.from_config()``, ``Workspace(path)``, ``Workspace.connect(url)``."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from modelyard.client._http import ApiClient
from modelyard.services import workspace as workspaces
from modelyard.spec.workspace import WorkspaceInfo

if TYPE_CHECKING:
    from modelyard.client._audit import AuditOperations
    from modelyard.client._batch_endpoints import BatchEndpointOperations
    from modelyard.client._deployments import BatchDeploymentOperations, OnlineDeploymentOperations
    from modelyard.client._compute import ComputeOperations
    from modelyard.client._data import DataOperations
    from modelyard.client._datastores import DatastoreOperations
    from modelyard.client._designer import DesignerDraftOperations
    from modelyard.client._pipeline_endpoints import PipelineEndpointOperations
    from modelyard.client._endpoints import OnlineEndpointOperations
    from modelyard.client._environments import EnvironmentOperations
    from modelyard.client._jobs import ComponentOperations, JobOperations
    from modelyard.client._models import ModelOperations
    from modelyard.client._monitors import MonitorOperations
    from modelyard.client._notebooks import NotebookOperations
    from modelyard.client._schedules import ScheduleOperations
    from modelyard.client._webhooks import EventOperations, WebhookOperations


def _operations(module: str, name: str, arguments: Callable[[Workspace], tuple]) -> Any:
    """A noun's operations (``modelyard.client.<module>.<name>(*arguments(workspace))``), made on
    first use: a CLI command imports only its own noun's specs (building every noun's pydantic
    models took about a third of a command's start)."""

    def make(workspace: Workspace) -> Any:
        return getattr(importlib.import_module(f"modelyard.client.{module}"), name)(*arguments(workspace))

    return cached_property(make)


class Workspace:
    """A workspace seen through its REST API.

    ``Workspace(path)`` talks to the workspace's running server when there is one, and otherwise
    runs the same API in this process (embedded). ``Workspace.connect(url, token=...)`` talks to
    a server anywhere.
    """

    def __init__(self, path: str | Path | None = None, *, _api: ApiClient | None = None,
                 _remote: bool = False) -> None:
        self.location = None
        if _api is None:
            from modelyard import server

            self.location = workspaces.find(explicit=path) if path else workspaces.find()
            info = server.running(self.location)
            if info:
                token = self.location.token() if info.token_required else None
                _api = ApiClient.remote(info.url, token)
            else:
                _api = ApiClient.embedded(self.location)
        self._remote = _remote
        self._reason: str | None = None
        self._bind(_api)

    def _bind(self, api: ApiClient) -> None:
        self._api = api
        api.reason = self._reason
        for name, value in vars(Workspace).items():  # made again, on first use, over the new API
            if isinstance(value, cached_property):
                self.__dict__.pop(name, None)

    data: DataOperations = _operations("_data", "DataOperations", lambda ws: (ws._api, ws._remote))
    datastores: DatastoreOperations = _operations("_datastores", "DatastoreOperations", lambda ws: (ws._api,))
    compute: ComputeOperations = _operations("_compute", "ComputeOperations", lambda ws: (ws._api,))
    notebooks: NotebookOperations = _operations("_notebooks", "NotebookOperations", lambda ws: (ws._api,))
    jobs: JobOperations = _operations("_jobs", "JobOperations", lambda ws: (ws._server_api,))
    components: ComponentOperations = _operations("_jobs", "ComponentOperations", lambda ws: (ws._server_api,))
    designer_drafts: DesignerDraftOperations = _operations("_designer", "DesignerDraftOperations",
                                                           lambda ws: (ws._api,))
    models: ModelOperations = _operations("_models", "ModelOperations", lambda ws: (lambda: ws._api,))
    online_endpoints: OnlineEndpointOperations = _operations("_endpoints", "OnlineEndpointOperations",
                                                             lambda ws: (ws._server_api,))
    batch_endpoints: BatchEndpointOperations = _operations("_batch_endpoints", "BatchEndpointOperations",
                                                           lambda ws: (ws._server_api,))
    online_deployments: OnlineDeploymentOperations = _operations("_deployments", "OnlineDeploymentOperations",
                                                                 lambda ws: (ws._server_api,))
    batch_deployments: BatchDeploymentOperations = _operations("_deployments", "BatchDeploymentOperations",
                                                               lambda ws: (ws._server_api,))
    schedules: ScheduleOperations = _operations("_schedules", "ScheduleOperations", lambda ws: (ws._server_api,))
    pipeline_endpoints: PipelineEndpointOperations = _operations("_pipeline_endpoints", "PipelineEndpointOperations",
                                                                 lambda ws: (ws._server_api,))
    monitors: MonitorOperations = _operations("_monitors", "MonitorOperations", lambda ws: (ws._server_api,))
    webhooks: WebhookOperations = _operations("_webhooks", "WebhookOperations", lambda ws: (ws._server_api,))
    events: EventOperations = _operations("_webhooks", "EventOperations", lambda ws: (ws._api, ws._server_api))
    audit: AuditOperations = _operations("_audit", "AuditOperations", lambda ws: (ws._api,))
    environments: EnvironmentOperations = _operations("_environments", "EnvironmentOperations",
                                                      lambda ws: (ws._server_api,))

    def lineage(self, node: str, depth: int = 2):
        """The lineage graph around ``node`` (``kind:name[:version]``, e.g. ``model:attrition:2``)."""
        from modelyard.client._lineage import lineage

        return lineage(self._api, node, depth)

    @property
    def reason(self) -> str | None:
        """Why the calls that follow change things: each one's audit record keeps it (None: no reason)."""
        return self._reason

    @reason.setter
    def reason(self, text: str | None) -> None:
        self._reason = text
        self._api.reason = text

    @property
    def server_url(self) -> str:
        """The workspace server's address (an embedded workspace starts the server), e.g. to call an
        endpoint's relative ``scoring_uri`` over plain HTTP."""
        return str(self._server_api().http.base_url).rstrip("/")

    def _server_api(self) -> ApiClient:
        """The API of a running server: jobs need its scheduler, so an embedded workspace starts one."""
        if self.embedded and self.location is not None:
            import sys

            from modelyard import server

            from modelyard.errors import ModelyardError

            settings = self.location.config.server
            print(f"no workspace server is running: starting one in the background on {settings.host}:"
                  f"{settings.port} (the configured address)", file=sys.stderr)
            try:
                info = server.start_detached(self.location, settings.host, settings.port)
            except ModelyardError as error:  # the configured port is taken: any free one will do
                print(f"could not start it there ({error.message.splitlines()[-1]}); trying a free port",
                      file=sys.stderr)
                info = server.start_detached(self.location, settings.host, 0)
            print(f"started the workspace server at {info.url} ('modelyard down' stops it)", file=sys.stderr)
            self._api.close()
            self._bind(ApiClient.remote(info.url, self.location.token() if info.token_required else None))
        return self._api

    @classmethod
    def from_config(cls, path: str | Path | None = None) -> "Workspace":
        """The workspace found upward from ``path`` (or cwd), or named by MODELYARD_WORKSPACE."""
        location = workspaces.find(start=Path(path) if path else None)
        return cls(location.root)

    @classmethod
    def connect(cls, url: str, token: str | None = None) -> "Workspace":
        from urllib.parse import urlparse

        from modelyard.server import is_loopback

        api = ApiClient.remote(url, token)
        return cls(_api=api, _remote=not is_loopback(urlparse(url).hostname or ""))

    @classmethod
    def create(cls, path: str | Path, name: str | None = None, database: str | None = None) -> "Workspace":
        workspaces.create(Path(path), name=name, database=database)
        return cls(path)

    @property
    def embedded(self) -> bool:
        return self._api._closer is not None

    def info(self) -> WorkspaceInfo:
        return WorkspaceInfo.model_validate(self._api.get("/api/workspace"))

    def deploy_best(self, automl_job: str, endpoint: str, deployment: str = "default", model_name: str | None = None,
                    instance_count: int = 1, auth_mode: str | None = None, timeout: float = 180):
        """Register an AutoML job's best model (``job:<automl job>``; the same content answers the version
        registered before) and deploy it to ``endpoint`` with all of the traffic, as the studio's button does.
        Returns the model and the endpoint."""
        if model_name is None:
            model_name = f"{self.jobs.get(automl_job).experiment_name}-best"
        model = self.models.create(name=model_name, path=f"job:{automl_job}")
        served = self.online_endpoints.deploy_model(endpoint, f"{model.name}:{model.version}", deployment,
                                                    instance_count, auth_mode, timeout)
        return model, served

    def close(self) -> None:
        self._api.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

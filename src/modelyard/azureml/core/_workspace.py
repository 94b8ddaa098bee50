"""``Workspace`` and ``InteractiveLoginAuthentication``: the cloud identifiers are accepted and
recorded; the workspace is always the local one, found the way ``modelyard.Workspace`` finds it."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from modelyard.azureml._v1 import RefuseOtherMembers, V1ArgumentWarning


class InteractiveLoginAuthentication:
    """Accepted for v1 compatibility: the local workspace needs no Azure login."""

    def __init__(self, force: bool = False, tenant_id: str | None = None, cloud: str | None = None) -> None:
        self.tenant_id = tenant_id


class Workspace(RefuseOtherMembers):
    """The local modelyard workspace under v1's name. ``subscription_id``, ``resource_group`` and
    ``auth`` are recorded only; ``workspace_name`` is the local workspace's name."""

    _equivalents = {"write_config": "a workspace folder (.modelyard/) found upward from the working folder",
                    "delete": "removing the workspace folder"}

    def __init__(self, subscription_id: str | None = None, resource_group: str | None = None,
                 workspace_name: str | None = None, auth: Any = None, _location: str | None = None,
                 sdk: Any = None, **_cloud_only: Any) -> None:
        if sdk is None:
            from modelyard import Workspace as SdkWorkspace

            sdk = SdkWorkspace.from_config()
        self.sdk = sdk
        self.subscription_id = subscription_id
        self.resource_group = resource_group
        self.location = "local"
        if workspace_name and workspace_name != self.name:
            warnings.warn(f"Workspace: workspace_name={workspace_name!r} is not honoured locally; the workspace found "
                          f"from the working folder, {self.name!r}, is used", V1ArgumentWarning, stacklevel=2)

    @classmethod
    def from_config(cls, path: str | Path | None = None, auth: Any = None, _logger: Any = None,
                    _file_name: str | None = None) -> "Workspace":
        """The workspace found upward from ``path`` (a folder, or a v1 config.json whose folder is searched)."""
        from modelyard import Workspace as SdkWorkspace

        start = Path(path) if path else None
        if start is not None and start.is_file():
            start = start.parent
        return cls(sdk=SdkWorkspace.from_config(start))

    @property
    def name(self) -> str:
        return self.sdk.info().name

    def get_details(self) -> dict[str, Any]:
        info = self.sdk.info()
        return {"name": info.name, "location": self.location, "path": info.path, "server_url": info.server_url,
                "subscription_id": self.subscription_id, "resource_group": self.resource_group}

    def get_default_datastore(self):
        from modelyard.azureml.core._datastore import Datastore

        return Datastore.get_default(self)

    @property
    def datastores(self) -> dict[str, Any]:
        from modelyard.azureml.core._datastore import Datastore

        return {d.name: Datastore(self, d.name) for d in self.sdk.datastores.list()}

    @property
    def datasets(self) -> dict[str, Any]:
        from modelyard.azureml.core._dataset import Dataset

        return {name: Dataset.get_by_name(self, name) for name in sorted({d.name for d in self.sdk.data.list()})}

    @property
    def compute_targets(self) -> dict[str, Any]:
        from modelyard.azureml.core.compute import ComputeTarget

        return {c.name: ComputeTarget(self, c.name) for c in self.sdk.compute.list()}

    @property
    def models(self) -> dict[str, Any]:
        from modelyard.azureml.core.model import Model

        return {name: Model(self, name) for name in sorted({m.name for m in self.sdk.models.list()})}

    @property
    def experiments(self) -> dict[str, Any]:
        from modelyard.azureml.core._experiment import Experiment

        return {e.name: Experiment(self, e.name) for e in self.sdk.jobs.experiments()}

    @property
    def webservices(self) -> dict[str, Any]:
        from modelyard.azureml.core.webservice import Webservice

        return {e.name: Webservice(self, e.name) for e in self.sdk.online_endpoints.list()}

    def __repr__(self) -> str:
        return f"Workspace.create(name='{self.name}', subscription_id='{self.subscription_id}', " \
               f"resource_group='{self.resource_group}')"

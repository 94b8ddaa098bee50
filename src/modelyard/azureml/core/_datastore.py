"""``Datastore``: a named storage location of the workspace (``workspaceblobstore`` is the default)."""

from __future__ import annotations

from typing import Any

from modelyard.azureml._v1 import RefuseOtherMembers
from modelyard.spec.datastore import DEFAULT_DATASTORE as DEFAULT


class Datastore(RefuseOtherMembers):
    _equivalents = {"upload": "registering the local files as a data asset (Dataset.File/Tabular.from_*"
                              "(local path).register, or `modelyard data create`)",
                    "upload_files": "registering the local files as a data asset (`modelyard data create`)"}

    def __init__(self, workspace: Any, name: str | None = None) -> None:
        self.workspace = workspace
        self._record = workspace.sdk.datastores.get(name or DEFAULT)
        self.name = self._record.name
        self.datastore_type = self._record.type

    @staticmethod
    def get(workspace: Any, datastore_name: str) -> "Datastore":
        return Datastore(workspace, datastore_name)

    @staticmethod
    def get_default(workspace: Any) -> "Datastore":
        return Datastore(workspace, DEFAULT)

    def path(self, path: str) -> "tuple[Datastore, str]":
        """A location in this datastore, as v1's DataPath: usable as a dataset path."""
        return (self, path)

    def uri(self, path: str) -> str:
        return f"modelyard://datastores/{self.name}/paths/{path.lstrip('/')}"

    def __repr__(self) -> str:
        return f"Datastore(name={self.name!r}, type={self.datastore_type!r})"

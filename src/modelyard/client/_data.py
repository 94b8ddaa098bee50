"""SDK for data assets: ``ws.data.create(...)``, ``ws.data.get("name")``, ``.to_pandas()``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlparse

from modelyard._cache import cache_root
from modelyard.client._http import ApiClient
from modelyard.errors import InvalidInput
from modelyard.spec._common import AssetRef, validate_spec
from modelyard.spec.datastore import DEFAULT_DATASTORE
from modelyard.spec.data import ColumnSchema, DataAsset, DataAssetCreate, DataProfile, ParseSettings
from modelyard.spec.endpoint import CollectedData


class Data:
    """One registered data asset version, with ways to consume it."""

    def __init__(self, record: DataAsset, api: ApiClient) -> None:
        self.record = record
        self._api = api

    def __getattr__(self, item: str) -> Any:
        return getattr(self.record, item)

    def __repr__(self) -> str:
        return f"Data({self.record.name}:{self.record.version}, type={self.record.type}, path={self.record.path})"

    @property
    def _route(self) -> str:
        return f"/api/data/{quote(self.record.name)}/versions/{self.record.version}"

    def local_files(self) -> list[Path]:
        """The version's files on this machine: read in place when reachable, else downloaded and checked."""
        entries = self._api.get(f"{self._route}/files")
        found: list[Path] = []
        for entry in entries:
            uri = urlparse(entry["uri"])
            direct = Path(unquote(uri.path)) if uri.scheme in ("file", "local") else None
            if direct and direct.is_file():
                if not self._immutable and _sha256(direct) != entry["sha256"]:
                    raise self._changed(entry)
                found.append(direct)
            else:
                found.append(self._download(entry))
        return found

    @property
    def _immutable(self) -> bool:
        """The workspace's own content-addressed copy cannot change; datastore files can."""
        return self.record.path.startswith(f"modelyard://datastores/{DEFAULT_DATASTORE}/")

    def _changed(self, entry: dict[str, Any]) -> InvalidInput:
        return InvalidInput(f"data asset {self.record.name}:{self.record.version}: file {entry['name']!r} changed "
                            "since it was registered; register a new version")

    def _download(self, entry: dict[str, Any]) -> Path:
        target = cache_root() / "data" / self.record.content_hash / entry["name"]
        if target.is_file() and _sha256(target) == entry["sha256"]:
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.part")
        with partial.open("wb") as out:
            self._api.stream_to(f"{self._route}/files/{quote(entry['name'])}", out)
        if _sha256(partial) != entry["sha256"]:
            partial.unlink()
            if not self._immutable:
                raise self._changed(entry)
            raise InvalidInput(f"download of {entry['name']} from {self.record.name}:{self.record.version} is corrupt")
        partial.rename(target)
        return target

    @property
    def uri(self) -> str:
        """Where the version's data lives (a datastore path or URL)."""
        return self.record.path

    @property
    def path(self) -> str:
        """For uri_file/uri_folder: a local path to read from."""
        files = self.local_files()
        if self.record.type == "uri_file":
            return str(files[0])
        common = Path(os.path.commonpath([str(f) for f in files]))
        return str(common if len(files) > 1 or self.record.type == "uri_folder" and common.is_dir() else common.parent)

    def download(self, target: str | Path) -> Path:
        target = Path(target)
        target.mkdir(parents=True, exist_ok=True)
        entries = self._api.get(f"{self._route}/files")
        for entry, local in zip(entries, self.local_files()):
            destination = target / entry["name"]
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(local, destination)
        return target

    def _tabular(self):
        from modelyard import data as engine

        if self.record.type != "mltable":
            raise InvalidInput(f"{self.record.name}:{self.record.version} is {self.record.type}; "
                               "only mltable assets load as tables (use .path or .download())")
        files = tuple(str(p) for p in self.local_files())
        return engine.TabularSource(files, self.record.parse or ParseSettings()), self.record.columns or []

    def to_arrow(self):
        from modelyard import data as engine

        source, columns = self._tabular()
        return engine.read_arrow(source, columns)

    def to_pandas(self):
        return self.to_arrow().to_pandas()

    def profile(self, recompute: bool = False) -> DataProfile:
        method = self._api.post if recompute else self._api.get
        return DataProfile.model_validate(method(f"{self._route}/profile"))

    def preview(self, rows: int = 20) -> dict[str, Any]:
        return self._api.get(f"{self._route}/preview", params={"rows": rows})

    @property
    def columns(self) -> list[ColumnSchema]:
        return self.record.columns or []


class DataOperations:
    def __init__(self, api: ApiClient, uploads: bool) -> None:
        self._api = api
        self._uploads = uploads

    def create(self, spec: DataAssetCreate | None = None, **fields: Any) -> Data:
        spec = spec or validate_spec(DataAssetCreate, fields, "data asset")
        if spec.path and "://" not in spec.path:
            spec = spec.model_copy(update={"path": self._server_path(spec.path)})
        body = spec.model_dump(mode="json", by_alias=True, exclude_none=True)
        return Data(DataAsset.model_validate(self._api.post("/api/data", json=body)), self._api)

    def _server_path(self, path: str) -> str:
        """A local path the server can read: as is on this machine, uploaded to a remote server."""
        local = Path(path).expanduser()
        if not self._uploads:
            return str(local.absolute())
        if not local.is_file():
            raise InvalidInput(f"{path!r}: only single files can be uploaded to a remote server; "
                               "put folders in a datastore and register them from there")
        with local.open("rb") as handle:
            return self._api.post("/api/uploads", files={"file": (local.name, handle)})["path"]

    def get(self, name: str, version: int | str | None = None) -> Data:
        ref = AssetRef.parse(name) if version is None else AssetRef(name=name, version=int(version))
        if ref.label not in (None, "latest"):
            raise InvalidInput(f"unknown label '@{ref.label}': data assets know '@latest'")
        label = ref.version if ref.version is not None else "latest"
        record = DataAsset.model_validate(self._api.get(f"/api/data/{quote(ref.name)}/versions/{label}"))
        return Data(record, self._api)

    def list(self, name: str | None = None, include_archived: bool = False) -> list[DataAsset]:
        params: dict[str, Any] = {"include_archived": include_archived}
        if name:
            params["name"] = name
        return [DataAsset.model_validate(d) for d in self._api.get("/api/data", params=params)]

    def list_collected(self) -> list[CollectedData]:
        """What online deployments collected, read by name as ``azureml:<endpoint>-<deployment>-model_inputs``."""
        return [CollectedData.model_validate(d) for d in self._api.get("/api/data/collected")]

    def get_collected(self, name: str) -> CollectedData:
        """Rows and time range of ``<endpoint>-<deployment>-model_inputs`` (or ``model_outputs``)."""
        return CollectedData.model_validate(self._api.get(f"/api/data/collected/{quote(_collected_name(name))}"))

    def update(self, name: str, version: int, **change: Any) -> DataAsset:
        return DataAsset.model_validate(self._api.patch(f"/api/data/{quote(name)}/versions/{version}", json=change))

    def archive(self, name: str, version: int) -> DataAsset:
        return self.update(name, version, archived=True)

    def restore(self, name: str, version: int) -> DataAsset:
        return self.update(name, version, archived=False)


def _sha256(path: Path) -> str:
    from modelyard.store._artifacts import sha256_file

    return sha256_file(path)


__all__ = ["Data", "DataOperations"]


def _collected_name(name: str) -> str:
    return name.removeprefix("azureml:").removesuffix("@latest")

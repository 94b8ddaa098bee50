"""Files in the workspace's registered datastores and at URLs, as the Designer's Import Data and Export Data
read and write them (``modelyard.designer._import_export.Storage``). Each file written is recorded in
``written``; a URL is read only from an address the workspace allows (``data_sources.allowed_networks``)."""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

from modelyard._urls import download
from modelyard.errors import Unreachable
from modelyard.services import _data_sources as sources
from modelyard.services._context import ServiceContext
from modelyard.services._destinations import data_source_check
from modelyard.services.datastores import DatastoreService


class DatastoreFiles:
    def __init__(self, context: ServiceContext) -> None:
        self.datastores = DatastoreService(context)
        self.check_url = data_source_check(context.location)
        self.written: list[tuple[str, int]] = []  # (URI, bytes) of each file put

    def fetch(self, datastore: str, path: str, folder: Path) -> list[Path]:
        fs, root = self.datastores.filesystem(datastore)
        snapshot = sources.snapshot_remote(fs, root, path, True, folder, sources.datastore_uri(datastore, path))
        return snapshot.ordered_files()

    def query(self, datastore: str, query: str, folder: Path) -> Path:
        target = folder / "query.parquet"
        self.datastores.run_query(datastore, query, target)
        return target

    def download(self, url: str, folder: Path) -> Path:
        return download(url, folder, self.check_url)

    def exists(self, datastore: str, path: str) -> bool:
        fs, root = self.datastores.filesystem(datastore)
        return fs.exists(f"{root}/{path}")

    def put(self, local: Path, datastore: str, path: str) -> str:
        """Upload beside the target under a hidden name, then move it into place."""
        fs, root = self.datastores.filesystem(datastore)
        uri = sources.datastore_uri(datastore, path)
        target = f"{root}/{path}"
        parent, _, name = target.rpartition("/")
        staging = f"{parent}/.{name}.{uuid.uuid4().hex}.partial"
        try:
            fs.makedirs(parent, exist_ok=True)
            fs.put_file(str(local), staging)
            fs.mv(staging, target)
        except Exception as error:
            with contextlib.suppress(Exception):  # nothing to remove when the upload itself failed
                fs.rm(staging)
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise Unreachable(f"cannot write {uri}: {reason}") from None
        self.written.append((uri, local.stat().st_size))
        return uri

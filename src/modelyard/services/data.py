"""Data assets: immutable, versioned, profiled datasets. Every rule about them lives here."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timezone
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from modelyard._urls import hide_password
from modelyard.errors import InvalidInput, NotFound
from modelyard.services import _data_sources as sources
from modelyard.services._context import ServiceContext
from modelyard.services._destinations import data_source_check
from modelyard.services._rows import get_one, one_or_not_found
from modelyard.services._versions import insert_version
from modelyard.services.datastores import DatastoreService
from modelyard.services.events import emit
from modelyard.spec._common import check_name
from modelyard.spec.datastore import DEFAULT_DATASTORE
from modelyard.spec.data import (
    ColumnSchema, DataAsset, DataAssetCreate, DataAssetUpdate, DataProfile, DataSourcePreview, ParseSettings,
)
from modelyard.store import DataVersionRow


def _missing(reference: str) -> str:
    return f"data asset {reference} not found; 'modelyard data list' shows the registered ones"


class DataAssetService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context
        self.datastores = DatastoreService(context)

    # -- create -------------------------------------------------------------------------
    def create(self, spec: DataAssetCreate) -> DataAsset:
        self._check_shape(spec)
        snapshot = self._snapshot(spec)
        try:
            existing = None if spec.force_new_version or spec.version else self._same_content(spec, snapshot)
            if existing is not None:
                return self._record(existing)
            columns, rows, profile = self._inspect(spec, snapshot)
            return self._record(self._commit(spec, snapshot, columns, rows, profile))
        finally:
            snapshot.cleanup()

    def _check_shape(self, spec: DataAssetCreate) -> None:
        if spec.query is not None or spec.datastore is not None:
            if spec.query is None or spec.datastore is None:
                raise InvalidInput("a SQL source needs both 'datastore' (a sql datastore) and 'query'")
            if spec.path is not None:
                raise InvalidInput("give either 'path' or 'datastore' + 'query', not both")
            if spec.type != "mltable":
                raise InvalidInput("a SQL query result is tabular: use type 'mltable'")
        elif not spec.path:
            raise InvalidInput("'path' is required: a local file, folder or glob, a URL, or a datastore path")

    def _snapshot(self, spec: DataAssetCreate) -> sources.Snapshot:
        tabular = spec.type == "mltable"
        cache = self.context.cache_dir
        cache.mkdir(parents=True, exist_ok=True)
        if spec.query is not None:
            return self._snapshot_query(spec.datastore, spec.query)
        path = spec.path
        if path.startswith(sources.URI_PREFIX):
            name, inner = sources.parse_datastore_uri(path)
            fs, root = self.datastores.filesystem(name)
            snapshot = sources.snapshot_remote(fs, root, inner, tabular, cache, path)
            snapshot.referenced_path = sources.datastore_uri(name, snapshot.referenced_path[len(root):])
        elif path.startswith(("http://", "https://")):
            snapshot = sources.http_snapshot(path, cache, data_source_check(self.context.location))
        elif "://" in path:
            raise InvalidInput(f"{path!r}: register a datastore for this storage and use {sources.URI_PREFIX}<name>/paths/<path>")
        else:
            snapshot = sources.snapshot_local(path, tabular)
        if spec.type == "uri_file" and (snapshot.is_folder or len(snapshot.entries) != 1):
            snapshot.cleanup()
            raise InvalidInput(f"type uri_file needs one file, {path!r} is a folder or pattern; use uri_folder")
        return snapshot

    def _snapshot_query(self, datastore: str, query: str) -> sources.Snapshot:
        scratch = self.context.cache_dir / f"query-{time.time_ns()}"
        scratch.mkdir(parents=True)
        target = scratch / "query.parquet"
        try:
            self.datastores.run_query(datastore, query, target)
        except Exception:
            import shutil

            shutil.rmtree(scratch, ignore_errors=True)
            raise
        local = {"query.parquet": target}
        return sources.Snapshot(origin=f"sql://{datastore}", local=local,
                                entries=sources._entries(local), scratch=[scratch])

    def _same_content(self, spec: DataAssetCreate, snapshot: sources.Snapshot) -> DataVersionRow | None:
        with self.context.session() as session:
            return self._same_content_in(session, spec, snapshot)

    def _same_content_in(self, session, spec: DataAssetCreate, snapshot: sources.Snapshot) -> DataVersionRow | None:
        wanted = self._settings(spec)
        rows = session.scalars(
            select(DataVersionRow)
            .where(DataVersionRow.name == spec.name, DataVersionRow.content_hash == snapshot.content_hash,
                   DataVersionRow.type == spec.type)
            .order_by(DataVersionRow.version.desc())
        )
        for row in rows:
            if (row.parse, row.lineage.get("overrides")) == wanted and row.source == snapshot.origin:
                return row
        return None

    @staticmethod
    def _settings(spec: DataAssetCreate) -> tuple[Any, Any]:
        if spec.type != "mltable":
            return None, None
        return spec.parse.model_dump(mode="json"), [c.model_dump(mode="json") for c in spec.columns]

    def _inspect(self, spec: DataAssetCreate, snapshot: sources.Snapshot):
        """Schema, row count and profile of a tabular source; a full validating pass."""
        if spec.type != "mltable":
            return None, None, None
        from modelyard import data as engine

        source = engine.TabularSource(tuple(str(p) for p in snapshot.ordered_files()), spec.parse)
        found = engine.detect_schema(source, spec.columns, profile=spec.profile)
        return found.schema, found.rows, found.profile

    def _commit(self, spec, snapshot, columns, rows, profile) -> DataVersionRow:
        stored_here = snapshot.referenced_path is None
        prefix = sources.blob_prefix(snapshot.content_hash)
        if stored_here:
            self.context.artifacts.put_files(snapshot.local, prefix)
            single = snapshot.entries[0].name if spec.type == "uri_file" else None
            path = sources.stored_uri(snapshot.content_hash, single)
        else:
            path = snapshot.referenced_path
        parse, overrides = self._settings(spec)
        try:
            return self._insert_version(spec, snapshot, dict(
                type=spec.type, path=path, source=snapshot.origin, description=spec.description,
                tags=spec.tags, parse=parse, columns=[c.model_dump(mode="json") for c in columns] if columns else None,
                content_hash=snapshot.content_hash, size_bytes=snapshot.size, rows=rows,
                files=[entry.as_dict() for entry in snapshot.entries],
                profile=profile.model_dump(mode="json") if profile else None,
                lineage={"overrides": overrides, "query": spec.query, "datastore": spec.datastore},
            ))
        except BaseException:
            if stored_here and not self._hash_in_use(snapshot.content_hash):
                self.context.artifacts.delete(prefix)
            raise

    def _insert_version(self, spec: DataAssetCreate, snapshot: sources.Snapshot, fields: dict[str, Any]) -> DataVersionRow:
        # The same-content check again, atomic with the insert: concurrent creates make one version.
        existing = None if spec.force_new_version or spec.version else (
            lambda session: self._same_content_in(session, spec, snapshot))
        return insert_version(self.context, DataVersionRow, spec.name, spec.version, "data asset",
                              lambda _: {"archived": False, **fields}, existing,
                              lambda session, row: emit(session, "data.version_created", f"{row.name}:{row.version}", {
                                  "name": row.name, "version": row.version, "type": row.type, "path": row.path,
                                  "content_hash": row.content_hash, "rows": row.rows}))

    def _hash_in_use(self, content_hash: str) -> bool:
        with self.context.session() as session:
            return session.scalar(select(func.count()).where(DataVersionRow.content_hash == content_hash)) > 0

    # -- read ---------------------------------------------------------------------------
    def get(self, name: str, version: int | None = None, label: str | None = None) -> DataAsset:
        return self._record(self.get_row(name, version, label))

    def get_row(self, name: str, version: int | None = None, label: str | None = None) -> DataVersionRow:
        check_name(name)
        if label not in (None, "latest"):
            raise InvalidInput(f"unknown label '@{label}' for data asset {name!r}: only '@latest' is defined")
        query = select(DataVersionRow).where(DataVersionRow.name == name)
        if version is not None:
            query = query.where(DataVersionRow.version == version)
        else:
            query = query.where(DataVersionRow.archived.is_(False)).order_by(DataVersionRow.version.desc()).limit(1)
        return get_one(self.context, query, _missing(name if version is None else f"{name}:{version}"))

    def list(self, name: str | None = None, include_archived: bool = False) -> list[DataAsset]:
        """Every version of ``name``, or the latest version of every asset."""
        with self.context.session() as session:
            query = select(DataVersionRow)
            if not include_archived:
                query = query.where(DataVersionRow.archived.is_(False))
            if name is not None:
                rows = session.scalars(query.where(DataVersionRow.name == name).order_by(DataVersionRow.version.desc()))
            else:
                latest = (select(DataVersionRow.name, func.max(DataVersionRow.version).label("version"))
                          .group_by(DataVersionRow.name))
                if not include_archived:
                    latest = latest.where(DataVersionRow.archived.is_(False))
                latest = latest.subquery()
                rows = session.scalars(
                    select(DataVersionRow).join(latest, (DataVersionRow.name == latest.c.name)
                                                & (DataVersionRow.version == latest.c.version))
                    .order_by(DataVersionRow.name))
            return [self._record(row) for row in rows]

    def update(self, name: str, version: int, change: DataAssetUpdate) -> DataAsset:
        with self.context.session() as session:
            row = one_or_not_found(session, select(DataVersionRow).where(DataVersionRow.name == name,
                                                                         DataVersionRow.version == version),
                                   _missing(f"{name}:{version}"))
            for field_name, value in change.model_dump(exclude_none=True).items():
                setattr(row, field_name, value)
        return self._record(row)

    def profile(self, name: str, version: int | None = None, recompute: bool = False) -> DataProfile:
        row = self.get_row(name, version)
        if row.type != "mltable":
            raise InvalidInput(f"data asset {row.name}:{row.version} is {row.type}; only mltable assets have a profile")
        if row.profile and not recompute:
            return DataProfile.model_validate(row.profile)
        from modelyard import data as engine

        with self.local_files(row) as files:
            profile = engine.profile_source(self._tabular(row, files), self._schema(row))
        with self.context.session() as session:
            stored = session.get(DataVersionRow, row.id)
            stored.profile = profile.model_dump(mode="json")
        return profile

    def preview_source(self, request: DataSourcePreview) -> dict[str, Any]:
        """Inferred schema and first rows of a source that is not registered yet; nothing is stored."""
        from modelyard import data as engine

        spec = DataAssetCreate(name="preview", type="mltable", path=request.path, datastore=request.datastore,
                               query=request.query, parse=request.parse, columns=request.columns)
        self._check_shape(spec)
        snapshot = self._snapshot(spec)
        try:
            source = engine.TabularSource(tuple(str(p) for p in snapshot.ordered_files()), spec.parse)
            columns = engine.detect_schema(source, spec.columns, validate=False).schema
            table = engine.read_arrow(source, columns, limit=request.rows)
        finally:
            snapshot.cleanup()
        return {"columns": [c.model_dump(mode="json") for c in columns],
                "rows": [list(r.values()) for r in table.to_pylist()]}

    def preview(self, name: str, version: int | None = None, rows: int = 20) -> dict[str, Any]:
        if rows < 1 or rows > 10_000:
            raise InvalidInput(f"rows must be between 1 and 10000, got {rows}")
        row = self.get_row(name, version)
        if row.type != "mltable":
            raise InvalidInput(f"data asset {row.name}:{row.version} is {row.type}; only mltable assets can be previewed")
        table = self.read_table(row, rows)
        return {"columns": [{"name": c.name, "type": c.type} for c in self._schema(row) if c.include],
                "rows": [list(r.values()) for r in table.to_pylist()]}

    def read_table(self, row: DataVersionRow, limit: int | None = None):
        """The version's included columns as an Arrow table (its first ``limit`` rows), with its schema's types."""
        from modelyard import data as engine

        with self.local_files(row) as files:
            return engine.read_arrow(self._tabular(row, files), self._schema(row), limit=limit)

    def files(self, name: str, version: int | None = None) -> list[dict[str, Any]]:
        """The version's files with their checksums and, for reading them directly, their URIs."""
        row = self.get_row(name, version)
        fs, path = self._location(row)
        base = path if self._single(row) else None
        return [{**entry, "uri": fs.unstrip_protocol(base or f"{path}/{entry['name']}")} for entry in row.files]

    def content_hash(self, name: str, version: int) -> str | None:
        """The content hash of version ``name:version``, or None when there is no such version."""
        with self.context.session() as session:
            return session.scalar(select(DataVersionRow.content_hash).where(DataVersionRow.name == name,
                                                                            DataVersionRow.version == version))

    @contextmanager
    def local_copy(self, name: str, version: int) -> Iterator[dict[str, Path]]:
        """Version ``name:version``'s files on local disk, verified, as ``{file name: path}`` in stored order."""
        row = self.get_row(name, version)
        with self.local_files(row) as files:
            yield {entry["name"]: Path(local) for entry, local in zip(row.files, files)}

    def open_file(self, name: str, version: int, file_name: str):
        """A binary stream of one registered file of a version (checked against its manifest)."""
        row = self.get_row(name, version)
        if file_name not in {entry["name"] for entry in row.files}:
            raise NotFound(f"data asset {row.name}:{row.version} has no file {file_name!r}")
        fs, path = self._location(row)
        target = path if self._single(row) else f"{path}/{file_name}"
        return fs.open(target, "rb")

    def local_files(self, row: DataVersionRow):
        """Context manager giving the version's files on local disk, verified against their sha256."""

        @contextmanager
        def fetched():
            fs, path = self._location(row)
            names = [entry["name"] for entry in row.files]
            if fs.protocol in ("file", "local") or "file" in fs.protocol:
                base = Path(path) if not self._single(row) else Path(path).parent
                local = {name: base / name for name in names}
                if not self._stored_here(row):  # a file in a local datastore may have changed since
                    missing = [n for n, p in local.items() if not p.is_file()]
                    if missing:
                        raise InvalidInput(f"data asset {row.name}:{row.version}: file {missing[0]!r} is gone "
                                           "from its datastore")
                    sources.verify(sources.Snapshot(row.source, local, sources._entries(local)), row.files,
                                   f"data asset {row.name}:{row.version}")
                yield [local[name] for name in names]
                return
            if self._single(row):
                local, scratch = sources.fetch_remote(fs, path.rsplit("/", 1)[0], names, self.context.cache_dir)
            else:
                local, scratch = sources.fetch_remote(fs, path, names, self.context.cache_dir)
            snapshot = sources.Snapshot(row.source, local, sources._entries(local), scratch=[scratch])
            sources.verify(snapshot, row.files, f"data asset {row.name}:{row.version}")
            try:
                yield [local[name] for name in names]
            finally:
                snapshot.cleanup()

        return fetched()

    @staticmethod
    def _stored_here(row: DataVersionRow) -> bool:
        """Whether the bytes are the workspace's own content-addressed copy (immutable)."""
        return row.path.startswith(sources.datastore_uri(DEFAULT_DATASTORE, ""))

    @staticmethod
    def _single(row: DataVersionRow) -> bool:
        """Whether the version's path names its one file rather than a folder holding it."""
        return len(row.files) == 1 and row.path.rstrip("/").rsplit("/", 1)[-1] == row.files[0]["name"]

    def _location(self, row: DataVersionRow) -> tuple[Any, str]:
        import fsspec

        if row.path.startswith(sources.URI_PREFIX):
            name, inner = sources.parse_datastore_uri(row.path)
            fs, root = self.datastores.filesystem(name)
            return fs, f"{root}/{inner}".rstrip("/")
        return fsspec.filesystem("http"), row.path

    @staticmethod
    def _tabular(row: DataVersionRow, files: list[Path]):
        from modelyard import data as engine

        return engine.TabularSource(tuple(str(p) for p in files), ParseSettings.model_validate(row.parse or {}))

    @staticmethod
    def _schema(row: DataVersionRow) -> list[ColumnSchema]:
        return [ColumnSchema.model_validate(c) for c in row.columns or []]

    @staticmethod
    def _record(row: DataVersionRow) -> DataAsset:
        created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=timezone.utc)
        return DataAsset(
            name=row.name, version=row.version, type=row.type, path=hide_password(row.path),
            source=hide_password(row.source),
            description=row.description, tags=row.tags or {}, content_hash=row.content_hash,
            parse=ParseSettings.model_validate(row.parse) if row.parse else None,
            columns=DataAssetService._schema(row) if row.columns else None,
            size_bytes=row.size_bytes, rows=row.rows, archived=row.archived, created_at=created,
            has_profile=row.profile is not None,
        )


"""Datastores: named storage locations. Every rule about them lives here."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select

from modelyard._urls import hide_password
from modelyard.errors import Conflict, InvalidInput, Unreachable
from modelyard.services import _datastore_secrets
from modelyard.services._context import ServiceContext
from modelyard.services._destinations import data_source_check
from modelyard.services._rows import get_one, one_or_not_found
from modelyard.spec.datastore import DEFAULT_DATASTORE, SECRET_FIELDS, Datastore
from modelyard.store import DatastoreRow, scrub_freed_pages


def redact_url(url: str) -> str:
    """``scheme://user:secret@host`` with the password hidden, for messages and listings."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


def _missing(name: str) -> str:
    return f"datastore '{name}' not found; 'modelyard datastore list' shows the existing ones"


class DatastoreService:
    def __init__(self, context: ServiceContext) -> None:
        self.context = context

    def create(self, spec: Any) -> Datastore:
        config = spec.model_dump(exclude={"schema_", "name", "description", "type"}, exclude_none=True)
        if spec.type == "local":
            config["path"] = str(Path(config["path"]).expanduser().resolve())
        if spec.name == DEFAULT_DATASTORE:
            raise Conflict(f"datastore '{DEFAULT_DATASTORE}' is built in and cannot be replaced")
        with self.context.session() as session:
            if session.scalar(select(DatastoreRow).where(DatastoreRow.name == spec.name)):
                raise Conflict(f"datastore '{spec.name}' exists already; delete it first or pick another name")
        check_reachable(spec.type, config, spec.name, data_source_check(self.context.location))
        public, found = _datastore_secrets.split(spec.type, config)
        with self.context.session() as session:
            row = DatastoreRow(name=spec.name, type=spec.type, config=public, description=spec.description)
            if found:
                row.secrets = _datastore_secrets.encrypt(self.context.location.folder, found)
            session.add(row)
        return self._record(row)

    def get(self, name: str) -> Datastore:
        return self._record(self.get_row(name))

    def get_row(self, name: str) -> DatastoreRow:
        if name == DEFAULT_DATASTORE:
            return self._default_row()
        return get_one(self.context, select(DatastoreRow).where(DatastoreRow.name == name), _missing(name))

    def list(self) -> list[Datastore]:
        with self.context.session() as session:
            rows = list(session.scalars(select(DatastoreRow).order_by(DatastoreRow.name)))
        return [self._record(self._default_row())] + [self._record(row) for row in rows]

    def delete(self, name: str) -> None:
        if name == DEFAULT_DATASTORE:
            raise Conflict(f"datastore '{DEFAULT_DATASTORE}' is built in and cannot be deleted")
        with self.context.session() as session:
            session.delete(one_or_not_found(session, select(DatastoreRow).where(DatastoreRow.name == name),
                                            _missing(name)))

    def filesystem(self, name: str) -> tuple[Any, str]:
        """An fsspec filesystem and the root path inside it for a file datastore."""
        row = self.get_row(name)
        if row.type == "sql":
            raise InvalidInput(f"datastore '{name}' is a sql datastore: give a 'query', not a path")
        return open_filesystem(row.type, self.connection_config(row), data_source_check(self.context.location))

    def run_query(self, name: str, query: str, target: Path) -> int:
        """Run read-only SELECT ``query`` on sql datastore ``name`` into Parquet file ``target``, which appears
        only when complete; the row count."""
        from modelyard.data import check_select, materialize_query

        row = self.get_row(name)
        if row.type != "sql":
            raise InvalidInput(f"datastore '{name}' is of type {row.type}, a query needs a sql datastore")
        check_select(query)
        return materialize_query(self.connection_config(row)["url"], query, str(target))

    def connection_config(self, row: DatastoreRow) -> dict[str, Any]:
        """The row's settings with its credentials decrypted: to connect with, never to show."""
        return _datastore_secrets.reveal(self.context.location.folder, row.name, row.config, row.secrets)

    def encrypt_plain_secrets(self) -> int:
        """Encrypt the credentials that older versions stored in plain text; how many datastores had some.

        Idempotent and cheap when there is nothing to do, so it runs each time a workspace is opened.
        """
        changed = 0
        with self.context.session() as session:
            for row in session.scalars(select(DatastoreRow)):
                public, found = _datastore_secrets.split(row.type, row.config)
                if found:
                    encrypted = _datastore_secrets.encrypt(self.context.location.folder, found)
                    row.config, row.secrets = public, {**(row.secrets or {}), **encrypted}
                    changed += 1
        if changed:
            scrub_freed_pages(self.context.engine)
        return changed

    def _default_row(self) -> DatastoreRow:
        from datetime import datetime, timezone

        return DatastoreRow(
            name=DEFAULT_DATASTORE, type="workspace", config={"root": self.context.artifacts.root},
            description="the workspace's own artifact store", is_default=True,
            created_at=datetime.fromtimestamp(0, timezone.utc),
        )

    @staticmethod
    def _record(row: DatastoreRow) -> Datastore:
        config = {key: ("***" if key in SECRET_FIELDS and value else value) for key, value in row.config.items()}
        config = _datastore_secrets.masked(config, row.secrets)
        if "url" in config and row.type == "sql":
            config["url"] = redact_url(config["url"])
        elif "url" in config:
            config["url"] = hide_password(config["url"])
        return Datastore(name=row.name, type=row.type, description=row.description, config=config,
                         is_default=bool(row.is_default), created_at=row.created_at)


def open_filesystem(kind: str, config: dict[str, Any], check_url: Callable[[str], None]) -> tuple[Any, str]:
    """An fsspec filesystem and the root path inside it; an http datastore's requests are seen by ``check_url``."""
    import fsspec

    if kind == "workspace":
        return fsspec.core.url_to_fs(config["root"])
    if kind == "local":
        return fsspec.filesystem("file"), config["path"]
    if kind == "s3":
        import s3fs

        client_kwargs = {k: v for k, v in (("endpoint_url", config.get("endpoint_url")),
                                           ("region_name", config.get("region"))) if v}
        fs = s3fs.S3FileSystem(key=config.get("access_key_id"), secret=config.get("secret_access_key"),
                               anon=config.get("anonymous", False), client_kwargs=client_kwargs,
                               skip_instance_cache=True)
        return fs, f"{config['bucket']}/{config.get('prefix', '')}".rstrip("/")
    if kind == "http":
        return _http_filesystem(check_url), config["url"].rstrip("/")
    raise InvalidInput(f"datastore type {kind!r} holds no files")


def _http_filesystem(check_url: Callable[[str], None]) -> Any:
    """fsspec's HTTP filesystem, whose aiohttp session shows ``check_url`` each request's URL and each redirect's
    target before it is followed; what ``check_url`` raises ends the request."""
    import aiohttp
    import fsspec
    from yarl import URL

    async def on_start(session, context, params) -> None:
        check_url(str(params.url))

    async def on_redirect(session, context, params) -> None:
        check_url(str(params.url.join(URL(params.response.headers.get("Location", "")))))

    trace = aiohttp.TraceConfig()
    trace.on_request_start.append(on_start)
    trace.on_request_redirect.append(on_redirect)
    return fsspec.filesystem("http", client_kwargs={"trace_configs": [trace]}, skip_instance_cache=True)


def check_reachable(kind: str, config: dict[str, Any], name: str, check_url: Callable[[str], None]) -> None:
    """Raise Unreachable with the reason when the datastore cannot be used right now (InvalidInput when
    ``check_url`` refuses an http datastore's address)."""
    try:
        if kind == "local":
            if not Path(config["path"]).is_dir():
                raise Unreachable(f"datastore '{name}': folder {config['path']} does not exist")
        elif kind == "s3":
            fs, root = open_filesystem(kind, config, check_url)
            fs.ls(root)
        elif kind == "http":
            import httpx

            hooks = {"request": [lambda request: check_url(str(request.url))]}
            with httpx.Client(timeout=10, follow_redirects=True, event_hooks=hooks) as client:
                client.head(config["url"])
        elif kind == "sql":
            from sqlalchemy import create_engine, make_url, text

            url = make_url(config["url"])
            database = url.database or ""
            if (url.get_backend_name() == "sqlite" and database not in ("", ":memory:")
                    and not database.startswith("file:") and not Path(database).is_file()):
                # connecting would create an empty database file at a mistyped path
                raise Unreachable(f"datastore '{name}': database file {database} does not exist")
            engine = create_engine(url)
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
            finally:
                engine.dispose()
    except (Unreachable, InvalidInput):
        raise
    except Exception as error:
        where = redact_url(config["url"]) if "url" in config else config.get("bucket", config.get("path"))
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise Unreachable(f"datastore '{name}' at {where} cannot be reached: {reason}") from None

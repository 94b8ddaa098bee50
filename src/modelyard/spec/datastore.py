"""Shapes of datastores: named storage locations that data assets point into."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Union

from pydantic import Field

from modelyard.spec._common import Name, Record, Spec

DEFAULT_DATASTORE = "workspaceblobstore"
SECRET_FIELDS = ("secret_access_key", "password")


class _DatastoreBase(Spec):
    schema_: str | None = Field(None, alias="$schema")
    name: Name
    description: str | None = None


class LocalDatastoreCreate(_DatastoreBase):
    type: Literal["local"] = "local"
    path: str = Field(description="an existing folder on the server's machine")


class S3DatastoreCreate(_DatastoreBase):
    type: Literal["s3"] = "s3"
    bucket: str
    prefix: str = ""
    endpoint_url: str | None = Field(None, description="for any S3-compatible service")
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = None
    anonymous: bool = False


class HttpDatastoreCreate(_DatastoreBase):
    type: Literal["http"] = "http"
    url: str = Field(pattern=r"^https?://", description="base URL; data paths are appended to it")


class SqlDatastoreCreate(_DatastoreBase):
    type: Literal["sql"] = "sql"
    url: str = Field(description="SQLAlchemy URL: sqlite:///file.db or postgresql://user:pw@host/db")


DatastoreCreate = Annotated[
    Union[LocalDatastoreCreate, S3DatastoreCreate, HttpDatastoreCreate, SqlDatastoreCreate],
    Field(discriminator="type"),
]


class Datastore(Record):
    name: str
    type: Literal["workspace", "local", "s3", "http", "sql"]
    description: str | None = None
    config: dict[str, Any] = Field(description="type-specific settings; secrets masked")
    is_default: bool = False
    created_at: datetime

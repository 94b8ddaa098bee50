"""Shape of ``.modelyard/workspace.yaml``."""

from __future__ import annotations

from pydantic import Field

from modelyard.spec._common import Name, Record, Spec
from modelyard.spec.event import EventSettings
from modelyard.spec.webhook import WebhookSettings


class ServerSettings(Spec):
    host: str = "127.0.0.1"
    port: int = Field(8686, ge=0, le=65535)
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="host names the server answers to besides loopback names and addresses and the bound "
                    "address (a name a proxy or DNS gives it); requests for any other Host are refused")


class ServingSettings(Spec):
    ready_timeout_seconds: int = Field(
        120, ge=1, description="how long a new online deployment's scoring processes may take to load the model "
                               "and answer /ready before the deployment is Failed")


class DataSourceSettings(Spec):
    allowed_networks: list[str] = Field(
        default_factory=list,
        description="private networks (CIDR, e.g. 10.0.0.0/8) that URL data sources (a data asset's URL, an http "
                    "datastore, a job's URL input, the Designer's Import Data) may read from; loopback is always "
                    "allowed")


class WorkspaceConfig(Spec):
    """Relative paths are relative to the ``.modelyard`` folder."""

    schema_: str | None = Field(None, alias="$schema")
    name: Name
    database: str = "sqlite:///modelyard.db"
    artifact_root: str = "artifacts"
    tracking_uri: str = Field("sqlite:///mlflow.db", description="MLflow tracking store of the workspace's runs")
    server: ServerSettings = Field(default_factory=ServerSettings)
    webhooks: WebhookSettings = Field(default_factory=WebhookSettings)
    events: EventSettings = Field(default_factory=EventSettings)
    serving: ServingSettings = Field(default_factory=ServingSettings)
    data_sources: DataSourceSettings = Field(default_factory=DataSourceSettings)


class WorkspaceInfo(Record):
    name: str
    path: str
    database: str
    artifact_root: str
    server_url: str | None = None
    version: str

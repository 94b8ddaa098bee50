"""Metadata store (SQLAlchemy + Alembic) and artifact store (fsspec)."""

from modelyard.store._artifacts import ArtifactStore, sha256_file
from modelyard.store._cohort_tables import CohortRow
from modelyard.store._environment_tables import EnvironmentRow
from modelyard.store._event_tables import DeliveryRow, EventRow, WebhookRow
from modelyard.store._database import (open_database, scrub_freed_pages, session_factory, unsynced_commits,
                                       unsynced_session)
from modelyard.store._tables import (
    AuditRecordRow, Base, ComponentRow, ComputeRow, DatastoreRow, DesignerDraftRow, DataVersionRow, DeploymentRow, EndpointRow, InstanceRow, JobRow,
    ModelAliasRow, ModelRow, MonitorRow, PipelineEndpointRow, PipelineEndpointVersionRow, ScheduleFireRow, ScheduleRow, utcnow,
)

__all__ = [
    "ArtifactStore",
    "AuditRecordRow",
    "Base",
    "CohortRow",
    "ComponentRow",
    "ComputeRow",
    "DataVersionRow",
    "DatastoreRow",
    "DeliveryRow",
    "DesignerDraftRow",
    "DeploymentRow",
    "EndpointRow",
    "EnvironmentRow",
    "EventRow",
    "InstanceRow",
    "JobRow",
    "ModelAliasRow",
    "ModelRow",
    "MonitorRow",
    "PipelineEndpointRow",
    "PipelineEndpointVersionRow",
    "ScheduleFireRow",
    "ScheduleRow",
    "open_database",
    "scrub_freed_pages",
    "session_factory",
    "sha256_file",
    "unsynced_commits",
    "unsynced_session",
    "WebhookRow",
    "utcnow",
]

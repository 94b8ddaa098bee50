"""compute targets, instances, jobs and components

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NOW = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "computes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, unique=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("config", sa.JSON, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("errors", sa.Text),
        sa.Column("created_at", NOW, nullable=False),
    )
    op.create_table(
        "compute_instances",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("compute", sa.String(255), nullable=False, index=True),
        sa.Column("pid", sa.Integer),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("job", sa.String(255)),
        sa.Column("heartbeat_at", NOW, nullable=False),
        sa.Column("idle_since", NOW, nullable=False),
        sa.Column("started_at", NOW, nullable=False),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, unique=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("status", sa.String(32), nullable=False, index=True),
        sa.Column("display_name", sa.Text),
        sa.Column("description", sa.Text),
        sa.Column("experiment_name", sa.String(255), nullable=False, index=True),
        sa.Column("compute", sa.String(255), index=True),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("parent", sa.String(255), index=True),
        sa.Column("step", sa.String(255)),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("mlflow_run_id", sa.String(64)),
        sa.Column("properties", sa.JSON, nullable=False),
        sa.Column("outputs", sa.JSON, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("reuse_key", sa.String(80), index=True),
        sa.Column("reused_from", sa.String(255)),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.Column("cancel_requested", sa.Boolean, nullable=False),
        sa.Column("instance_id", sa.Integer),
        sa.Column("pid", sa.Integer),
        sa.Column("external_id", sa.String(255)),
        sa.Column("history", sa.JSON, nullable=False),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("queued_at", NOW),
        sa.Column("started_at", NOW),
        sa.Column("ended_at", NOW),
        sa.Column("heartbeat_at", NOW),
    )
    op.create_table(
        "components",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("code_hash", sa.String(80)),
        sa.Column("description", sa.Text),
        sa.Column("created_at", NOW, nullable=False),
        sa.UniqueConstraint("name", "version", name="uq_components_name_version"),
    )


def downgrade() -> None:
    for table in ("components", "jobs", "compute_instances", "computes"):
        op.drop_table(table)

"""pipeline endpoints

Revision ID: 0011
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pipeline_endpoints",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, unique=True),
        sa.Column("description", sa.Text),
        sa.Column("keys", sa.JSON, nullable=False),
        sa.Column("default_version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "pipeline_endpoint_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("endpoint", sa.String(255), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("draft_name", sa.String(255), nullable=False),
        sa.Column("draft_version", sa.Integer, nullable=False),
        sa.Column("compute", sa.String(255)),
        sa.Column("experiment_name", sa.String(255)),
        sa.Column("description", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("endpoint", "version", name="uq_pipeline_endpoint_versions_endpoint_version"),
    )


def downgrade() -> None:
    op.drop_table("pipeline_endpoint_versions")
    op.drop_table("pipeline_endpoints")

"""environments

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "environments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("python", sa.String(32), nullable=True),
        sa.Column("pip", sa.JSON, nullable=False),
        sa.Column("content_hash", sa.String(80), nullable=False, index=True),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("build_job", sa.String(255), nullable=True),
        sa.Column("packages", sa.JSON, nullable=True),
        sa.Column("build_log", sa.Text, nullable=True),
        sa.Column("archived", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", "version", name="uq_environments_name_version"),
    )


def downgrade() -> None:
    op.drop_table("environments")

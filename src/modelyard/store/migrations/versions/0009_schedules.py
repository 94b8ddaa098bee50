"""schedules and their fires

Revision ID: 0009
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, unique=True),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("disabled_reason", sa.Text),
        sa.Column("next_fire_at", sa.DateTime(timezone=True), index=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "schedule_fires",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("schedule", sa.String(255), nullable=False, index=True),
        sa.Column("scheduled_for", sa.DateTime(timezone=True)),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("job", sa.String(255)),
        sa.Column("error", sa.Text),
        sa.Column("manual", sa.Boolean, nullable=False),
        sa.Column("missed", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("schedule_fires")
    op.drop_table("schedules")

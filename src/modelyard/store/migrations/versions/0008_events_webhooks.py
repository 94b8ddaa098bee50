"""event outbox, webhooks and their deliveries

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    when = sa.DateTime(timezone=True)
    op.create_table(
        "events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("type", sa.String(128), nullable=False, index=True),
        sa.Column("subject", sa.String(512)),
        sa.Column("time", when, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
    )
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False, unique=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("events", sa.JSON, nullable=False),
        sa.Column("secret", sa.Text, nullable=False),
        sa.Column("description", sa.Text),
        sa.Column("cursor", sa.Integer, nullable=False),
        sa.Column("created_at", when, nullable=False),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("webhook_id", sa.Integer, nullable=False, index=True),
        sa.Column("event_seq", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("response_code", sa.Integer),
        sa.Column("error", sa.Text),
        sa.Column("duration_ms", sa.Float),
        sa.Column("redelivery_of", sa.Integer),
        sa.Column("created_at", when, nullable=False),
        sa.Column("next_attempt_at", when),
        sa.Column("finished_at", when),
    )
    op.create_index("ix_webhook_deliveries_due", "webhook_deliveries", ["webhook_id", "status", "next_attempt_at"])
    op.create_index("ix_webhook_deliveries_next", "webhook_deliveries", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("webhook_deliveries")
    op.drop_table("webhooks")
    op.drop_table("events")

"""datastore secrets held apart from their settings, encrypted

Revision ID: 0006
Revises: 0005

The new ``secrets`` column holds each credential of a datastore encrypted with the workspace
secret. Moving credentials that older versions kept in plain text in ``config`` needs that
secret, which lives in the workspace folder, not in the database this migration sees; the
service layer does that step each time a workspace is opened (``DatastoreService.
encrypt_plain_secrets``), so it also runs for databases migrated by other means.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("datastores") as batch:
        batch.add_column(sa.Column("secrets", sa.JSON, nullable=True))


def downgrade() -> None:
    datastores = sa.table("datastores", sa.column("name", sa.String), sa.column("secrets", sa.JSON))
    held = [name for name, secrets in op.get_bind().execute(sa.select(datastores.c.name, datastores.c.secrets))
            if secrets]
    if held:
        raise RuntimeError(f"datastores {', '.join(sorted(held))} hold encrypted credentials that revision 0005 "
                           "cannot keep: delete them before downgrading")
    with op.batch_alter_table("datastores") as batch:
        batch.drop_column("secrets")

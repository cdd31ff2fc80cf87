"""service status (HSDS export)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 17:20:00

- ``services.status``: active, inactive, defunct or temporarily closed (Open Referral HSDS
  3.0's values), asked in the template since the HSDS export. Services stored before say
  nothing and are active, hence the server default.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.add_column(sa.Column("status", sa.String(20), nullable=False, server_default="active"))


def downgrade() -> None:
    with op.batch_alter_table("services") as batch:
        batch.drop_column("status")

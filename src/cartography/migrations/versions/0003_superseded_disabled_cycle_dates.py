"""superseded versions, disabled accounts, cycle dates

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:15:00

- ``users.disabled``: the coordinator can disable an account (it cannot sign in) without
  deleting it, so its past actions in the audit log keep their author.
- ``cycles.starts_on`` / ``cycles.ends_on``: the reporting period a cycle covers, typed by
  the coordinator when opening it (optional for cycles opened before).
- Submissions: a version that was replaced by a newer one of the same organisation and cycle
  and is not the validated one becomes ``superseded`` (it can no longer be validated). Only
  the status changes; every version's content stays.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("cycles") as batch:
        batch.add_column(sa.Column("starts_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
    op.execute(
        sa.text(
            "UPDATE submissions SET status = 'superseded' WHERE status = 'submitted' AND EXISTS ("
            "SELECT 1 FROM submissions AS newer WHERE newer.org_id = submissions.org_id "
            "AND newer.cycle = submissions.cycle AND newer.version > submissions.version)"
        )
    )


def downgrade() -> None:
    op.execute(sa.text("UPDATE submissions SET status = 'submitted' WHERE status = 'superseded'"))
    with op.batch_alter_table("cycles") as batch:
        batch.drop_column("ends_on")
        batch.drop_column("starts_on")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("disabled")

"""store identity (demo or real, rounding secret) and sign-in throttling

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:30:00

``store_meta`` holds facts about the store itself: its kind (``real`` unless the demo loader
claims an empty store as a demonstration store) and the random secret that seeds the
rounding of published counts. The secret is drawn here, once per store, so every store has
its own and it never changes afterwards (the same store always publishes the same values).

``sign_in_throttle`` counts failed sign-ins per user name (keyed by a digest, so any name an
attacker types fits) to lock an account for a while after repeated failures.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _existing_kind() -> str:
    """The kind of a store created before this revision.

    Until then ``scripts/app.sh`` loaded the demo into the default store: a store whose every
    version was made by the demo loader (author ``demo:...``) holds only demonstration data
    and is flagged so (the app then labels it). Anything else, empty included, is "real":
    an empty store becomes a demo store only when the demo loader claims it.
    """
    authors = [row[0] for row in op.get_bind().execute(sa.text("SELECT DISTINCT author FROM submissions"))]
    return "demo" if authors and all(str(a).startswith("demo:") for a in authors) else "real"


def upgrade() -> None:
    meta = op.create_table(
        "store_meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.bulk_insert(
        meta,
        [
            {"key": "kind", "value": _existing_kind()},
            {"key": "rounding_secret", "value": secrets.token_hex(32)},
            {"key": "created_at", "value": datetime.now(UTC).isoformat(timespec="seconds")},
        ],
    )
    op.create_table(
        "sign_in_throttle",
        sa.Column("name_key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shown_name", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("name_key"),
    )


def downgrade() -> None:
    op.drop_table("sign_in_throttle")
    op.drop_table("store_meta")

"""The archive of finished attempts' audit events, and what keeps hot queries flat.

`hourglass archive-events --finished-before T` moves the events of attempts finished
before T here, so `attempt_events` (written by every save) stays the size of the recent
attempts. Readers of an attempt's trail read both tables. No foreign key: the archive
is append-only history, and could be dumped and truncated by the operator.

Revision ID: 0012
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attempt_events_archive",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("attempt_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", JSONB(), nullable=False),
    )
    op.create_index(
        "ix_attempt_events_archive_attempt_id_id", "attempt_events_archive", ["attempt_id", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_attempt_events_archive_attempt_id_id", table_name="attempt_events_archive")
    op.drop_table("attempt_events_archive")

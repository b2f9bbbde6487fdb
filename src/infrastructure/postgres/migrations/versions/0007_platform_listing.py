"""The `terminated` status, the indexes that serve the attempt listings, and a
candidate's own window and extra attempts on their accommodation.

An admin may end an attempt (status `terminated`, scored like a submit). The exam's
listing pages by (started_at, id) within an exam and the candidate's own by the same
within a candidate: each has an index in that order, so a page is an index range scan
whatever the exam's size (keyset pagination, no OFFSET).

Revision ID: 0007
Revises: 0004 (0005 and 0006 are on other branches; the chain is relinked on merge)
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint(op.f("ck_attempts_status"), "attempts", type_="check")
    op.create_check_constraint(
        op.f("ck_attempts_status"),
        "attempts",
        "status IN ('in_progress', 'submitted', 'expired', 'terminated')",
    )
    op.create_index("ix_attempts_exam_started", "attempts", ["exam_id", "started_at", "id"])
    op.create_index(
        "ix_attempts_candidate_started", "attempts", ["candidate_id", "started_at", "id"]
    )
    op.add_column("accommodations", sa.Column("opens_at", sa.DateTime(timezone=True)))
    op.add_column("accommodations", sa.Column("closes_at", sa.DateTime(timezone=True)))
    op.add_column(
        "accommodations",
        sa.Column("extra_attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )


def downgrade() -> None:
    for column in ("extra_attempts", "closes_at", "opens_at"):
        op.drop_column("accommodations", column)
    op.drop_index("ix_attempts_candidate_started", table_name="attempts")
    op.drop_index("ix_attempts_exam_started", table_name="attempts")
    # A terminated attempt has no status before this revision: it reads as submitted.
    op.execute(
        "UPDATE attempts SET status = 'submitted', result = jsonb_set(result, '{status}',"
        " '\"submitted\"') WHERE status = 'terminated'"
    )
    op.drop_constraint(op.f("ck_attempts_status"), "attempts", type_="check")
    op.create_check_constraint(
        op.f("ck_attempts_status"), "attempts", "status IN ('in_progress', 'submitted', 'expired')"
    )

"""Flags on attempts; an exam's review policy and whether it shuffles options.

`attempts.flags` is a JSONB array of question ids written by its own statement (the flag
write), never with the other columns, so a flag never races an answer save. Existing
exams keep today's behaviour: review `score`, options in the author's order.

Revision ID: 0006
Revises: 0004 (0005 once the lead links the chain)
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "attempts",
        sa.Column("flags", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
    )
    op.add_column(
        "exams",
        sa.Column("review", sa.Text(), nullable=False, server_default=sa.text("'score'")),
    )
    op.create_check_constraint(
        op.f("ck_exams_review"), "exams", "review IN ('none', 'score', 'responses', 'full')"
    )
    op.add_column(
        "exams",
        sa.Column("shuffle_options", sa.Boolean(), nullable=False, server_default=sa.text("false")),
    )


def downgrade() -> None:
    op.drop_column("exams", "shuffle_options")
    op.drop_constraint(op.f("ck_exams_review"), "exams", type_="check")
    op.drop_column("exams", "review")
    op.drop_column("attempts", "flags")

"""Accommodations per exam and candidate.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accommodations",
        sa.Column("exam_id", sa.Uuid(), nullable=False),
        sa.Column("candidate_id", sa.Text(), nullable=False),
        sa.Column("time_multiplier", sa.Double(), nullable=False),
        sa.Column("extra_seconds", sa.Double(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.PrimaryKeyConstraint("exam_id", "candidate_id", name=op.f("pk_accommodations")),
        sa.ForeignKeyConstraint(
            ["exam_id"], ["exams.id"], name=op.f("fk_accommodations_exam_id_exams")
        ),
    )


def downgrade() -> None:
    op.drop_table("accommodations")

"""Regrades: a question's key fixed, or full credit, kept beside the immutable exam.

Scoring reads an exam through its regrades in `id` order, so the exam's own rows never
change and a later attempt is scored as the ones rescored when the regrade was posted.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exam_regrades",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("exam_id", sa.Uuid(), sa.ForeignKey("exams.id"), nullable=False),
        sa.Column("question_id", sa.Text(), nullable=False),
        sa.Column("correct_keys", JSONB()),
        sa.Column("full_credit", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("regraded_by", sa.Text(), nullable=False),
        sa.Column("regraded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_exam_regrades_exam_id_id", "exam_regrades", ["exam_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_exam_regrades_exam_id_id", table_name="exam_regrades")
    op.drop_table("exam_regrades")

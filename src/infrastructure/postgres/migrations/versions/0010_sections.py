"""Sections: an exam's parts, and each attempt's run of them with the running one's clock.

`exams.sections` holds the author's sections (NULL: the exam is one free section, as every
exam was). On `attempts`, `sections` is the attempt's run of them (questions drawn and
ordered once, at start; each section's status and clock); `section_deadline` and
`open_questions` repeat what the conditional answer write and the sweeper must test, as
`deadline` repeats the timer's: the running section's deadline where it ends before the
attempt's, and the questions that take answers now. NULL in both keeps today's rules.

Revision ID: 0010_sections
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("exams", sa.Column("sections", JSONB()))
    op.add_column("attempts", sa.Column("sections", JSONB()))
    op.add_column("attempts", sa.Column("section_deadline", sa.DateTime(timezone=True)))
    op.add_column("attempts", sa.Column("open_questions", ARRAY(sa.Text())))
    # The sweeper's reconciliation finds sections due as it finds attempts due.
    op.create_index(
        "ix_attempts_in_progress_section_deadline",
        "attempts",
        ["section_deadline"],
        postgresql_where=sa.text("status = 'in_progress' AND section_deadline IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_attempts_in_progress_section_deadline", table_name="attempts")
    op.drop_column("attempts", "open_questions")
    op.drop_column("attempts", "section_deadline")
    op.drop_column("attempts", "sections")
    op.drop_column("exams", "sections")

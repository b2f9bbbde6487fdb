"""Exams, questions, attempts and their audit trail.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIMESTAMPTZ = sa.DateTime(timezone=True)
IN_PROGRESS = sa.text("status = 'in_progress'")


def upgrade() -> None:
    # op.f(): the names are final, not to be run through the metadata's naming convention.
    op.create_table(
        "exams",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column("duration_seconds", sa.Double(), nullable=False),
        sa.Column("grace_seconds", sa.Double(), nullable=False),
        sa.Column("opens_at", TIMESTAMPTZ, nullable=True),
        sa.Column("closes_at", TIMESTAMPTZ, nullable=True),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("adaptive", JSONB(), nullable=True),
        sa.Column("created_at", TIMESTAMPTZ, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exams")),
    )
    op.create_table(
        "questions",
        sa.Column("exam_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("stem", sa.Text(), nullable=False),
        sa.Column("options", JSONB(), nullable=False),
        sa.Column("correct_key", sa.Text(), nullable=False),
        sa.Column("points", sa.Double(), nullable=False),
        sa.Column("content_area", sa.Text(), nullable=True),
        sa.Column("irt", JSONB(), nullable=True),
        sa.PrimaryKeyConstraint("exam_id", "id", name=op.f("pk_questions")),
        sa.ForeignKeyConstraint(
            ["exam_id"], ["exams.id"], name=op.f("fk_questions_exam_id_exams"), ondelete="CASCADE"
        ),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("exam_id", sa.Uuid(), nullable=False),
        sa.Column("candidate_id", sa.Text(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("started_at", TIMESTAMPTZ, nullable=False),
        sa.Column("duration_seconds", sa.Double(), nullable=False),
        sa.Column("time_multiplier", sa.Double(), nullable=False),
        sa.Column("extra_seconds", sa.Double(), nullable=False),
        sa.Column("extension_seconds", sa.Double(), nullable=False),
        sa.Column("paused_seconds", sa.Double(), nullable=False),
        sa.Column("paused_at", TIMESTAMPTZ, nullable=True),
        sa.Column("closes_at", TIMESTAMPTZ, nullable=True),
        sa.Column("grace_seconds", sa.Double(), nullable=False),
        sa.Column("deadline", TIMESTAMPTZ, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("answers", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("result", JSONB(), nullable=True),
        sa.Column("updated_at", TIMESTAMPTZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempts")),
        sa.ForeignKeyConstraint(["exam_id"], ["exams.id"], name=op.f("fk_attempts_exam_id_exams")),
        sa.UniqueConstraint(
            "exam_id", "candidate_id", "number", name=op.f("uq_attempts_candidate_number")
        ),
        sa.CheckConstraint(
            "status IN ('in_progress', 'submitted', 'expired')", name=op.f("ck_attempts_status")
        ),
    )
    # At most one attempt in progress per candidate and exam: concurrent starts race here.
    op.create_index(
        op.f("uq_attempts_one_in_progress"),
        "attempts",
        ["exam_id", "candidate_id"],
        unique=True,
        postgresql_where=IN_PROGRESS,
    )
    # The sweeper's database pass: attempts in progress by deadline, and nothing else.
    op.create_index(
        op.f("ix_attempts_in_progress_deadline"),
        "attempts",
        ["deadline"],
        postgresql_where=IN_PROGRESS,
    )
    op.create_table(
        "attempt_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), nullable=False),
        sa.Column("attempt_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("at", TIMESTAMPTZ, nullable=False),
        sa.Column("data", JSONB(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempt_events")),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["attempts.id"], name=op.f("fk_attempt_events_attempt_id_attempts")
        ),
    )
    op.create_index(op.f("ix_attempt_events_attempt_id_id"), "attempt_events", ["attempt_id", "id"])


def downgrade() -> None:
    op.drop_table("attempt_events")
    op.drop_table("attempts")
    op.drop_table("questions")
    op.drop_table("exams")

"""Proficiency estimates per finalised adaptive attempt, and calibration jobs.

`proficiency_estimates` keeps one row per finalised adaptive attempt (theta and se as its
result gave them), written in the transaction that finalises the attempt. A candidate's
proficiency on an exam is the latest row of that exam; `prior: candidate` starts an attempt
from the latest row of the same exam finalised before the attempt started, so a replay of
the attempt always sees the same prior (docs/api-choices.md, "Proficiency").

`calibrations` are background jobs: `queued`, `running` (claimed by a process, which beats
`heartbeat_at` while the EM runs), then `succeeded` or `failed`. A running job whose
heartbeat went stale is claimed again (its process died) until `claims` reaches the limit,
then marked failed: no job is left running forever.

Revision ID: 0011
Revises: 0009 (the lead relinks the chain at merge)
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proficiency_estimates",
        sa.Column("attempt_id", sa.Uuid(), sa.ForeignKey("attempts.id"), primary_key=True),
        sa.Column("candidate_id", sa.Text(), nullable=False),
        sa.Column("exam_id", sa.Uuid(), sa.ForeignKey("exams.id"), nullable=False),
        sa.Column("theta", sa.Double(), nullable=False),
        sa.Column("se", sa.Double(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ix_proficiency_estimates_candidate_exam_updated",
        "proficiency_estimates",
        ["candidate_id", "exam_id", "updated_at"],
    )
    op.create_table(
        "calibrations",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("exam_id", sa.Uuid(), sa.ForeignKey("exams.id"), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("requested_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True)),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("outcome", JSONB()),
        sa.Column("error", sa.Text()),
        sa.Column("applied_exam_id", sa.Uuid(), sa.ForeignKey("exams.id")),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed')",
            name=op.f("ck_calibrations_status"),
        ),
    )
    op.create_index(
        "ix_calibrations_unfinished",
        "calibrations",
        ["created_at"],
        postgresql_where=sa.text("status IN ('queued', 'running')"),
    )


def downgrade() -> None:
    op.drop_index("ix_calibrations_unfinished", table_name="calibrations")
    op.drop_table("calibrations")
    op.drop_index(
        "ix_proficiency_estimates_candidate_exam_updated", table_name="proficiency_estimates"
    )
    op.drop_table("proficiency_estimates")

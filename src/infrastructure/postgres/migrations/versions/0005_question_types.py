"""Every common question type: its definition, typed answers, scores given after the fact.

`questions.type` (default 'single') and `questions.definition` (JSONB: the answer of every
type but single choice, whose `correct_key` becomes nullable). Answers were already a JSONB
object of option strings; a single-choice answer stays such a string, and the other types
store their JSON value as it is (a list, a number, text), so no answer is rewritten.
`attempts.awarded` holds the points scorers give essay and external answers; a result's
`pending_points` lives in its JSONB and reads as 0 where absent.

Downgrading refuses while any question of another type than single exists: the previous
release could neither read nor score it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "questions",
        sa.Column("type", sa.Text(), nullable=False, server_default=sa.text("'single'")),
    )
    op.add_column(
        "questions",
        sa.Column("definition", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
    )
    op.alter_column("questions", "correct_key", existing_type=sa.Text(), nullable=True)
    op.create_check_constraint(
        op.f("ck_questions_single_choice_has_correct_key"),
        "questions",
        "type <> 'single' OR correct_key IS NOT NULL",
    )
    op.add_column(
        "attempts",
        sa.Column("awarded", JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")),
    )


def downgrade() -> None:
    op.execute(
        """
        DO $$
        BEGIN
          IF EXISTS (SELECT FROM questions WHERE type <> 'single') THEN
            RAISE EXCEPTION 'questions of types other than single exist: cannot downgrade';
          END IF;
        END $$
        """
    )
    op.drop_column("attempts", "awarded")
    op.drop_constraint(
        op.f("ck_questions_single_choice_has_correct_key"), "questions", type_="check"
    )
    op.alter_column("questions", "correct_key", existing_type=sa.Text(), nullable=False)
    op.drop_column("questions", "definition")
    op.drop_column("questions", "type")

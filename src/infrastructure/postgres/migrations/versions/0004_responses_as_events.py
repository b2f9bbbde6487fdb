"""An adaptive attempt's responses are its `response_recorded` events; the row keeps a count.

Appending to a JSONB array rewrote the whole list with every response, so each response
cost more than the one before (`python -m bench.response_writes` compares the two
writes; figures in docs/benchmarks.md, "Response writes"). Every response already has its event,
written by the same statement, with the item, the option and whether it was right; the
attempt row now keeps only how many there are, which the response write checks.

Stop every process of the previous release before upgrading: it would append to the
dropped column.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "attempts",
        sa.Column("response_count", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    op.execute(
        "UPDATE attempts SET response_count = jsonb_array_length(responses)"
        " WHERE responses <> '[]'::jsonb"
    )
    # The same statement wrote each response and its event, so they agree; a database
    # where they do not was changed by hand, and its responses must not be guessed.
    op.execute(
        """
        DO $$
        BEGIN
          IF EXISTS (
            SELECT FROM attempts a
            WHERE a.response_count <> (
              SELECT count(*) FROM attempt_events e
              WHERE e.attempt_id = a.id AND e.kind = 'response_recorded'
            )
          ) THEN
            RAISE EXCEPTION 'attempts whose responses and response_recorded events differ';
          END IF;
        END $$
        """
    )
    op.drop_column("attempts", "responses")


def downgrade() -> None:
    op.add_column(
        "attempts",
        sa.Column("responses", JSONB(), nullable=False, server_default=sa.text("'[]'::jsonb")),
    )
    op.execute(
        """
        UPDATE attempts a SET responses = (
          SELECT jsonb_agg(
                   jsonb_build_object(
                     'item_id', e.data -> 'item_id',
                     'option', e.data -> 'option',
                     'correct', e.data -> 'correct'
                   ) ORDER BY e.version)
          FROM attempt_events e
          WHERE e.attempt_id = a.id AND e.kind = 'response_recorded'
        )
        WHERE a.response_count > 0
        """
    )
    op.drop_column("attempts", "response_count")

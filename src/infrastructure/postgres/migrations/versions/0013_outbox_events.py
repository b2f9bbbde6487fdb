"""The outbox holds events only; dispatchers fan them out to deliveries.

A change now writes its `webhook_events` row alone (the finalising transaction pays one
row and its two index entries, not a delivery row per registration with three indexes).
`fanned_out` marks the events a dispatcher has turned into deliveries; the partial index
finds the rest in id order. Events written before this migration already have their
deliveries, so they start fanned out.

Revision ID: 0013
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added as true (a catalogue change, no rewrite), then new rows default to false.
    op.add_column(
        "webhook_events",
        sa.Column("fanned_out", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    op.alter_column("webhook_events", "fanned_out", server_default=sa.false())
    op.create_index(
        "ix_webhook_events_to_fan_out",
        "webhook_events",
        ["id"],
        postgresql_where=sa.text("NOT fanned_out"),
    )


def downgrade() -> None:
    # Events not yet fanned out get their deliveries first, as the old code made them.
    op.execute(
        """
        INSERT INTO webhook_deliveries (webhook_id, event_id, subject_id, next_attempt_at,
                                        retry_from)
        SELECT webhook.id, event.id, event.subject_id, now(), now()
        FROM webhook_events AS event JOIN webhooks AS webhook
          ON event.type = ANY(webhook.events)
        WHERE NOT event.fanned_out
        ORDER BY event.id
        """
    )
    op.drop_index("ix_webhook_events_to_fan_out", table_name="webhook_events")
    op.drop_column("webhook_events", "fanned_out")

"""Webhooks: registrations, the outbox of platform events, and one delivery per endpoint.

A state change inserts its `webhook_events` row and, in the same statement, a pending
`webhook_deliveries` row for every registration that asked for that type, so both commit
or roll back with the change. Dispatchers take due deliveries with SKIP LOCKED; the
partial index on pending deliveries answers "is an earlier one of this attempt to this
endpoint still pending?", which keeps deliveries in order per attempt.

Revision ID: 0008
Revises: 0004 (0007 once the lead links the chain)
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

revision = "0008"
# 0005-0007 are other branches' migrations; the lead links the chain (see the report).
down_revision = "0007"
branch_labels = None
depends_on = None

_NOW = sa.text("now()")


def upgrade() -> None:
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("events", ARRAY(sa.Text()), nullable=False),
        # Fernet token of the whsec_ secret, under a key derived from the JWT secret.
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
    )
    op.create_table(
        "webhook_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("type", sa.Text(), nullable=False),
        # The attempt (or, for exam.created, the exam) whose deliveries keep their order.
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
        sa.Column("data", JSONB(), nullable=False),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        # No foreign keys: their per-row checks were a large part of the outbox's cost
        # to a sweeper batch; the registry deletes a webhook's deliveries with it, and
        # events are never deleted.
        sa.Column("webhook_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False, server_default="pending"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        # Retries run for the retry window from here: the event, or an admin's retry.
        sa.Column("retry_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "leased_until",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text("'-infinity'"),
        ),
        sa.Column("last_status_code", sa.Integer()),
        sa.Column("last_error", sa.Text()),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=_NOW),
    )
    op.create_index(
        "ix_webhook_deliveries_pending_order",
        "webhook_deliveries",
        ["webhook_id", "subject_id", "event_id"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        "ix_webhook_deliveries_pending_due",
        "webhook_deliveries",
        ["next_attempt_at"],
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index("ix_webhook_deliveries_webhook_id", "webhook_deliveries", ["webhook_id", "id"])


def downgrade() -> None:
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_events")
    op.drop_table("webhooks")

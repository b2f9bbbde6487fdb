"""One view of an attempt's events, wherever they are kept.

`every_attempt_event` is `attempt_events` UNION ALL `attempt_events_archive` (0012), so
the rule "an attempt's events are the live ones and the archived ones" is written here
once: the trail, the adaptive responses and the final writes all read the view, and a
further events table would be added to it alone. PostgreSQL flattens the view into the
query and pushes `attempt_id = …` into both branches, so each still uses its
`(attempt_id, id)` index. Ids come from one sequence, so `id` orders the two together.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE VIEW every_attempt_event AS
        SELECT id, attempt_id, version, kind, at, data FROM attempt_events
        UNION ALL
        SELECT id, attempt_id, version, kind, at, data FROM attempt_events_archive
        """
    )


def downgrade() -> None:
    op.execute("DROP VIEW every_attempt_event")
